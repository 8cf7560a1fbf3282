import type { DomainError, ErrorCode } from '../../domain/errors';

/** An error answer: `{ code, message, details? }` with the status of its code. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly unknown[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  static from(error: DomainError, headers?: Readonly<Record<string, string>>): HttpError {
    return new HttpError(error.code, error.message, error.details, headers);
  }
}
