import { Client } from 'pg';
import { notaryProjection } from '../src/infrastructure/audit/notary';
import { allProjections } from '../src/projections/allProjections';
import { attachmentFetchQueueProjection } from '../src/projections/attachments/fetchQueueProjection';
import { webhookOutboxProjection } from '../src/projections/outbox/outboxProjection';
import { LOCKS } from '../src/projections/runner/lockKeys';
import { headOf, waitForPosition } from './support/readModel';
import { bodyOf } from './support/http';
import { createChannel, customer, postMessage } from './support/inbound';
import { eventually } from './support/eventually';
import { useTestParley } from './support/parley';

/**
 * A read model whose tables are not in `read_model` (a fresh database in the moment before its
 * runners make them, a table a new version adds until its rebuild swaps it in, tables dropped
 * by hand until the runner has rebuilt them): its reads answer 503 E_UNAVAILABLE with
 * Retry-After, as a read model behind does, never a bare 500, and answer again once the tables
 * are there.
 */
describe('reads of a read model that is not built yet', () => {
  const parley = useTestParley();
  let admin: Client;
  let dialogId = '';

  const get = async (path: string) => {
    const response = await parley.request(path, { headers: parley.admin });
    return { status: response.status, headers: response.headers, body: await bodyOf(response) };
  };
  const sql = async (text: string) => {
    await admin.query(text);
  };

  beforeAll(async () => {
    admin = new Client({ connectionString: parley.deps.config.databaseUrl as string });
    // useTestParley's afterAll (declared first, so run first) drops the database under it
    admin.on('error', () => undefined);
    await admin.connect();
    const channel = await createChannel(parley);
    const posted = await postMessage(parley, channel, {
      reference: 'not-ready-1',
      text: 'hello',
      ...customer('not-ready-1', { name: 'Olga Vasnetsova' }),
    });
    expect(posted.status).toBe(200);
    dialogId = (posted.body as { dialog_id: string }).dialog_id;
    await eventually(
      () => get('/api/contacts/search?q=Olga'),
      (found) => found.status === 200 && (found.body as { items: unknown[] }).items.length === 1,
    );
    // every consumer idle at the head: none has a batch to fail on the tables moved below,
    // whose retry would make them afresh
    const { pool, storedEvents } = parley.deps;
    await waitForPosition(pool, storedEvents, await headOf(storedEvents, pool), [
      ...[
        ...allProjections,
        webhookOutboxProjection,
        attachmentFetchQueueProjection,
        notaryProjection(),
      ].map((p) => p.name),
    ]);
  });
  afterAll(async () => {
    await admin.end().catch(() => undefined);
  });

  const expectNotReady = async (path: string) => {
    const answer = await get(path);
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 503,
      body: { code: 'E_UNAVAILABLE', message: 'the read models are being built; retry later' },
    });
    expect(answer.headers.get('retry-after')).toBe('2');
  };

  it('answers 503 while one of its tables is missing (a new version adds it, before the swap), then the page', async () => {
    await sql('CREATE SCHEMA not_yet');
    await sql('ALTER TABLE read_model.contacts SET SCHEMA not_yet');
    try {
      await expectNotReady('/api/contacts/search?q=Olga');
      // the other read models' tables are there: their reads are not affected
      expect((await get('/api/channels')).status).toBe(200);
    } finally {
      await sql('ALTER TABLE not_yet.contacts SET SCHEMA read_model');
      await sql('DROP SCHEMA not_yet');
    }
    const found = await eventually(
      () => get('/api/contacts/search?q=Olga'),
      (answer) => answer.status === 200,
    );
    expect((found.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('answers 503 while the schema itself is missing (a fresh database)', async () => {
    await sql('ALTER SCHEMA read_model RENAME TO read_model_away');
    try {
      await expectNotReady('/api/dialogs?limit=5');
      await expectNotReady(`/api/dialogs/${dialogId}/messages`);
      await expectNotReady('/api/contacts/search?q=Olga');
    } finally {
      // a runner whose batch failed meanwhile makes a fresh read_model on its retry (as on a
      // fresh database): it goes, and the original comes back, in one transaction that holds
      // the read models' DDL lock, as the runners do when they make the schema
      await sql(`BEGIN;
        SELECT pg_advisory_xact_lock(${LOCKS.ddl}, 0);
        DROP SCHEMA IF EXISTS read_model CASCADE;
        ALTER SCHEMA read_model_away RENAME TO read_model;
        COMMIT`);
    }
    // once the runners that failed meanwhile have started over on it
    const back = await eventually(
      () => get('/api/dialogs?limit=5'),
      (answer) => answer.status === 200,
    );
    expect(back.status).toBe(200);
  });
});
