/**
 * What an OpenAPI document means, without how it is written: every $ref inlined, allOf of
 * objects merged, key and list order fixed, prose (descriptions, summaries, examples) dropped.
 * Two documents with equal meanings describe the same paths, methods, parameters, schemas
 * (types, required, enums, limits, formats) and status codes.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type OpenApiDocument = JsonObject & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
};

const PROSE = new Set(['description', 'summary', 'examples', 'example', 'title']);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sortedKeys = (value: JsonObject): JsonObject =>
  Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k] as Json]),
  );

/** Merges schemas that must all hold (allOf) when they are plain objects without conflicts. */
const mergeSchemas = (a: JsonObject, b: JsonObject): JsonObject => {
  const merged: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = merged[key];
    if (mine === undefined) merged[key] = value;
    else if (key === 'properties' && isObject(mine) && isObject(value)) {
      const properties: JsonObject = { ...mine };
      for (const [name, schema] of Object.entries(value)) {
        const existing = properties[name];
        properties[name] =
          isObject(existing) && isObject(schema) ? mergeSchemas(existing, schema) : schema;
      }
      merged.properties = properties;
    } else if (key === 'required' && Array.isArray(mine) && Array.isArray(value)) {
      merged.required = [...new Set([...mine, ...value])] as Json[];
    } else if (JSON.stringify(mine) !== JSON.stringify(value)) {
      merged.allOf = [...((merged.allOf as Json[] | undefined) ?? []), { [key]: value }];
    }
  }
  return merged;
};

/** One schema's meaning; `refs` resolves `#/components/schemas/…`. */
const schemaMeaning = (schema: Json, refs: Record<string, Json>): Json => {
  if (Array.isArray(schema)) return schema.map((s) => schemaMeaning(s, refs));
  if (!isObject(schema)) return schema;
  let s: JsonObject = schema;
  const ref = s.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = refs[name];
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    const { $ref: _ignored, ...rest } = s;
    s = mergeSchemas(target as JsonObject, rest);
  }
  if (Array.isArray(s.allOf)) {
    const { allOf, ...rest } = s;
    const parts = allOf.map((part) => schemaMeaning(part, refs) as JsonObject);
    s = parts.reduce(mergeSchemas, rest);
    // parts that still disagree stay an allOf, compared entry by entry below: merging again
    // would only make the same allOf (and never end)
    if (Array.isArray(s.allOf) && JSON.stringify(s.allOf) !== JSON.stringify(allOf))
      return schemaMeaning(s, refs);
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(s)) {
    if (PROSE.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = sortedKeys(
        Object.fromEntries(
          Object.entries(value).map(([name, v]) => [name, schemaMeaning(v, refs)]),
        ),
      );
    } else if (key === 'required' || key === 'enum') {
      out[key] = [...(value as Json[])].sort();
    } else if (key === 'type') {
      out.type = Array.isArray(value) ? [...value].sort() : [value];
    } else if (key === 'const') {
      out.enum = [value];
    } else {
      out[key] = schemaMeaning(value, refs);
    }
  }
  // an enum of strings is a string schema whether or not it says so
  if (Array.isArray(out.enum) && out.type === undefined) {
    const types = [...new Set(out.enum.map((v) => (v === null ? 'null' : typeof v)))].sort();
    out.type = types;
  }
  // `required: []` says nothing
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  return sortedKeys(out);
};

/** Any OpenAPI fragment: schemas by name, prose dropped, keys sorted. */
const fragmentMeaning = (value: Json, refs: Record<string, Json>): Json => {
  if (Array.isArray(value)) return value.map((v) => fragmentMeaning(v, refs));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (PROSE.has(key)) continue;
    out[key] = key === 'schema' ? schemaMeaning(v, refs) : fragmentMeaning(v, refs);
  }
  return sortedKeys(out);
};

const parameterKey = (p: Json): string => (isObject(p) ? `${String(p.in)} ${String(p.name)}` : '');

/** A parameter that does not say `required` is optional (OpenAPI 3.1, Parameter Object). */
const withRequired = (p: Json): Json =>
  isObject(p) && p.required === undefined ? { ...p, required: false } : p;

/** `get /api/channels/{id}` → that operation's meaning, with its path's parameters folded in. */
export const operationsOf = (document: OpenApiDocument): Record<string, Json> => {
  const refs = document.components.schemas;
  const operations: Record<string, Json> = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = (item.parameters as Json[] | undefined) ?? [];
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const parameters = [...shared, ...((operation.parameters as Json[] | undefined) ?? [])]
        .map((p) => fragmentMeaning(withRequired(p), refs))
        .sort((a, b) => parameterKey(a).localeCompare(parameterKey(b)));
      const { parameters: _ignored, ...rest } = operation;
      const meaning = fragmentMeaning(rest, refs) as JsonObject;
      operations[`${method} ${path}`] = sortedKeys({
        ...meaning,
        ...(parameters.length > 0 ? { parameters } : {}),
      });
    }
  }
  return operations;
};

/** The parts of the document outside `paths`: webhooks, security schemes, version, servers. */
export const envelopeOf = (document: OpenApiDocument): Json => {
  const refs = document.components.schemas;
  const { paths: _paths, components, servers: _servers, ...rest } = document;
  const { schemas: _schemas, ...otherComponents } = components as JsonObject;
  return fragmentMeaning({ ...rest, components: otherComponents }, refs);
};
