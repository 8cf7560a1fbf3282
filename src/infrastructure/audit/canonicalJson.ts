/**
 * The audit's canonical JSON: object keys sorted by code unit, no whitespace, undefined
 * members left out, everything else as JSON.stringify writes it. Digests and signatures are
 * taken over these bytes, so the encoding is part of the audit format (docs/audit.md) and is
 * kept here, apart from any other canonical form Parley uses. Loops and one growing string
 * rather than map/filter/join: the notary encodes every event's data and metadata, and the
 * arrays of the functional form were a third of its CPU per event (docs/performance.md).
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? '' : ','}${quotedKey(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
};

/**
 * Object.keys in code-unit order (what Array.prototype.sort does with strings). An event's
 * objects have a few keys each: an insertion sort in place is half the cost of sort() there,
 * and sort() takes over where it would not be.
 */
const sortedKeys = (record: Record<string, unknown>): string[] => {
  const keys = Object.keys(record);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    for (; j >= 0 && (keys[j] as string) > key; j--) keys[j + 1] = keys[j] as string;
    keys[j + 1] = key;
  }
  return keys;
};

/**
 * JSON.stringify(key) without the call for a key it would write as it is: no control
 * character, quote, backslash or surrogate (JSON.stringify escapes a lone one; a key with any
 * goes to it). Nothing is cached: a key may be a customer's (integration data).
 */
const quotedKey = (key: string): string => {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff))
      return JSON.stringify(key);
  }
  return `"${key}"`;
};
