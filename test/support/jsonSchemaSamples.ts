import fc from 'fast-check';

/**
 * Samples of the JSON Schema subset the OpenAPI document uses (type, properties, required,
 * items, enum, const, anyOf, minItems/maxItems, maxLength, pattern, minimum/maximum, format):
 * values it accepts, and values it refuses for exactly one reason.
 */
export type Schema = { [keyword: string]: unknown };

const typesOf = (schema: Schema): string[] =>
  schema.type === undefined ? [] : ([] as string[]).concat(schema.type as string | string[]);

const ofType = (type: string): fc.Arbitrary<unknown> =>
  ({
    null: fc.constant(null),
    boolean: fc.boolean(),
    integer: fc.integer(),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    string: fc.string({ maxLength: 8 }),
    array: fc.constant([]),
    object: fc.constant({}),
  })[type] ?? fc.constant(undefined);

const stringOf = (schema: Schema): fc.Arbitrary<string> => {
  const max = Math.min((schema.maxLength as number | undefined) ?? 40, 40);
  if (schema.format === 'uri')
    return fc
      .tuple(
        fc.constantFrom('http', 'https', 'HTTPS'),
        // not an IDNA A-label ("xn--…"): one that is not valid Punycode is no host to a URL
        // parser, which the codec is, while "format: uri" (RFC 3986) cannot say so
        fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/).filter((host) => !host.startsWith('xn--')),
        fc.stringMatching(/^[A-Za-z0-9._~-]{0,10}$/),
      )
      .map(([scheme, host, path]) => `${scheme}://${host}.example/${path}`);
  if (schema.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (typeof schema.pattern === 'string')
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => [...s].length <= max);
  return fc.string({ maxLength: max });
};

export const validSample = (schema: Schema): fc.Arbitrary<unknown> => {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Schema[]).map(validSample));
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue();
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return stringOf(schema);
        case 'integer':
          return fc.integer({
            min: (schema.minimum as number | undefined) ?? -1e6,
            max: Math.min((schema.maximum as number | undefined) ?? 1e6, 1e12),
          });
        case 'number':
          return fc.double({
            min: (schema.minimum as number | undefined) ?? -1e6,
            max: Math.min((schema.maximum as number | undefined) ?? 1e6, 1e15),
            noNaN: true,
          });
        case 'array':
          return fc.array(validSample((schema.items as Schema | undefined) ?? {}), {
            minLength: (schema.minItems as number | undefined) ?? 0,
            maxLength: Math.min((schema.maxItems as number | undefined) ?? 3, 3),
          });
        case 'object': {
          const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
          return fc.record(
            Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validSample(s)])),
            { requiredKeys: (schema.required as string[] | undefined) ?? [] },
          );
        }
        default:
          return ofType(type);
      }
    }),
  );
};

const ALL_TYPES = ['null', 'boolean', 'number', 'string', 'array', 'object'];

/** A value this schema refuses for one reason (a wrong type, a missing field, a limit), or null. */
export const invalidSample = (schema: Schema): fc.Arbitrary<unknown> | null => {
  const types = typesOf(schema);
  const reasons: fc.Arbitrary<unknown>[] = [];
  if (types.length > 0) {
    const admitted = types.includes('number') ? [...types, 'integer'] : types;
    const wrong = ALL_TYPES.filter(
      (type) => !admitted.includes(type) && !(type === 'number' && admitted.includes('integer')),
    );
    if (wrong.length > 0) reasons.push(fc.constantFrom(...wrong).chain(ofType));
  }
  if (Array.isArray(schema.enum)) {
    reasons.push(fc.constant('not-one-of-the-enum'));
  }
  if (typeof schema.maxLength === 'number')
    reasons.push(fc.constant('x'.repeat(schema.maxLength + 1)));
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const misses = ['', ' ', 'zz', 'ftp://example.com/'].filter((s) => !pattern.test(s));
    if (misses.length > 0) reasons.push(fc.constantFrom(...misses));
  }
  if (typeof schema.minimum === 'number') reasons.push(fc.constant(schema.minimum - 1));
  if (typeof schema.maximum === 'number' && schema.maximum < Number.MAX_SAFE_INTEGER)
    reasons.push(fc.constant(schema.maximum * 2 + 1));
  if (types.includes('array')) {
    const items = (schema.items as Schema | undefined) ?? {};
    if (typeof schema.maxItems === 'number')
      reasons.push(
        fc.array(validSample(items), {
          minLength: schema.maxItems + 1,
          maxLength: schema.maxItems + 1,
        }),
      );
    if (typeof schema.minItems === 'number' && schema.minItems > 0) reasons.push(fc.constant([]));
    const badItem = invalidSample(items);
    if (badItem !== null) reasons.push(badItem.map((item) => [item]));
  }
  if (types.includes('object')) {
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    const valid = validSample({ ...schema, type: 'object' }) as fc.Arbitrary<
      Record<string, unknown>
    >;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      reasons.push(valid.map(({ [name]: _dropped, ...rest }) => rest));
    }
    for (const [name, property] of Object.entries(properties)) {
      const bad = invalidSample(property);
      if (bad !== null)
        reasons.push(fc.tuple(valid, bad).map(([object, value]) => ({ ...object, [name]: value })));
    }
  }
  return reasons.length === 0 ? null : fc.oneof(...reasons);
};
