import type * as t from 'io-ts';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = { [keyword: string]: unknown };

/** How an opaque codec (a hand-made `new t.Type`) is described; `of` describes inner codecs. */
export type Description = JsonSchema | ((of: (codec: t.Any) => JsonSchema) => JsonSchema);

const descriptions = new WeakMap<t.Any, Description>();

/**
 * Says what a hand-made codec accepts, for the OpenAPI document. On a refinement or a brand it
 * adds keywords (maxLength, pattern…) to its base type's schema instead of replacing it.
 */
export const describedAs = <C extends t.Any>(codec: C, description: Description): C => {
  descriptions.set(codec, description);
  return codec;
};

/** Adds keywords to what the walker found for a codec (the caller's extra knowledge). */
export type Hook = (codec: t.Any, schema: JsonSchema) => JsonSchema;

type Tagged = t.Any & { _tag?: string };
type WithInner = { type: t.Any };

/** `undefined` among a union's members: the property may be absent. */
const ABSENT: JsonSchema = Object.freeze({ 'x-absent': true });

const isAbsent = (schema: JsonSchema): boolean => schema === ABSENT;

/** Merges the schemas an intersection's members give (object properties and required). */
const intersect = (schemas: readonly JsonSchema[]): JsonSchema => {
  // a member shown by reference (a named component) cannot be merged into: all must hold
  if (schemas.some((schema) => schema.$ref !== undefined)) return { allOf: [...schemas] };
  const merged: JsonSchema = {};
  for (const schema of schemas) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties')
        merged.properties = { ...(merged.properties as object), ...(value as object) };
      else if (key === 'required')
        merged.required = [...((merged.required as string[]) ?? []), ...(value as string[])];
      else if (merged[key] !== undefined && JSON.stringify(merged[key]) !== JSON.stringify(value))
        throw new Error(`intersection disagrees on ${key}`);
      else merged[key] = value;
    }
  }
  return merged;
};

/** `X | null` as `type: [X, 'null']` where X has a single type, else anyOf. */
const unite = (members: readonly JsonSchema[]): JsonSchema => {
  const present = members.filter((m) => !isAbsent(m));
  const nullable = present.some((m) => m.type === 'null');
  const others = present.filter((m) => m.type !== 'null');
  if (others.length === 1) {
    const [only] = others as [JsonSchema];
    if (!nullable) return only;
    if (typeof only.type === 'string' && only.const === undefined) {
      const nullType = { ...only, type: [only.type, 'null'] };
      return Array.isArray(only.enum) ? { ...nullType, enum: [...only.enum, null] } : nullType;
    }
  }
  return { anyOf: present };
};

const admitsAbsence = (schema: JsonSchema, codec: t.Any): boolean =>
  isAbsent(schema) || codec.is(undefined);

const propertiesOf = (props: t.Props, walk: (codec: t.Any) => JsonSchema) => {
  const properties: Record<string, JsonSchema> = {};
  const optional: string[] = [];
  for (const [name, codec] of Object.entries(props)) {
    const schema = walk(codec);
    if (admitsAbsence(schema, codec)) optional.push(name);
    properties[name] = isAbsent(schema) ? {} : schema;
  }
  return { properties, optional };
};

/**
 * The JSON Schema of an io-ts codec: what the HTTP layer accepts, as the OpenAPI document says
 * it. Refinements and brands are walked through to their base type; a hand-made codec must say
 * what it accepts with `describedAs`, or the walk fails loudly (a silent `{}` would document
 * nothing).
 */
export const jsonSchemaOf = (codec: t.Any, hook?: Hook): JsonSchema => {
  const walk = (c: t.Any): JsonSchema => {
    const found = structure(c as Tagged);
    return hook === undefined || isAbsent(found) ? found : hook(c, found);
  };

  const described = (c: Tagged, base: JsonSchema): JsonSchema => {
    const description = descriptions.get(c);
    if (description === undefined) return base;
    return { ...base, ...(typeof description === 'function' ? description(walk) : description) };
  };

  const structure = (c: Tagged): JsonSchema => {
    switch (c._tag) {
      case 'NullType':
        return described(c, { type: 'null' });
      case 'UndefinedType':
      case 'VoidType':
        return ABSENT;
      case 'StringType':
        return described(c, { type: 'string' });
      case 'NumberType':
        return described(c, { type: 'number' });
      case 'BooleanType':
        return described(c, { type: 'boolean' });
      case 'UnknownType':
      case 'AnyType':
        return described(c, {});
      case 'LiteralType':
        return described(c, { const: (c as unknown as { value: unknown }).value });
      case 'KeyofType':
        return described(c, {
          type: 'string',
          enum: Object.keys((c as unknown as { keys: object }).keys),
        });
      case 'RefinementType':
      case 'ReadonlyType':
      case 'ExactType':
        return described(c, walk((c as unknown as WithInner).type));
      case 'ArrayType':
      case 'ReadonlyArrayType':
        return described(c, { type: 'array', items: walk((c as unknown as WithInner).type) });
      case 'InterfaceType': {
        const { properties, optional } = propertiesOf(
          (c as unknown as { props: t.Props }).props,
          walk,
        );
        const required = Object.keys(properties).filter((name) => !optional.includes(name));
        return described(c, {
          type: 'object',
          ...(required.length > 0 ? { required } : {}),
          properties,
        });
      }
      case 'PartialType':
        return described(c, {
          type: 'object',
          properties: propertiesOf((c as unknown as { props: t.Props }).props, walk).properties,
        });
      case 'DictionaryType':
        return described(c, {
          type: 'object',
          additionalProperties: walk((c as unknown as { codomain: t.Any }).codomain),
        });
      case 'IntersectionType':
        return described(
          c,
          intersect((c as unknown as { types: t.Any[] }).types.map((member) => walk(member))),
        );
      case 'UnionType':
        return described(
          c,
          unite((c as unknown as { types: t.Any[] }).types.map((member) => walk(member))),
        );
      default: {
        const description = descriptions.get(c);
        if (description === undefined)
          throw new Error(`no JSON Schema for the codec "${c.name}": describe it with describedAs`);
        return typeof description === 'function' ? description(walk) : description;
      }
    }
  };

  const schema = walk(codec);
  if (isAbsent(schema)) throw new Error(`the codec "${codec.name}" admits only undefined`);
  return schema;
};
