import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DestinationAgents } from './destinationAgents';
import { allowedAddresses, guardedLookup, hostOf, type AddressGuard } from './urlGuard';

export type AttemptResult = Readonly<{
  /** null when no response came (refused address, connection error, timeout) */
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** the start of the response body, for the delivery log */
  snippet: string | null;
  retryAfter: string | undefined;
}>;

export type SendOptions = Readonly<{
  timeoutMs: number;
  guard: AddressGuard;
  /** bytes of the response body kept for the delivery log */
  snippetBytes?: number;
  /** keep-alive connections per destination; without, a new connection per attempt */
  agents?: DestinationAgents;
}>;

const readSnippet = (response: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      // a multi-byte character cut in half becomes U+FFFD, never an invalid string
      resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    };
    response.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
      // enough for the log: stop reading an endless or huge body
      if (size >= limit) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', done);
    response.on('close', done);
  });

/**
 * One POST of one webhook. Redirects are not followed (a 3xx is a failure), the whole exchange
 * has `timeoutMs`, and the connection goes only to addresses the guard accepts at this moment.
 */
export const sendWebhook = async (
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  { timeoutMs, guard, snippetBytes = 1024, agents }: SendOptions,
): Promise<AttemptResult> => {
  const started = process.hrtime.bigint();
  const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const target = new URL(url);
  try {
    // an IP literal skips lookup altogether, so it is checked here
    await allowedAddresses(hostOf(target), guard);
  } catch (error) {
    return failure(error, elapsed());
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const post = (reuse: boolean) =>
    new Promise<AttemptResult | 'stale connection'>((resolve) => {
      let settled = false;
      const settle = (result: AttemptResult | 'stale connection') => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: guardedLookup(guard) as never,
          agent: reuse && agents !== undefined ? agents.agentFor(target) : false,
        },
        (response) => {
          readSnippet(response, snippetBytes).then((snippet) =>
            settle({
              statusCode: response.statusCode ?? null,
              error: null,
              latencyMs: elapsed(),
              snippet,
              retryAfter: response.headers['retry-after'],
            }),
          );
        },
      );
      const timer = setTimeout(
        () => {
          req.destroy();
          settle(failure(new Error(`no complete answer within ${timeoutMs} ms`), elapsed()));
        },
        Math.max(0, timeoutMs - elapsed()),
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        // the receiver closed an idle keep-alive connection as we sent on it: nothing was
        // answered, so a new connection (once) is the same attempt, not a failed one
        settle(
          req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
            ? 'stale connection'
            : failure(error, elapsed()),
        ),
      );
      req.end(body);
    });
  const result = await post(true);
  if (result !== 'stale connection') return result;
  const again = await post(false);
  return again === 'stale connection' ? failure(new Error('connection reset'), elapsed()) : again;
};

const failure = (error: unknown, latencyMs: number): AttemptResult => ({
  statusCode: null,
  error: error instanceof Error ? error.message : String(error),
  latencyMs,
  snippet: null,
  retryAfter: undefined,
});
