import type { Middleware } from 'koa';
import { ContentionError } from '../../../application/contentionError';
import {
  EventStoreUnavailableError,
  StreamDeletedError,
  WrongExpectedVersionError,
} from '../../../application/ports/eventStore';
import { isReadModelMissing } from '../../../projections/schema';
import { isConnectionError } from '../../postgres/pool';
import { SubjectErasedError } from '../../privacy/postgresSubjectKeys';
import { errorStatus } from '../errorStatus';
import { HttpError } from '../httpError';
import type { RequestState } from './requestContext';

type BodyParserError = { status?: number; type?: string; expose?: boolean };

/**
 * The 503s the service expects (a request contended past its retries, a read model still being
 * built), marked where they are told apart: they log as warnings, since the client is told when
 * to retry, and an error line for every such request would bury an outage's or a bug's.
 */
const expectedAnswers = new WeakSet<HttpError>();
const expected = (http: HttpError): HttpError => {
  expectedAnswers.add(http);
  return http;
};

/** Turns whatever a handler threw into the HTTP error of its code. */
const toHttpError = (error: unknown): HttpError => {
  if (error instanceof HttpError) return error;
  if (error instanceof EventStoreUnavailableError) {
    return new HttpError(
      'E_UNAVAILABLE',
      'the event store is unavailable; retry later',
      undefined,
      {
        'Retry-After': String(error.retryAfterSeconds),
      },
    );
  }
  // contended past every retry: nothing half-done stays that a retry cannot converge on
  if (error instanceof ContentionError || error instanceof WrongExpectedVersionError) {
    return expected(
      new HttpError('E_UNAVAILABLE', 'too many concurrent changes; retry', undefined, {
        'Retry-After': '1',
      }),
    );
  }
  if (error instanceof StreamDeletedError) {
    return new HttpError(
      'E_STREAM_DELETED',
      'this resource was deleted from the event store by its operators and cannot change again',
    );
  }
  // personal data about an erased person (a reply in their dialog): nothing can seal it again
  if (error instanceof SubjectErasedError) {
    return new HttpError('E_CONTACT_ERASED', "this dialog's contact was erased on request");
  }
  if (isConnectionError(error)) {
    return new HttpError('E_UNAVAILABLE', 'the database is unavailable; retry later', undefined, {
      'Retry-After': '2',
    });
  }
  // a read model not there yet (a first start, a new version's table before its rebuild's swap)
  if (isReadModelMissing(error)) {
    return expected(
      new HttpError('E_UNAVAILABLE', 'the read models are being built; retry later', undefined, {
        'Retry-After': '2',
      }),
    );
  }
  const parser = error as BodyParserError;
  if (parser?.type === 'entity.too.large' || parser?.status === 413) {
    return new HttpError('E_PAYLOAD_TOO_LARGE', 'the request body is larger than allowed');
  }
  if (
    parser?.type === 'entity.parse.failed' ||
    parser?.type === 'encoding.unsupported' ||
    parser?.status === 400
  ) {
    return new HttpError('E_MALFORMED_JSON', 'the request body is not valid JSON');
  }
  if (parser?.status === 415)
    return new HttpError('E_UNSUPPORTED_MEDIA_TYPE', 'unsupported content type');
  return new HttpError('E_INTERNAL', 'internal error; the request id identifies it in our logs');
};

/** Every error leaves as `{ code, message, details? }`; a stack trace never does. */
export const errorHandler = (): Middleware<RequestState> => async (ctx, next) => {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      throw new HttpError('E_NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`);
    }
    if (ctx.status === 405 && ctx.body === undefined) {
      throw new HttpError('E_NOT_FOUND', `${ctx.method} is not allowed on ${ctx.path}`);
    }
  } catch (error) {
    const http = toHttpError(error);
    if (expectedAnswers.has(http)) {
      ctx.state.log?.warn({ code: http.code }, http.message);
    } else if (
      http.code === 'E_INTERNAL' ||
      http.code === 'E_UNAVAILABLE' ||
      http.code === 'E_STREAM_DELETED'
    ) {
      ctx.state.log?.error({ err: error }, http.message);
    }
    ctx.status = errorStatus[http.code];
    for (const [name, value] of Object.entries(http.headers)) ctx.set(name, value);
    ctx.body = {
      code: http.code,
      message: http.message,
      ...(http.details === undefined ? {} : { details: http.details }),
      ...(http.code === 'E_INTERNAL' ? { request_id: ctx.state.requestId } : {}),
    };
  }
};
