/** Small helpers to write OpenAPI 3.1 fragments readably. */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export const json = (schema: Schema, description: string, headers?: Schema) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema } },
});

/** A header of an answer: what it says, and its type. */
export const header = (description: string, type: 'string' | 'integer' = 'string') => ({
  description,
  schema: { type },
});

export const idParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
});

export const positionHeader = {
  'X-Parley-Position': {
    description:
      'global log position of the last event this request appended; pass as `min_position` to reads',
    schema: { type: 'string' },
  },
};

/** The Idempotency-Key request header: same key and body answer the first answer again. */
export const idempotencyKeyHeader = (description?: string) => ({
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 255 },
  ...(description === undefined ? {} : { description }),
});

export const retryAfter = {
  'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } },
};

/**
 * A codec's schema with the document's prose: `notes` keyed by property path
 * (`contact_object.contacts[].value`; '' is the schema itself) add descriptions and examples.
 * The codec says what is accepted; the notes say why, and cannot change what.
 */
export const annotated = (schema: Schema, notes: Record<string, Schema>): Schema => {
  const copy = JSON.parse(JSON.stringify(schema)) as Schema;
  for (const [at, note] of Object.entries(notes)) {
    let node: Schema = copy;
    for (const step of at === '' ? [] : at.split('.')) {
      const name = step.replace(/\[\]$/, '');
      node = (node.properties as Record<string, Schema> | undefined)?.[name] as Schema;
      if (node !== undefined && step.endsWith('[]')) node = node.items as Schema;
      if (node === undefined) throw new Error(`no property ${at} to annotate`);
    }
    for (const key of Object.keys(note)) {
      if (!['description', 'examples'].includes(key)) throw new Error(`${key} is not prose`);
    }
    Object.assign(node, note);
  }
  return copy;
};
