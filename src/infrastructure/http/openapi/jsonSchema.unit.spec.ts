import * as t from 'io-ts';
import { describedAs, jsonSchemaOf } from './jsonSchema';

describe('jsonSchemaOf', () => {
  it('describes objects: t.type fields are required unless they admit undefined', () =>
    expect(
      jsonSchemaOf(
        t.intersection([
          t.type({ name: t.string, note: t.union([t.string, t.undefined]) }),
          t.partial({ enabled: t.boolean, status: t.keyof({ open: null, closed: null }) }),
        ]),
      ),
    ).toEqual({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        note: { type: 'string' },
        enabled: { type: 'boolean' },
        status: { type: 'string', enum: ['open', 'closed'] },
      },
    }));

  it('writes X | null as a type list, and other unions as anyOf', () => {
    expect(jsonSchemaOf(t.union([t.string, t.null, t.undefined]))).toEqual({
      type: ['string', 'null'],
    });
    expect(jsonSchemaOf(t.union([t.keyof({ a: null }), t.null]))).toEqual({
      type: ['string', 'null'],
      enum: ['a', null],
    });
    expect(jsonSchemaOf(t.union([t.string, t.array(t.number)]))).toEqual({
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'number' } }],
    });
  });

  it('walks a refinement or a brand to its base type, with the keywords it is described by', () => {
    interface StorableBrand {
      readonly Storable: unique symbol;
    }
    const storable = t.brand(
      t.string,
      (s): s is t.Branded<string, StorableBrand> => !s.includes('\u0000'),
      'Storable',
    );
    expect(jsonSchemaOf(t.type({ text: storable }))).toEqual({
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string' } },
    });
    const short = describedAs(
      t.refinement(storable, (s) => s.length <= 10, 'short'),
      { maxLength: 10 },
    );
    expect(jsonSchemaOf(short)).toEqual({ type: 'string', maxLength: 10 });
  });

  it('lets a hook add keywords to what it found', () =>
    expect(
      jsonSchemaOf(t.type({ id: t.string }), (codec, schema) =>
        codec === t.string ? { ...schema, pattern: '^[0-9a-f]{24}$' } : schema,
      ),
    ).toEqual({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', pattern: '^[0-9a-f]{24}$' } },
    }));

  it('takes a hand-made codec as it is described, and fails loudly on one that is not', () => {
    const opaque = new t.Type<string, string, unknown>(
      'opaque',
      (u): u is string => typeof u === 'string',
      (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
      t.identity,
    );
    expect(() => jsonSchemaOf(t.type({ x: opaque }))).toThrow(/"opaque"/);
    describedAs(opaque, { type: 'string', format: 'email' });
    expect(jsonSchemaOf(t.array(opaque))).toEqual({
      type: 'array',
      items: { type: 'string', format: 'email' },
    });
  });
});
