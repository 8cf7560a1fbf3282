import type { Router, RouterMiddleware } from '@koa/router';
import type * as t from 'io-ts';
import type { ErrorCode } from '../../domain/errors';
import type { Limits } from '../config';

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** OpenAPI fragments written by hand where no codec applies (headers, a path id's schema). */
export type Fragment = Readonly<Record<string, unknown>>;

/** A codec, or one the configured limits shape. */
export type Shaped = t.Any | ((limits: Limits) => t.Any);

/**
 * Bodies of other media types than JSON, by type: what each carries, as a codec. A page, a
 * stream or metrics text is `t.string`; a file is `binary` (codecs/media.ts); NDJSON is the
 * codec of one line; a form is the codec of its fields.
 */
export type Media = Readonly<Record<string, Shaped>>;

/** The query string a route decodes: its codec (decodeQuery) and the prose per parameter. */
export type QueryContract = Readonly<{
  /** a t.type's parameters are all required, a t.partial's optional */
  codec: t.Any & Readonly<{ _tag: 'PartialType' | 'InterfaceType'; props: t.Props }>;
  /** what each parameter does, for the document (the codec says what it accepts) */
  notes?: Readonly<Record<string, string>>;
  /** parameters the route refuses to go without (it checks them itself) */
  required?: readonly string[];
}>;

/** The success answer: a JSON body its codec describes, and the other media types it may come as. */
export type Answer = Readonly<{
  status: number;
  description: string;
  /** the JSON body */
  codec?: t.Any;
  /** non-JSON bodies (a page, a file, a stream, NDJSON) */
  media?: Media;
  headers?: Fragment;
}>;

/**
 * Everything a client can know about one HTTP route, declared once next to its handler: the
 * served OpenAPI operation is built from it (openapi/fromContracts.ts), the route decodes its
 * query and body with the same codecs, and an e2e spec decodes real answers with `response`.
 */
export type RouteContract = Readonly<{
  method: Method;
  /** OpenAPI form: `/api/dialogs/{id}` */
  path: string;
  tags: readonly string[];
  summary: string;
  description?: string;
  /** `bearer`: the admin token or an operator's (staffAuth); `channelToken`: `?token=` */
  security?: 'bearer' | 'channelToken';
  /** path parameters: name → prose (an id of 24 hex digits), or [prose, its schema] */
  params?: Readonly<Record<string, string | readonly [string, Fragment]>>;
  query?: QueryContract;
  /** header parameters, as OpenAPI writes them */
  headers?: readonly Fragment[];
  /** the JSON request body's codec; a function when the configured limits shape it */
  body?: Shaped;
  /** other media types the body may come as (a multipart form, NDJSON) */
  bodyMedia?: Media;
  response: Answer;
  /** answers besides the success and the error codes (readiness: 503 not ready) */
  otherAnswers?: readonly Answer[];
  /** every code the route may answer; statuses come from errorStatus.ts */
  errors: readonly ErrorCode[];
  /** prose per error status, shown before the codes */
  errorNotes?: Readonly<Partial<Record<number, string>>>;
  /** response headers of an error status, besides the Retry-After its codes imply */
  errorHeaders?: Readonly<Partial<Record<number, Fragment>>>;
}>;

/** `/api/dialogs/{id}` → `/api/dialogs/:id`, the path as @koa/router matches it. */
export const routerPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** Registers a handler on the method and path its contract declares. */
export const serve = <S extends object, C extends object>(
  router: Router<S, C>,
  contract: RouteContract,
  ...handlers: RouterMiddleware<S, C>[]
): void => {
  router[contract.method](routerPath(contract.path), ...handlers);
};
