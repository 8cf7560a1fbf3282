import type { Router, RouterMiddleware } from '@koa/router';
import type * as t from 'io-ts';
import type { ErrorCode } from '../../domain/errors';
import type { Limits } from '../config';

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

/** OpenAPI fragments written by hand where no codec applies (headers, non-JSON content). */
export type Fragment = Readonly<Record<string, unknown>>;

/** The query string a route decodes: its codec (decodeQuery) and the prose per parameter. */
export type QueryContract = Readonly<{
  /** a t.type's parameters are all required, a t.partial's optional */
  codec: t.Any & Readonly<{ _tag: 'PartialType' | 'InterfaceType'; props: t.Props }>;
  /** what each parameter does, for the document (the codec says what it accepts) */
  notes?: Readonly<Record<string, string>>;
  /** parameters the route refuses to go without (it checks them itself) */
  required?: readonly string[];
}>;

/** The success answer: a JSON body its codec describes, or a hand-written content. */
export type Answer = Readonly<{
  status: number;
  description: string;
  codec?: t.Any;
  /** non-JSON answers (a page, a stream): the `content` object as OpenAPI writes it */
  content?: Fragment;
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
  /** the request body's codec; a function when the configured limits shape it */
  body?: t.Any | ((limits: Limits) => t.Any);
  /** other content types the body may come as, written by hand (a multipart form) */
  bodyContent?: Fragment;
  response: Answer;
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
