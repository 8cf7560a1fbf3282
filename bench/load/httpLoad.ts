import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import { round, Samples, type LatencySummary } from '../lib/stats';

/** One request to send: where, and with which body. */
export type Shot = Readonly<{
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Readonly<Record<string, string>>;
}>;

export type LoadResult = Readonly<{
  mode: 'max' | 'rate';
  connections: number;
  /** the rate asked for; null at full load */
  targetRate: number | null;
  durationS: number;
  sent: number;
  ok: number;
  /** 2xx responses per second */
  throughput: number;
  statuses: Readonly<Record<string, number>>;
  errors: number;
  /** the first few non-2xx bodies, to see what went wrong */
  errorSamples: readonly string[];
  latency: LatencySummary;
  /** requests per kind, 2xx only */
  kinds: Readonly<Record<string, number>>;
  /** the latency of each kind's 2xx answers: the mix's tail is its slowest kind's */
  latencyByKind: Readonly<Record<string, LatencySummary>>;
}>;

type Tally = {
  samples: Samples;
  byKind: Record<string, Samples>;
  statuses: Record<string, number>;
  kinds: Record<string, number>;
  errorSamples: string[];
  ok: number;
  sent: number;
};

const tally = (): Tally => ({
  samples: new Samples(),
  byKind: {},
  statuses: {},
  kinds: {},
  errorSamples: [],
  ok: 0,
  sent: 0,
});

/** A 2xx answer of `kind` after `ms`. */
const answered = (t: Tally, kind: string, status: number, ms: number): void => {
  t.ok++;
  t.statuses[status] = (t.statuses[status] ?? 0) + 1;
  t.kinds[kind] = (t.kinds[kind] ?? 0) + 1;
  t.samples.add(ms);
  (t.byKind[kind] ??= new Samples()).add(ms);
};

const record = (t: Tally, kind: string, status: number, ms: number, body: string): void => {
  if (status >= 200 && status < 300) answered(t, kind, status, ms);
  else {
    t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    if (t.errorSamples.length < 5) t.errorSamples.push(`${status} ${body.slice(0, 300)}`);
  }
};

const result = (
  t: Tally,
  mode: 'max' | 'rate',
  connections: number,
  targetRate: number | null,
  durationS: number,
  errors: number,
): LoadResult => ({
  mode,
  connections,
  targetRate,
  durationS: round(durationS),
  sent: t.sent,
  ok: t.ok,
  throughput: round(t.ok / durationS, 1),
  statuses: t.statuses,
  errors,
  errorSamples: t.errorSamples,
  latency: t.samples.summary(),
  kinds: t.kinds,
  latencyByKind: Object.fromEntries(
    Object.entries(t.byKind).map(([kind, samples]) => [kind, samples.summary()]),
  ),
});

/** Closed loop: `connections` keep-alive connections, each sending as soon as it has an answer. */
export const fullLoad = (
  url: string,
  next: () => Shot,
  { connections, durationS }: Readonly<{ connections: number; durationS: number }>,
): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const t = tally();
    const started = performance.now();
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationS,
        timeout: 30,
        requests: [
          {
            setupRequest: (req, context) => {
              const shot = next();
              context.kind = shot.kind;
              t.sent++;
              return {
                ...req,
                method: shot.method,
                path: shot.path,
                headers: {
                  ...(shot.body === undefined ? {} : { 'content-type': 'application/json' }),
                  ...shot.headers,
                },
                body: shot.body,
              };
            },
            onResponse: (status, body, context) => {
              context.status = status;
              if (status < 200 || status >= 300) record(t, String(context.kind), status, 0, body);
            },
          },
        ],
      },
      (error, res) => {
        if (error) return reject(error);
        resolve(
          result(t, 'max', connections, null, (performance.now() - started) / 1000, res.errors),
        );
      },
    );
    // the latency of each answer; kinds and errors come from onResponse's context above
    instance.on(
      'response',
      (
        client: { requestIterator?: { context?: Record<string, unknown> } },
        status: number,
        _bytes: number,
        ms: number,
      ) => {
        if (status >= 200 && status < 300)
          answered(t, String(client.requestIterator?.context?.kind ?? 'unknown'), status, ms);
      },
    );
  });

/**
 * Open loop at a fixed rate: requests leave on a schedule whatever the answers do, and latency
 * counts from the scheduled time, so a server that falls behind cannot hide it (no
 * coordinated omission). autocannon's overallRate sends each second's quota in a burst instead.
 */
export const fixedRate = async (
  url: string,
  next: () => Shot,
  {
    rate,
    durationS,
    maxSockets,
  }: Readonly<{ rate: number; durationS: number; maxSockets: number }>,
): Promise<LoadResult> => {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const t = tally();
  let errors = 0;
  let inFlight = 0;
  const interval = 1000 / rate;
  const start = performance.now();
  const end = start + durationS * 1000;
  let due = start;

  const send = (scheduled: number): void => {
    const shot = next();
    t.sent++;
    inFlight++;
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: shot.method,
        path: shot.path,
        headers: {
          ...(shot.body === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(shot.body),
              }),
          ...shot.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          inFlight--;
          record(
            t,
            shot.kind,
            res.statusCode ?? 0,
            performance.now() - scheduled,
            Buffer.concat(chunks).toString('utf8'),
          );
        });
      },
    );
    req.on('error', () => {
      inFlight--;
      errors++;
    });
    req.end(shot.body);
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (due <= now && due < end) {
        send(due);
        due += interval;
      }
      if (due >= end) return resolve();
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    tick();
  });
  // answers to requests sent before the end still count: they were part of the offered load
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  agent.destroy();
  return result(t, 'rate', maxSockets, rate, (performance.now() - start) / 1000, errors);
};
