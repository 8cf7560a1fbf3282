import { randomUUID } from 'node:crypto';
import { metadataFor } from '../src/application/context';
import type { Checkpoint } from '../src/application/ports/eventStore';
import { streams } from '../src/application/streams';
import { projectionsCli } from '../src/infrastructure/cli/projectionsCli';
import { eventually } from './support/eventually';
import { bodyOf } from './support/http';
import { createChannel } from './support/inbound';
import { useTestParley } from './support/parley';

type LogLine = Record<string, unknown> & { msg: string };

/**
 * A poison event never stalls a read model silently (SPEC §2): an event the dialogs projection
 * cannot apply, appended through the store as a buggy writer or an old release would, is
 * named in the log once per backoff step, in /readyz (503), in /metrics and by the CLI; the
 * other projections keep moving.
 */
describe('a projection that cannot apply an event', () => {
  const lines: LogLine[] = [];
  const parley = useTestParley({ LOG_LEVEL: 'info' }, {}, (line) => {
    lines.push(JSON.parse(line) as LogLine);
  });
  const dialogId = '0000000000000000000000d1';
  let position: Checkpoint;

  const stuckLines = () =>
    lines.filter((l) => l.projection === 'dialogs' && /cannot apply an event/.test(l.msg));

  beforeAll(async () => {
    // year 10000 prints as "+010000-…", which PostgreSQL refuses as a timestamptz
    const appended = await parley.deps.store.appendToStream(
      streams.dialog(dialogId),
      [
        {
          id: randomUUID(),
          type: 'DialogOpened',
          data: {
            dialogId,
            channelId: '0000000000000000000000c1',
            reference: null,
            title: null,
            contactId: '0000000000000000000000a1',
            openedAt: '+010000-01-01T00:00:00.000Z',
          },
          metadata: metadataFor({
            correlationId: randomUUID(),
            causationId: null,
            actor: { type: 'system' },
            now: new Date(),
          }),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    position = appended.checkpoint;
    await eventually(
      async () => stuckLines().length,
      (n) => n >= 2,
      20_000,
    );
  });

  it('logs projection, stream, revision, position and error, once per backoff step', () => {
    const [first, second] = stuckLines();
    expect(first).toEqual(
      expect.objectContaining({
        level: 50,
        projection: 'dialogs',
        stream: streams.dialog(dialogId),
        revision: '0',
        position,
        eventType: 'DialogOpened',
        error: expect.stringMatching(/^22\w{3}: .+/),
        attempts: 1,
      }),
    );
    // the quoted offending value is left out of the log
    expect(JSON.stringify(first)).not.toContain('+010000');
    expect(second).toEqual(expect.objectContaining({ attempts: 2, position }));
    const delays = stuckLines().map((l) => l.retryInMs as number);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(new Set(delays).size).toBe(delays.length);
  });

  it('/readyz answers 503 naming the projection and the event', async () => {
    const response = await parley.request('/readyz');
    const body = await bodyOf(response);
    expect(response.status).toBe(503);
    expect(body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'projections',
          ok: false,
          error: expect.stringContaining(
            `dialogs cannot apply DialogOpened ${streams.dialog(dialogId)}@0 at position ${position}`,
          ),
        }),
      ]),
    );
    const dialogs = (body.projections as { name: string; stuck: unknown }[]).find(
      (p) => p.name === 'dialogs',
    );
    expect(dialogs?.stuck).toEqual(
      expect.objectContaining({ stream: streams.dialog(dialogId), revision: '0', position }),
    );
  });

  it('/metrics counts the stuck projection and the age of its oldest unapplied event', async () => {
    const text = await (await parley.request('/metrics')).text();
    const sample = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(sample('parley_projections_stuck')).toBeGreaterThanOrEqual(1);
    expect(sample('parley_projection_stuck_seconds\\{projection="dialogs"\\}')).toBeGreaterThan(0);
    expect(sample('parley_projection_seconds_behind\\{projection="dialogs"\\}')).toBeGreaterThan(0);
    expect(sample('parley_projection_stuck_seconds\\{projection="channels"\\}')).toBe(0);
  });

  /** `npm run projections -- …`, in this process */
  const cli = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await projectionsCli(args, {
      env: {
        DATABASE_URL: parley.deps.config.databaseUrl as string,
        PARLEY_MASTER_KEY: parley.deps.config.masterKey.current as string,
        LOG_LEVEL: 'silent',
      },
      out: (text) => void (out += text),
      err: { write: (text) => void (err += text), isTTY: false },
    });
    return { code, out, err };
  };

  it('`npm run projections -- status` shows the stuck event', async () => {
    const { code, out } = await cli('status');
    expect(code).toBe(0);
    expect(out).toContain(
      `STUCK: dialogs cannot apply DialogOpened ${streams.dialog(dialogId)}@0 at position ${position}`,
    );
  });

  it('the other projections keep moving', async () => {
    const channel = await createChannel(parley, 'After the poison');
    const response = await parley.request(`/api/channels/${channel.channelId}`, {
      headers: parley.admin,
    });
    expect(response.status).toBe(200);
    await eventually(
      async () => {
        const list = await parley.request('/api/channels', { headers: parley.admin });
        return ((await bodyOf(list)).items as { id: string }[]).map((c) => c.id);
      },
      (ids) => ids.includes(channel.channelId),
    );
  });

  it('the way out: skip refuses any other event, skips the stuck one, and a rebuild leaves it out too', async () => {
    const other = await cli('skip', 'dialogs', '1:1');
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/stuck at position .*, not 1:1/);

    const skipped = await cli('skip', 'dialogs', position);
    expect(skipped).toEqual(
      expect.objectContaining({ code: 0, out: expect.stringContaining('leaves out DialogOpened') }),
    );
    // the webhook outbox runs on a projection runner too, and is stuck on the same event
    expect((await cli('skip', 'webhook_outbox', position)).code).toBe(0);
    await eventually(
      async () => (await parley.request('/readyz')).status,
      (status) => status === 200,
      40_000,
    );
    const text = await (await parley.request('/metrics')).text();
    expect(text).toMatch(/^parley_projections_stuck 0$/m);
    const rebuilt = await cli('rebuild', 'dialogs');
    expect(rebuilt.code).toBe(0);
    expect((await cli('status')).out).not.toMatch(/STUCK: dialogs/);
  });
});
