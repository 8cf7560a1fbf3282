import { metadataFor } from '../src/application/context';
import {
  parseMetadata,
  serialiseMetadata,
} from '../src/infrastructure/eventstore/eventstoredb/mapping';

/** The request's route and Idempotency-Key: additive metadata, kept by every store. */
describe('request metadata for the audit trace', () => {
  const context = {
    correlationId: 'r-1',
    causationId: null,
    actor: { type: 'admin' } as const,
    now: new Date('2026-01-01T00:00:00Z'),
  };

  it('records the route and the key when the command came with a request', () =>
    expect(
      metadataFor({ ...context, request: { route: 'POST /api/channels', idempotencyKey: 'k-1' } }),
    ).toMatchObject({ route: 'POST /api/channels', idempotencyKey: 'k-1' }));

  it('leaves them out when there was no request, or no key', () => {
    expect(Object.keys(metadataFor(context))).not.toContain('route');
    const noKey = metadataFor({ ...context, request: { route: 'GET /x', idempotencyKey: null } });
    expect(Object.keys(noKey)).not.toContain('idempotencyKey');
  });

  it('survives the EventStoreDB adapter both ways, with and without them', () => {
    for (const request of [undefined, { route: 'POST /api/channels', idempotencyKey: 'k-1' }]) {
      const metadata = metadataFor({ ...context, ...(request === undefined ? {} : { request }) });
      expect(parseMetadata(serialiseMetadata(metadata), 'test')).toEqual(metadata);
    }
  });
});
