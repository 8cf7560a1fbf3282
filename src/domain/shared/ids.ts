/** Parley's ids are 24 lower-case hex digits, like the seed's `5cc2f62000568c04afdc0c5e`. */
export const OBJECT_ID = /^[0-9a-f]{24}$/;

export const isObjectId = (value: string): boolean => OBJECT_ID.test(value);

export type ChannelId = string;
export type DialogId = string;
export type MessageId = string;
export type ContactId = string;
export type ContactDataId = string;
export type OperatorId = string;
