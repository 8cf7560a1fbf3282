export interface IdGenerator {
  /** a new 24-hex-digit id, time-ordered like a MongoDB ObjectId */
  objectId(): string;
  /** a new UUID, for event ids */
  uuid(): string;
}
