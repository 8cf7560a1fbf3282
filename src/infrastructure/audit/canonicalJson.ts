/**
 * The audit's canonical JSON: object keys sorted by code unit, no whitespace, undefined
 * members left out, everything else as JSON.stringify writes it. Digests and signatures are
 * taken over these bytes, so the encoding is part of the audit format (docs/audit.md) and is
 * kept here, apart from any other canonical form Parley uses.
 */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};
