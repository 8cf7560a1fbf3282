import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCheckpoint } from '../../src/infrastructure/audit/signedCheckpoint';
import { parsePublicKey } from '../../src/infrastructure/audit/signingKey';
import type { Verification } from '../../src/infrastructure/audit/verification';
import { verifyExport } from '../../src/infrastructure/audit/verifyLog';
import { auditCli } from '../../src/infrastructure/cli/auditCli';
import { eventually } from '../support/eventually';
import { createChannel, customer, postMessage } from '../support/inbound';
import { useTestParley } from '../support/parley';
import { createOperator } from '../support/webhooks';

type Item = { position: string; stream: string; id: string; type: string; digest: unknown };
type Page = { items: Item[]; next_cursor: string | null };

describe('the audit endpoints and npm run audit', () => {
  const parley = useTestParley();
  let dir: string;
  const get = async (url: string, headers: Record<string, string> = parley.admin) => {
    const response = await parley.request(url, { headers });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  };
  const getJson = async <T>(url: string): Promise<T> => {
    const { status, text } = await get(url);
    expect({ url, status }).toEqual({ url, status: 200 });
    return JSON.parse(text) as T;
  };
  const allPages = async (query: string): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor === null ? '' : `&after=${encodeURIComponent(cursor)}`;
      const page: Page = await getJson<Page>(`/api/audit/events?${query}${after}`);
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null);
    return items;
  };
  const cli = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await auditCli(args, {
      env: {
        DATABASE_URL: parley.deps.config.databaseUrl as string,
        DATA_DIR: parley.deps.config.dataDir,
        LOG_LEVEL: 'silent',
      },
      out: (text) => void (out += text),
      err: (text) => void (err += text),
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-audit-'));
    const channel = await createChannel(parley);
    for (let i = 0; i < 12; i++) {
      const posted = await postMessage(parley, channel, {
        ...customer(`c-${i % 4}`),
        text: `hello ${i}`,
      });
      expect(posted.status).toBe(200);
    }
    // the notary reads the log, the signer signs within a second
    await eventually(
      () => getJson<Verification>('/api/audit/verify'),
      (r) => r.events_pending === 0 && r.events_unsigned === 0 && r.events_notarized > 20,
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('verifies the live log', async () => {
    expect(await getJson<Verification>('/api/audit/verify')).toMatchObject({
      ok: true,
      findings: [],
    });
  });

  it('shows the notary in /readyz', async () => {
    const ready = await get('/readyz', {});
    expect(JSON.parse(ready.text)).toMatchObject({
      audit: { notary_here: true, active_here: true, events_behind: 0, last_error: null },
    });
  });

  it('pages the log in commit order, resumably, each event with its record', async () => {
    const all = await allPages('limit=1000');
    const paged = await allPages('limit=7');
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(20);
    expect(all.every((item) => item.digest !== null)).toBe(true);

    const dialogs = await allPages('limit=5&stream_prefix=dialog-');
    expect(dialogs.length).toBeGreaterThan(0);
    expect(dialogs).toEqual(all.filter((item) => item.stream.startsWith('dialog-')));
    const type = all[all.length - 1]?.type as string;
    expect(await allPages(`types=${type}`)).toEqual(all.filter((item) => item.type === type));
  });

  it('streams the whole log as NDJSON, an export that verifies with the served public key', async () => {
    const exported = await get('/api/audit/events', {
      ...parley.admin,
      accept: 'application/x-ndjson',
    });
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('application/x-ndjson');
    const lines = exported.text.trimEnd().split('\n');
    const { public_key } = await getJson<{ public_key: string }>('/api/audit/public-key');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ kind: 'header', public_key });
    async function* source() {
      yield* lines;
    }
    expect(await verifyExport(source(), parsePublicKey(public_key))).toMatchObject({
      ok: true,
      ended: true,
    });
  });

  it('lists signed checkpoints that open with the public key', async () => {
    const { public_key } = await getJson<{ public_key: string }>('/api/audit/public-key');
    const page = await getJson<{ items: { seq: string; payload: string; signature: string }[] }>(
      '/api/audit/checkpoints?limit=1000',
    );
    expect(page.items.length).toBeGreaterThan(0);
    for (const checkpoint of page.items)
      expect(openCheckpoint(checkpoint, parsePublicKey(public_key))).toMatchObject({
        seq: checkpoint.seq,
      });
  });

  it('answers a bad cursor or limit with E_VALIDATION', async () => {
    for (const url of [
      '/api/audit/events?after=not-a-position',
      '/api/audit/events?limit=0',
      '/api/audit/checkpoints?after=x',
    ]) {
      const { status, text } = await get(url);
      expect({ url, status, code: (JSON.parse(text) as { code: string }).code }).toEqual({
        url,
        status: 400,
        code: 'E_VALIDATION',
      });
    }
  });

  it('is for the admin only', async () => {
    const operator = await createOperator(parley);
    for (const route of ['events', 'verify', 'public-key', 'checkpoints']) {
      expect((await get(`/api/audit/${route}`, operator.auth)).status).toBe(403);
      expect((await get(`/api/audit/${route}`, {})).status).toBe(401);
    }
  });

  it('exports, verifies (live and offline) and refuses to import into a non-empty store', async () => {
    const exported = await cli('export');
    expect(exported.code).toBe(0);
    const file = path.join(dir, 'log.ndjson');
    await writeFile(file, exported.out);
    const { public_key } = await getJson<{ public_key: string }>('/api/audit/public-key');

    expect((await cli('verify')).code).toBe(0);
    const offline = await cli('verify', file, '--public-key', public_key);
    expect(offline).toMatchObject({ code: 0, err: expect.stringContaining('verified') });

    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const i = lines.findIndex((l) => l.includes('"kind":"event"'));
    lines[i] = JSON.stringify({ ...JSON.parse(lines[i] as string), data: { forged: 1 } });
    const tampered = path.join(dir, 'tampered.ndjson');
    await writeFile(tampered, `${lines.join('\n')}\n`);
    const caught = await cli('verify', tampered, '--public-key', public_key);
    expect(caught).toMatchObject({ code: 1, err: expect.stringContaining('NOT VERIFIED') });
    expect((JSON.parse(caught.out) as Verification).findings).toEqual([
      expect.objectContaining({ kind: 'changed', fields: ['data'] }),
    ]);

    expect(await cli('import', file)).toMatchObject({
      code: 1,
      err: expect.stringContaining('not empty'),
    });
    expect((await cli('verify', file)).code).toBe(2);
  });
});
