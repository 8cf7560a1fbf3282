import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { WebhookUrlGuard } from '../../application/ports/webhookUrlGuard';
import { isForbiddenAddress } from './addressPolicy';

/** Name → addresses; injectable so that tests can play DNS rebinding. */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolve: Resolve = (hostname) =>
  dnsLookup(hostname, { all: true, verbatim: true });

export type AddressGuard = Readonly<{ allowPrivate: boolean; resolve: Resolve }>;

export const addressGuardOf = (
  config: Readonly<{ webhookAllowPrivate: boolean }>,
  resolve: Resolve = systemResolve,
): AddressGuard => ({ allowPrivate: config.webhookAllowPrivate, resolve });

export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
  readonly code = 'E_WEBHOOK_URL_FORBIDDEN';
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/**
 * The addresses a webhook to this host may connect to. Every address the name resolves to must
 * be public: one private answer is enough to refuse, since the connection could pick it.
 */
export const allowedAddresses = async (
  hostname: string,
  { allowPrivate, resolve }: AddressGuard,
): Promise<readonly LookupAddress[]> => {
  const family = isIP(hostname);
  const addresses =
    family === 0 ? await resolve(hostname) : [{ address: hostname, family: family as 4 | 6 }];
  if (addresses.length === 0) throw new ForbiddenAddressError(`${hostname} resolves to nothing`);
  const refused = allowPrivate ? undefined : addresses.find((a) => isForbiddenAddress(a.address));
  if (refused !== undefined) {
    throw new ForbiddenAddressError(
      `${hostname} resolves to ${refused.address}, a private, loopback or link-local address`,
    );
  }
  return addresses;
};

/** The subscribe-time check; the delivery-time check is the guarded lookup of the sender. */
export const webhookUrlGuard = (guard: AddressGuard): WebhookUrlGuard => ({
  refusal: async (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'not an absolute URL';
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https';
    if (guard.allowPrivate) return null;
    try {
      await allowedAddresses(hostOf(url), guard);
      return null;
    } catch (error) {
      if (error instanceof ForbiddenAddressError) return error.message;
      return `${hostOf(url)} could not be resolved`;
    }
  },
});

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that connects only to addresses checked right now: a name that
 * resolved to a public address at subscribe time and to a private one later (DNS rebinding) is
 * refused at the moment of the connection, with no window between check and connect.
 */
export const guardedLookup =
  (guard: AddressGuard) =>
  (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    allowedAddresses(hostname, guard).then(
      (addresses) => {
        const first = addresses[0] as LookupAddress;
        if (options.all) callback(null, [...addresses]);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };

export { hostOf };
