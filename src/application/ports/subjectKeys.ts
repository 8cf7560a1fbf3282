/**
 * The data keys of the people Parley holds data about (SPEC §8). A subject is a contact id:
 * every personal field is sealed under its subject's key, so destroying the key forgets the
 * person everywhere the sealed value went (events, exports, backups taken afterwards) while the
 * log itself stays whole and verifiable. Keys live outside the event log, wrapped by the master
 * key.
 */
export interface SubjectKeys {
  /** Seals bytes under the subject's key (made on first use); `aad` binds it to its place. */
  seal(subjectId: string, plaintext: Buffer, aad: string): Promise<Buffer>;
  /** The plaintext, or null when the subject's key was destroyed (erased). */
  open(subjectId: string, sealed: Buffer, aad: string): Promise<Buffer | null>;
  /** Destroys the keys of these subjects for good; idempotent. */
  destroy(subjectIds: readonly string[]): Promise<void>;
  /** Was this subject's key destroyed? */
  isDestroyed(subjectId: string): Promise<boolean>;
}
