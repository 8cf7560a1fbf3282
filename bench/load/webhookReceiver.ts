import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from '../lib/child';
import { Samples, type LatencySummary } from '../lib/stats';

export type ReceiverReport = Readonly<{
  type: 'report';
  received: number;
  /** ms since the epoch of the first and the last delivery, null before any */
  first: number | null;
  last: number | null;
  /** from Parley receiving the message (message.received_at) to its webhook arriving here */
  endToEndMs: LatencySummary;
}>;

/**
 * An integrator's endpoint on 127.0.0.1, in a process of its own: answers 204 (at once, or
 * after `delayMs`, a slow receiver) and notes when each message.created arrived. `reset`
 * starts a new count and sets the delay.
 */
let samples = new Samples();
let received = 0;
let first: number | null = null;
let last: number | null = null;
let delayMs = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    res.statusCode = 204;
    if (delayMs > 0) setTimeout(() => res.end(), delayMs);
    else res.end();
    received++;
    first ??= now;
    last = now;
    try {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data?: { message?: { received_at?: string } };
      };
      const at = payload.data?.message?.received_at;
      if (at !== undefined) samples.add(now - Date.parse(at));
    } catch {
      // not ours to judge: the count is what matters
    }
  });
});
server.keepAliveTimeout = 65_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/hooks/parley` });
});

serveParent(
  {
    report: async (): Promise<ReceiverReport> => ({
      type: 'report',
      received,
      first,
      last,
      endToEndMs: samples.summary(),
    }),
    reset: async (message: { delayMs?: number }) => {
      delayMs = message.delayMs ?? 0;
      samples = new Samples();
      received = 0;
      first = null;
      last = null;
      return { type: 'reset' };
    },
  },
  async () => {
    server.close();
  },
);
