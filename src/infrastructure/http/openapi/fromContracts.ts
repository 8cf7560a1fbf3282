import type * as t from 'io-ts';
import type { ErrorCode } from '../../../domain/errors';
import type { Limits } from '../../config';
import type { Answer, Media, RouteContract, Shaped } from '../contract';
import { errorStatus } from '../errorStatus';
import { jsonSchemaOf, type JsonSchema } from './jsonSchema';
import { annotated, idParam, json, ref, retryAfter, type Schema } from './schema';

type Named = Readonly<{ name: string; notes: Record<string, Schema> }>;
const names = new WeakMap<t.Any, Named>();

/**
 * A codec the document shows once, as `#/components/schemas/<name>`, wherever it appears;
 * `notes` add prose to its schema (annotated).
 */
export const named = <C extends t.Any>(
  name: string,
  codec: C,
  notes: Record<string, Schema> = {},
): C => {
  names.set(codec, { name, notes });
  return codec;
};

/** Codes whose answer says when to come back. */

const RETRY_AFTER: readonly ErrorCode[] = ['E_UNAVAILABLE', 'E_RATE_LIMITED'];

/** The error answers of a route: its codes grouped by status, each status listing its codes. */
const errorAnswers = (contract: RouteContract): Record<string, unknown> => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of contract.errors) {
    const status = errorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const answers: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const note = contract.errorNotes?.[status];
    const retry = codes.some((code) => RETRY_AFTER.includes(code));
    const headers = { ...(retry ? retryAfter : {}), ...contract.errorHeaders?.[status] };
    answers[String(status)] = json(
      { allOf: [ref('Error'), { properties: { code: { enum: codes } } }] },
      `${note === undefined ? '' : `${note} `}(${codes.join(', ')})`,
      Object.keys(headers).length === 0 ? undefined : headers,
    );
  }
  return answers;
};

/** Builds OpenAPI paths and the components their codecs name, from route contracts. */
export const fromContracts = (contracts: readonly RouteContract[], limits: Limits) => {
  const schemas: Record<string, JsonSchema> = {};
  const hook = (codec: t.Any, schema: JsonSchema): JsonSchema => {
    const component = names.get(codec);
    if (component === undefined) return schema;
    const described = annotated(schema, component.notes);
    const known = schemas[component.name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(described))
      throw new Error(`two codecs are named ${component.name}`);
    schemas[component.name] = described;
    return ref(component.name);
  };
  const schemaOf = (codec: t.Any) => jsonSchemaOf(codec, hook);
  const shaped = (codec: Shaped) => schemaOf(typeof codec === 'function' ? codec(limits) : codec);
  /** `content` by media type: JSON first, when there is a JSON codec */
  const contentOf = (json: Shaped | undefined, media: Media | undefined) => {
    const content: Record<string, { schema: JsonSchema }> = {};
    if (json !== undefined) content['application/json'] = { schema: shaped(json) };
    for (const [type, codec] of Object.entries(media ?? {}))
      content[type] = { schema: shaped(codec) };
    return Object.keys(content).length === 0 ? undefined : content;
  };

  const operation = (c: RouteContract) => {
    const query = c.query;
    const parameters = [
      ...Object.entries(c.params ?? {}).map(([name, param]) =>
        typeof param === 'string'
          ? idParam(name, param)
          : { ...idParam(name, param[0]), schema: param[1] },
      ),
      ...(c.headers ?? []),
      ...Object.entries(query?.codec.props ?? {}).map(([name, codec]) => ({
        name,
        in: 'query',
        required:
          (query?.codec._tag === 'InterfaceType' || query?.required?.includes(name)) ?? false,
        ...(query?.notes?.[name] === undefined ? {} : { description: query.notes[name] }),
        schema: schemaOf(codec as t.Any),
      })),
    ];
    const { response } = c;
    const requestContent = contentOf(c.body, c.bodyMedia);
    const answerOf = (answer: Answer) => {
      const content = contentOf(answer.codec, answer.media);
      return {
        [String(answer.status)]: {
          description: answer.description,
          ...(answer.headers === undefined ? {} : { headers: answer.headers }),
          ...(content === undefined ? {} : { content }),
        },
      };
    };
    return {
      tags: [...c.tags],
      summary: c.summary,
      ...(c.description === undefined ? {} : { description: c.description }),
      ...(c.security === undefined ? {} : { security: [{ [c.security]: [] }] }),
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(requestContent === undefined
        ? {}
        : { requestBody: { required: true, content: requestContent } }),
      responses: {
        ...answerOf(response),
        ...Object.assign({}, ...(c.otherAnswers ?? []).map(answerOf)),
        ...errorAnswers(c),
      },
    };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const contract of contracts) {
    const item = (paths[contract.path] ??= {});
    if (item[contract.method] !== undefined)
      throw new Error(`two contracts for ${contract.method} ${contract.path}`);
    item[contract.method] = operation(contract);
  }
  return { paths, schemas };
};
