import { Client } from 'pg';
import { customerId, customerName, customerReference, requestMix } from '../load/mix';
import { round } from '../lib/stats';
import { appendShape, type AppendShape } from './statements';

/** The kinds of message the bench's mix sends, and one more: an existing one with a key. */
export const MESSAGE_KINDS = ['existing', 'idempotent', 'newReference', 'merge'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** What the write path sent per message, by statement, and what the read side sent meanwhile. */
export type KindStatements = Readonly<{
  kind: MessageKind;
  requests: number;
  /** appends (`WITH stream AS … INSERT INTO event_store.events`) */
  append: number;
  /** the appends by expected revision: a new stream's (no_stream), a known one's (revision) … */
  appendsBy?: Readonly<Record<AppendShape, number>>;
  /** stream reads (`… FROM event_store.events WHERE stream_id = $1 …`) */
  readStream: number;
  /** anything else on event_store.streams: a wrong-expected-version's revision lookup */
  revision: number;
  /** cross-process wake-ups (one `pg_notify` per 10 ms at most, amortised under load) */
  notify: number;
  /** append + readStream + revision: what the request itself costs PostgreSQL */
  writePath: number;
  /** projections, outbox, notary, during the same requests (not caused one to one) */
  readSide: number;
}>;

type Classified = Exclude<keyof KindStatements, 'kind' | 'requests' | 'writePath' | 'appendsBy'>;

const classify = (query: string): Classified => {
  if (appendShape(query) !== null) return 'append';
  if (/FROM event_store\.events\s+WHERE stream_id = \$1/.test(query)) return 'readStream';
  if (/pg_notify/.test(query)) return 'notify';
  if (/FROM event_store\.streams WHERE stream_id/.test(query)) return 'revision';
  return 'readSide';
};

export type KindTarget = Readonly<{
  parleyUrl: string;
  endpoint: string;
  customers: number;
  /** merge pairs nobody else consumes */
  mergeFrom: number;
  mergeTo: number;
}>;

const customerBody = (i: number, n: number): Record<string, unknown> => ({
  reference: customerReference(i),
  text: `statement count ${n}: is the sofa still available?`,
  integration_data: JSON.stringify({ chat: customerReference(i), source: 'avito', v: 2 }),
  contact_object: {
    name: customerName(i),
    contacts: [{ type: 'id', value: customerId(i), service: 'custom', origin: 'custom' }],
  },
});

/**
 * `--statements`: how many statements each kind of message costs PostgreSQL, counted with
 * pg_stat_statements (the bench's embedded server preloads it) around `requests` messages of
 * one kind sent one at a time. Caches are warmed first: each customer gets a message before
 * its measured one, as in the mix's steady state.
 */
export const statementsPerKind = async (
  databaseUrl: string,
  target: KindTarget,
  requests = 25,
): Promise<KindStatements[]> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let sent = 0;
  const post = async (body: unknown, key: string | null = null): Promise<void> => {
    const response = await fetch(`${target.parleyUrl}${target.endpoint}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key === null ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`statement count: HTTP ${response.status}`);
    sent++;
  };
  const sequential = async (bodies: readonly unknown[], keyed: boolean): Promise<void> => {
    for (const body of bodies) await post(body, keyed ? `statements-${Date.now()}-${sent}` : null);
  };
  const counted = async (
    kind: MessageKind,
    bodies: readonly unknown[],
    keyed = false,
  ): Promise<KindStatements> => {
    await client.query('SELECT pg_stat_statements_reset()');
    await sequential(bodies, keyed);
    const rows = await client.query<{ query: string; calls: string }>(
      `SELECT query, calls FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const sums: Record<Classified, number> = {
      append: 0,
      readStream: 0,
      revision: 0,
      notify: 0,
      readSide: 0,
    };
    const shapes: Record<AppendShape, number> = {
      no_stream: 0,
      any: 0,
      stream_exists: 0,
      revision: 0,
    };
    for (const r of rows.rows) {
      if (/pg_stat_statements/.test(r.query)) continue;
      sums[classify(r.query)] += Number(r.calls);
      const shape = appendShape(r.query);
      if (shape !== null) shapes[shape] += Number(r.calls);
    }
    const per = (n: number): number => round(n / bodies.length, 2);
    return {
      kind,
      requests: bodies.length,
      append: per(sums.append),
      appendsBy: {
        no_stream: per(shapes.no_stream),
        any: per(shapes.any),
        stream_exists: per(shapes.stream_exists),
        revision: per(shapes.revision),
      },
      readStream: per(sums.readStream),
      revision: per(sums.revision),
      notify: per(sums.notify),
      writePath: per(sums.append + sums.readStream + sums.revision),
      readSide: per(sums.readSide),
    };
  };
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const customers = Array.from({ length: requests }, (_, i) =>
      Math.floor((i * target.customers) / requests),
    );
    const bodies = (): Record<string, unknown>[] => customers.map((i) => customerBody(i, sent));
    // warm: every customer's channel, claims, contact and dialog are in Parley's cache
    await sequential(bodies(), false);
    const mix = requestMix(
      { customers: target.customers, mergePairs: target.mergeTo },
      { seed: 7, stream: 'statements', mergeFrom: target.mergeFrom, mergeTo: target.mergeTo },
    );
    const merges: unknown[] = [];
    while (merges.length < Math.min(requests, target.mergeTo - target.mergeFrom)) {
      const next = mix.next();
      if (next.kind === 'merge') merges.push(JSON.parse(next.body));
    }
    const fresh = Date.now();
    const results = [
      await counted('existing', bodies()),
      await counted('idempotent', bodies(), true),
      await counted(
        'newReference',
        bodies().map((b, i) => ({
          ...b,
          reference: `statements-${fresh}-${i}`,
          dialog_title: 'Order',
        })),
      ),
      await counted('merge', merges),
    ];
    return results;
  } finally {
    await client.end();
  }
};
