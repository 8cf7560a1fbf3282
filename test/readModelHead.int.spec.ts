import { Client } from 'pg';
import { headOf, useReadModelWorld } from './support/readModel';
import { eventually } from './support/eventually';
import { createChannel } from './support/writer';

/**
 * The head the read model tests wait for is the log as committed, not as the gap-safe reads
 * show it while another transaction is open: CI saw a test count 97 dialogs of 600 when a test
 * file in another database held the horizon back as it took the head.
 */
describe("the tests' head of the log", () => {
  const world = useReadModelWorld({ runners: false });
  /** the head as the store's reads show it (this world's log is one page) */
  const shownHead = async () => (await world.store.readAll({ maxCount: 10_000 })).checkpoint;

  it('is the newest committed event, even while an open transaction hides it from reads', async () => {
    const { pool, store, w, connectionString } = world;
    await createChannel(w, 'before the open transaction');
    const shown = w.lastPosition();
    expect(await headOf(store, pool)).toBe(shown);
    // the reads show it once no transaction elsewhere (another test file's) holds them back;
    // from then on they never show less: the horizon only moves forward
    await eventually(
      () => shownHead(),
      (head) => head === shown,
    );

    // a transaction with an id, open across the next append (in this database or any other)
    const holder = new Client({ connectionString });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()');
      await createChannel(w, 'committed behind the open transaction');

      expect(await shownHead()).toBe(shown); // what reads show: the horizon stops before it
      expect(await headOf(store, pool)).toBe(w.lastPosition());
      expect(w.lastPosition()).not.toBe(shown);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await eventually(
      () => shownHead(),
      (head) => head === w.lastPosition(),
    );
  });
});
