import fc from 'fast-check';
import { canonicalJson } from './canonicalJson';
import {
  chained,
  digestEvent,
  digestOfJson,
  GENESIS,
  leafOf,
  sha256,
  type AuditedEvent,
} from './eventDigest';

const event: AuditedEvent = {
  position: '7:42',
  stream: 'dialog-1',
  revision: 3n,
  id: '4b0c6f8e-2f8e-4a51-9d1f-0c1b2d3e4f50',
  type: 'MessageReceived',
  data: { text: 'hello', n: 1 },
  metadata: { correlationId: 'r-1', actor: { type: 'system' } },
};

describe('the audit digests', () => {
  it('encode JSON canonically: the same value whatever its key order, and JSON it stays', () =>
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(
          JSON.stringify(value, (_k, v: unknown) =>
            v !== null && typeof v === 'object' && !Array.isArray(v)
              ? Object.fromEntries(Object.entries(v).reverse())
              : v,
          ),
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    ));

  it('encode as the plain definition does: keys sorted by sort(), each written by JSON.stringify', () => {
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .sort()
        .filter((key) => record[key] !== undefined)
        .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
      return `{${members.join(',')}}`;
    };
    // keys of every kind (quotes, backslashes, control characters, lone and paired
    // surrogates) and objects of more keys than the insertion sort takes
    const key = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('"', '\\', '\n', '\u0000', '\ud800', '\udc00x', '😀', 'é', '10', '9', ''),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 24 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('sort keys by code unit, integer-like ones too, and leave undefined members out', () => {
    const value = {
      b: [1, undefined, 'x'],
      '10': true,
      '9': null,
      B: { z: 1, a: undefined },
      é: 2,
    };
    expect(canonicalJson(value)).toBe('{"10":true,"9":null,"B":{"z":1},"b":[1,null,"x"],"é":2}');
  });

  it('write the leaf as the canonical JSON of its fields, whatever text they hold', () =>
    fc.assert(
      fc.property(
        fc.record({
          position: fc.string({ unit: 'grapheme' }),
          stream: fc.string({ unit: 'grapheme' }),
          revision: fc.bigInt({ min: 0n, max: 2n ** 63n }),
          id: fc.string({ unit: 'grapheme' }),
          type: fc.string({ unit: 'grapheme' }),
          dataDigest: fc.string(),
          metadataDigest: fc.string(),
        }),
        (fields) => {
          expect(leafOf(fields)).toBe(
            digestOfJson({
              position: fields.position,
              stream: fields.stream,
              revision: fields.revision.toString(),
              id: fields.id,
              type: fields.type,
              data_digest: fields.dataDigest,
              metadata_digest: fields.metadataDigest,
            }),
          );
        },
      ),
    ));

  it('chain a leaf onto the heads before it, as docs/audit.md writes it', () => {
    const digest = digestEvent(event, 5n, 'a'.repeat(64), GENESIS);
    const leaf = sha256(
      '{"data_digest":"' +
        sha256('{"n":1,"text":"hello"}') +
        '","id":"4b0c6f8e-2f8e-4a51-9d1f-0c1b2d3e4f50","metadata_digest":"' +
        sha256('{"actor":{"type":"system"},"correlationId":"r-1"}') +
        '","position":"7:42","revision":"3","stream":"dialog-1","type":"MessageReceived"}',
    );
    expect(digest).toMatchObject({
      seq: 5n,
      leaf,
      streamHead: sha256('a'.repeat(64) + leaf),
      globalHead: sha256(GENESIS + leaf),
    });
    expect(leafOf({ ...digest, id: digest.eventId })).toBe(leaf);
    expect(chained(GENESIS, leaf)).toBe(digest.globalHead);
  });

  it('change with any part of the event', () => {
    const base = digestEvent(event, 1n, GENESIS, GENESIS).leaf;
    const variants: Partial<AuditedEvent>[] = [
      { position: '7:43' },
      { stream: 'dialog-2' },
      { revision: 4n },
      { id: '00000000-0000-0000-0000-000000000000' },
      { type: 'MessageSent' },
      { data: { text: 'hello!', n: 1 } },
      { metadata: { correlationId: 'r-2', actor: { type: 'system' } } },
    ];
    for (const change of variants)
      expect(digestEvent({ ...event, ...change }, 1n, GENESIS, GENESIS).leaf).not.toBe(base);
  });
});
