import { seedEventLog } from '../bench/seed/eventLog';
import { listDialogs } from '../src/projections/dialogs/dialogQueries';
import { headOf, startRunners, useReadModelWorld, waitForPosition } from './support/readModel';

const CHANNEL = '6b077fb6f0941801d9692aff';

type Mix = { dialogs: number; open: number; waiting: number; assigned: number; days: number };

/** What the dialog list's bench finds in the read model the runners built from a seeded log. */
const mixOf = async (world: ReturnType<typeof useReadModelWorld>): Promise<Mix> => {
  const running = await startRunners(world.pool, world.store);
  try {
    await waitForPosition(world.pool, world.store, await headOf(world.store, world.pool));
  } finally {
    await running.stop();
  }
  const { rows } = await world.pool.query<Record<keyof Mix, string>>(
    `SELECT count(*) AS dialogs,
            count(*) FILTER (WHERE status = 'open') AS open,
            count(*) FILTER (WHERE status = 'open' AND last_message_direction = 'incoming') AS waiting,
            count(*) FILTER (WHERE assignee_id IS NOT NULL) AS assigned,
            extract(epoch FROM max(updated_at) - min(updated_at)) / 86400 AS days
     FROM read_model.dialogs`,
  );
  const row = rows[0] as Record<keyof Mix, string>;
  return {
    dialogs: Number(row.dialogs),
    open: Number(row.open),
    waiting: Number(row.waiting),
    assigned: Number(row.assigned),
    days: Number(row.days),
  };
};

describe("the bench's seeded logs, as the dialogs read model builds them", () => {
  describe('with an inbox (the dialog list bench)', () => {
    const world = useReadModelWorld({ runners: false });

    it('holds dialogs answered, assigned and closed as an inbox does, over 30 days', async () => {
      await seedEventLog(world.pool, {
        channelId: CHANNEL,
        contacts: 50,
        dialogs: 600,
        messagesPerDialog: 2,
        inbox: { operators: 4 },
      });
      const mix = await mixOf(world);
      expect(mix.dialogs).toBe(600);
      // 40 % open, 15 % waiting, 70 % assigned (LogSeed.inbox), within a seeded sample's spread
      expect(mix.open / 600).toBeGreaterThan(0.33);
      expect(mix.open / 600).toBeLessThan(0.47);
      expect(mix.waiting / 600).toBeGreaterThan(0.1);
      expect(mix.waiting / 600).toBeLessThan(0.2);
      expect(mix.assigned / 600).toBeGreaterThan(0.63);
      expect(mix.assigned / 600).toBeLessThan(0.77);
      expect(mix.days).toBeGreaterThan(25);

      // the assignees are operators the operators read model knows, by name
      const page = await listDialogs(world.pool, { assigned: true }, { limit: 5, after: null });
      expect(page.items).toHaveLength(5);
      for (const dialog of page.items) expect(dialog.assigneeName).toEqual(expect.any(String));
    });
  });

  describe('without (the projections and the search bench)', () => {
    const world = useReadModelWorld({ runners: false });

    it('keeps every dialog open, unassigned and waiting, all at one time, as it was measured', async () => {
      await seedEventLog(world.pool, {
        channelId: CHANNEL,
        contacts: 20,
        dialogs: 40,
        messagesPerDialog: 2,
      });
      expect(await mixOf(world)).toEqual({
        dialogs: 40,
        open: 40,
        waiting: 40,
        assigned: 0,
        days: 0,
      });
    });
  });
});
