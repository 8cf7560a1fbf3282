import { jsonEvent, type EventData, type JSONType } from '@eventstore/db-client';
import type { EventToAppend } from '../../../application/ports/eventStore';
import { serialiseMetadata } from './eventMetadata';

/** What the client serialises as an `application/json` event body. */
const isJsonData = (data: unknown): data is JSONType =>
  typeof data === 'string' || (typeof data === 'object' && data !== null);

/** The port's event as EventStoreDB's: JSON data, our metadata as JSON, the port's UUID as the event id. */
export const toEventData = (event: EventToAppend): EventData => {
  if (!isJsonData(event.data)) {
    throw new TypeError(
      `event ${event.id} (${event.type}): EventStoreDB stores a JSON object, array or string as data`,
    );
  }
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: serialiseMetadata(event.metadata),
  });
};
