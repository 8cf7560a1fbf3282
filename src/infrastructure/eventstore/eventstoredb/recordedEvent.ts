import type { Position } from '@eventstore/db-client';
import type { RecordedEvent } from '../../../application/ports/eventStore';
import { encodeCheckpoint } from './checkpoint';
import { parseMetadata } from './eventMetadata';

/** The fields of the client's recorded event that the port needs (JSON and binary alike). */
export type ClientRecord = Readonly<{
  id: string;
  streamId: string;
  revision: bigint;
  type: string;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}>;

export const toRecordedEvent = (record: ClientRecord): RecordedEvent => {
  const where = `event ${record.id} of stream ${record.streamId}`;
  if (!record.isJson) throw new Error(`${where} is not JSON: Parley did not write it`);
  if (record.position === undefined) {
    // stream reads carry the $all position only from server 22.6 on
    throw new Error(`EventStoreDB sent no position for ${where}: Parley needs EventStoreDB 22.6+`);
  }
  return {
    id: record.id,
    streamId: record.streamId,
    revision: record.revision,
    type: record.type,
    data: record.data,
    metadata: parseMetadata(record.metadata, where),
    checkpoint: encodeCheckpoint(record.position),
    created: record.created,
  };
};
