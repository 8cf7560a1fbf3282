/** Small helpers to write OpenAPI 3.1 fragments readably. */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export const json = (schema: Schema, description: string, headers?: Schema) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema } },
});

/** An error answer listing the codes this operation may give with this status. */
export const errors = (status: number, codes: readonly string[], description: string) => ({
  [String(status)]: json(
    { allOf: [ref('Error'), { properties: { code: { enum: [...codes] } } }] },
    `${description} (${codes.join(', ')})`,
  ),
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

export const retryAfter = {
  'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } },
};

export const bearer = [{ bearer: [] }];
