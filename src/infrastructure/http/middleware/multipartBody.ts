import busboy from 'busboy';
import type { Context } from 'koa';
import { HttpError } from '../httpError';

export type UploadedFile = Readonly<{ name: string; mimeType: string; bytes: Buffer }>;

/** A multipart/form-data body: its text fields (last one wins) and its files, in order. */
export type MultipartBody = Readonly<{
  fields: Readonly<Record<string, string>>;
  files: UploadedFile[];
}>;

export type MultipartLimits = Readonly<{
  /** bytes of one file */
  fileBytes: number;
  /** bytes of every file together */
  totalBytes: number;
  files: number;
  /** bytes of one text field */
  fieldBytes: number;
  fields: number;
}>;

const tooLarge = (what: string) => new HttpError('E_PAYLOAD_TOO_LARGE', `${what} is too large`);

/**
 * Reads a multipart/form-data body into memory within `limits`: a file over `fileBytes`, more
 * than `files` files or an over-long field is refused (413 or 400) as soon as it shows, before
 * anything is stored. Parsed by busboy.
 */
export const readMultipart = (ctx: Context, limits: MultipartLimits): Promise<MultipartBody> =>
  new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: ctx.req.headers,
        limits: {
          fileSize: limits.fileBytes,
          files: limits.files,
          fieldSize: limits.fieldBytes,
          fields: limits.fields,
          parts: limits.files + limits.fields,
        },
      });
    } catch (error) {
      reject(new HttpError('E_VALIDATION', `not a multipart body: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    const files: (UploadedFile | null)[] = [];
    let failed: HttpError | null = null;
    // a file's stream may end after the parser closes: resolve once both are done
    let pending = 0;
    let total = 0;
    let closed = false;
    const finish = () => {
      if (closed && pending === 0 && failed === null)
        resolve({ fields, files: files.filter((f): f is UploadedFile => f !== null) });
    };
    const fail = (error: HttpError) => {
      if (failed !== null) return;
      failed = error;
      ctx.req.unpipe(parser);
      ctx.req.resume();
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(tooLarge(`the field ${name}`));
      else fields[name] = value;
    });
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      const slot = files.push(null) - 1;
      pending++;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.totalBytes) fail(tooLarge('the upload'));
        else chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(`the file ${info.filename}`)));
      stream.on('end', () => {
        files[slot] = {
          name: info.filename || 'attachment',
          mimeType: info.mimeType || 'application/octet-stream',
          bytes: Buffer.concat(chunks),
        };
        pending--;
        finish();
      });
    });
    parser.on('filesLimit', () =>
      fail(new HttpError('E_VALIDATION', `at most ${limits.files} files in one reply`)),
    );
    parser.on('fieldsLimit', () => fail(new HttpError('E_VALIDATION', 'too many form fields')));
    parser.on('partsLimit', () => fail(new HttpError('E_VALIDATION', 'too many form parts')));
    parser.on('error', (error: Error) =>
      fail(new HttpError('E_VALIDATION', `the multipart body is malformed: ${error.message}`)),
    );
    parser.on('close', () => {
      closed = true;
      finish();
    });
    ctx.req.pipe(parser);
  });
