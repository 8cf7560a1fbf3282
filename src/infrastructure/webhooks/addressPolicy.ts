import { isIPv4, isIPv6 } from 'node:net';

type Range = Readonly<{ base: readonly number[]; bits: number }>;

const v4 = (cidr: string): Range => {
  const [address = '', bits = '32'] = cidr.split('/');
  return { base: address.split('.').map(Number), bits: Number(bits) };
};

/** Addresses a webhook must not reach: private, loopback, link-local and other non-public ones. */
const FORBIDDEN_V4: readonly Range[] = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // carrier-grade NAT, shared
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, cloud metadata
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
].map(v4);

const v6 = (prefix: readonly number[], bits: number): Range => ({ base: prefix, bits });

const FORBIDDEN_V6: readonly Range[] = [
  v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128), // unspecified
  v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128), // loopback
  v6([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48), // local-use NAT64
  v6([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64), // discard-only
  v6([0xfc], 7), // unique local
  v6([0xfe, 0x80], 10), // link-local
  v6([0xfe, 0xc0], 10), // site-local (deprecated, still routed by some)
  v6([0xff], 8), // multicast
];

const inRange = (bytes: readonly number[], { base, bits }: Range): boolean => {
  for (let bit = 0; bit < bits; bit += 8) {
    const take = Math.min(8, bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((base[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
};

/** 16 bytes of an IPv6 address (zone id dropped, embedded dotted quad allowed); null if not one. */
export const ipv6Bytes = (address: string): number[] | null => {
  const text = address.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (!isIPv6(text)) return null;
  let tail: number[] = [];
  let head = text;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad !== null) {
    tail = (quad[1] as string).split('.').map(Number);
    head = text.slice(0, -(quad[1] as string).length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  const [left = '', right] = head.split('::');
  const leftBytes = groups(left);
  const rightBytes = [...(right === undefined ? [] : groups(right)), ...tail];
  const zeros = 16 - leftBytes.length - rightBytes.length;
  return [...leftBytes, ...new Array<number>(Math.max(0, zeros)).fill(0), ...rightBytes];
};

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), if any. */
const embeddedIpv4 = (bytes: readonly number[]): number[] | null => {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12); // ::ffff:a.b.c.d
  if (zeros(0, 12)) return bytes.slice(12); // ::a.b.c.d (deprecated "compatible")
  if (inRange(bytes, v6([0x00, 0x64, 0xff, 0x9b], 96))) return bytes.slice(12); // NAT64
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6); // 6to4
  return null;
};

const forbiddenV4 = (bytes: readonly number[]): boolean =>
  FORBIDDEN_V4.some((range) => inRange(bytes, range));

/**
 * Is this IP address one that webhooks must not reach? IPv4 and IPv6, including IPv4 addresses
 * wrapped in IPv6 (`::ffff:127.0.0.1`), which would otherwise slip past a check of IPv4 ranges.
 * Anything that is not an IP address is refused.
 */
export const isForbiddenAddress = (address: string): boolean => {
  if (isIPv4(address)) return forbiddenV4(address.split('.').map(Number));
  const bytes = ipv6Bytes(address);
  if (bytes === null) return true;
  if (FORBIDDEN_V6.some((range) => inRange(bytes, range))) return true;
  const wrapped = embeddedIpv4(bytes);
  return wrapped !== null && forbiddenV4(wrapped);
};
