import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  allowedAddresses,
  ForbiddenAddressError,
  guardedLookup,
  hostOf,
  type AddressGuard,
} from '../webhooks/urlGuard';

export type FetchOptions = Readonly<{ guard: AddressGuard; maxBytes: number; timeoutMs: number }>;

/**
 * What one fetch of an attachment came to. `permanent` failures (a 4xx, too large, a
 * forbidden address) are not tried again; `transient` ones (5xx, 429, a timeout, a reset) are.
 */
export type FetchResult =
  | Readonly<{ kind: 'fetched'; bytes: Buffer; contentType: string | null }>
  | Readonly<{ kind: 'permanent' | 'transient'; reason: string }>;

const MAX_REDIRECTS = 3;

const permanent = (reason: string): FetchResult => ({ kind: 'permanent', reason });
const transient = (reason: string): FetchResult => ({ kind: 'transient', reason });

/** Reads a body up to `maxBytes`; more is a permanent failure, whatever the headers said. */
const readBody = (response: IncomingMessage, maxBytes: number): Promise<FetchResult> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        resolve(permanent(`the file is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () =>
      resolve({
        kind: 'fetched',
        bytes: Buffer.concat(chunks),
        contentType: response.headers['content-type'] ?? null,
      }),
    );
    response.on('error', (error) => resolve(transient(`the download broke off: ${error.message}`)));
    response.on('aborted', () => resolve(transient('the download broke off')));
  });

type Hop = FetchResult | Readonly<{ kind: 'redirect'; location: string }>;

const getOnce = (target: URL, options: FetchOptions, deadline: number): Promise<Hop> =>
  new Promise((resolve) => {
    let settled = false;
    const settle = (hop: Hop) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(hop);
    };
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      target,
      {
        method: 'GET',
        headers: { accept: '*/*', 'user-agent': 'Parley attachment fetcher' },
        lookup: guardedLookup(options.guard) as never,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status >= 300 && status < 400 && location !== undefined) {
          response.resume();
          settle({ kind: 'redirect', location });
          return;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          const reason = `the server answered ${status}`;
          settle(
            status >= 500 || status === 429 || status === 408
              ? transient(reason)
              : permanent(reason),
          );
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          response.destroy();
          settle(permanent(`the file is larger than ${options.maxBytes} bytes`));
          return;
        }
        readBody(response, options.maxBytes).then(settle);
      },
    );
    const timer = setTimeout(
      () => {
        req.destroy();
        settle(transient(`no complete answer within ${options.timeoutMs} ms`));
      },
      Math.max(0, deadline - Date.now()),
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        error instanceof ForbiddenAddressError || error.name === 'ForbiddenAddressError'
          ? permanent(error.message)
          : transient(`connection failed: ${error.code ?? error.message}`),
      ),
    );
    req.end();
  });

/**
 * One attempt at an attachment's URL: GET, at most three redirects, each hop held to the same
 * address guard as webhooks (checked at the moment of connecting), `maxBytes` and `timeoutMs`
 * for the whole attempt.
 */
export const fetchFile = async (url: string, options: FetchOptions): Promise<FetchResult> => {
  const deadline = Date.now() + options.timeoutMs;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return permanent('not an absolute URL');
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return permanent('only http and https URLs are fetched');
    try {
      // an IP literal skips lookup altogether, so it is checked here
      await allowedAddresses(hostOf(target), options.guard);
    } catch (error) {
      return error instanceof ForbiddenAddressError
        ? permanent(error.message)
        : transient("the file's host could not be resolved"); // not the host: the reason is kept in the log, a URL may be personal;
    }
    const result = await getOnce(target, options, deadline);
    if (result.kind !== 'redirect') return result;
    try {
      target = new URL(result.location, target);
    } catch {
      return permanent('a redirect to something that is not a URL');
    }
  }
  return permanent(`more than ${MAX_REDIRECTS} redirects`);
};
