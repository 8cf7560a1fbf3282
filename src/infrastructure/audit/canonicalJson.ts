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
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
};
