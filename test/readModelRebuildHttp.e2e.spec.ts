import { createChannel, postMessage, type TestChannel } from './support/inbound';
import { useTestParley } from './support/parley';
import { expectRebuildEqualsLive } from './support/readModel';
import { randomFrom } from './support/writer';

/**
 * The write side as integrators drive it (matching, merging, reopening, idempotent retries,
 * deletions), then every projection rebuilt from position 0 and compared with the live one.
 */
describe('read models built from HTTP traffic', () => {
  // the reads below wait for the last write (min_position): as long as a loaded CI run needs,
  // where other test files' open transactions hold back what the runners see (xids are the
  // cluster's); the server's default of 5 s answered 503 once in CI
  const parley = useTestParley({ RATE_LIMIT_PER_SECOND: '0', MIN_POSITION_TIMEOUT_MS: '30000' });

  it('equal a rebuild from position 0, row for row', async () => {
    const random = randomFrom(20260201);
    const channels: TestChannel[] = [
      await createChannel(parley, 'Avito'),
      await createChannel(parley, 'App'),
    ];
    const contacts: string[] = [];
    let position = '';
    for (let i = 0; i < 160; i++) {
      const data: Record<string, unknown>[] = [
        { type: 'id', value: `customer-${random.int(25)}`, service: 'custom', origin: 'custom' },
      ];
      // shared phones make one request match several contacts: they merge
      if (random.chance(0.3)) {
        data.push({ type: 'phone', value: `+7 987 000-00-0${random.int(8)}`, service: 'whatsapp' });
      }
      const body = {
        text: `message ${i}`,
        timestamp: Date.parse('2026-02-01T10:00:00Z') + random.int(3_600_000),
        ...(random.chance(0.6) ? { reference: `order-${random.int(30)}` } : {}),
        ...(random.chance(0.3) ? { dialog_title: `Order ${random.int(5)}` } : {}),
        ...(random.chance(0.3) ? { html: '<b onclick="x()">bold</b><script>x()</script>' } : {}),
        ...(random.chance(0.4) ? { integration_data: `{"chat":${random.int(100)}}` } : {}),
        contact_object: { name: `Customer ${random.int(100)}`, contacts: data },
      };
      const key = random.chance(0.15) ? { 'idempotency-key': `key-${i}` } : undefined;
      const channel = random.pick(channels);
      const posted = await postMessage(parley, channel, body, key);
      expect(posted.status).toBe(200);
      if (key !== undefined) {
        // a retry of the same request changes nothing
        expect((await postMessage(parley, channel, body, key)).body).toEqual(posted.body);
      }
      position = posted.headers.get('x-parley-position') ?? position;
      contacts.push(posted.body.contact_id as string);
      if (random.chance(0.05)) {
        const deleted = await parley.request(`/api/contacts/${random.pick(contacts)}`, {
          method: 'DELETE',
          headers: parley.admin,
        });
        position = deleted.headers.get('x-parley-position') ?? position;
      }
    }
    const merges = await parley.deps.pool.query(
      `SELECT 1 FROM event_store.events WHERE event_type = 'ContactMergedInto'`,
    );
    expect(merges.rowCount).toBeGreaterThan(0);

    // read-your-writes: once this answers, every projection has applied the last write
    for (const path of ['/api/dialogs', '/api/contacts/search?q=customer', '/api/channels']) {
      const read = await parley.request(
        `${path}${path.includes('?') ? '&' : '?'}min_position=${position}`,
        {
          headers: parley.admin,
        },
      );
      expect(read.status).toBe(200);
    }

    const { pool, store } = parley.deps;
    await expectRebuildEqualsLive(pool, store);
  });
});
