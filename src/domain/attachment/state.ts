import type { AttachmentEvent } from './events';

/** An attachment's stream holds its one outcome; before it, the attachment is pending. */
export type AttachmentState =
  | Readonly<{ status: 'pending' }>
  | Readonly<{ status: 'stored'; sha256: string }>
  | Readonly<{ status: 'failed'; reason: string }>;

export const initialState = (): AttachmentState => ({ status: 'pending' });

export const evolve = (state: AttachmentState, event: AttachmentEvent): AttachmentState => {
  switch (event.type) {
    case 'AttachmentStored':
      return { status: 'stored', sha256: event.data.sha256 };
    case 'AttachmentFetchFailed':
      return { status: 'failed', reason: event.data.reason };
    default:
      return state;
  }
};
