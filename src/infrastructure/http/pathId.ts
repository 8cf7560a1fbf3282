import type { ErrorCode } from '../../domain/errors';
import { OBJECT_ID } from '../../domain/shared/ids';
import { HttpError } from './httpError';

/** A path id that is not 24 hex digits names nothing: the resource's own 404. */
export const pathId = (value: string | undefined, code: ErrorCode, message: string): string => {
  const id = (value ?? '').toLowerCase();
  if (!OBJECT_ID.test(id)) throw new HttpError(code, message);
  return id;
};
