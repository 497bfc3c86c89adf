import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Writable } from 'node:stream';
import type { MessageKey } from '../../domain/i18n/i18n.ts';
import { withoutControlCharacters } from './input.ts';

/** Why a multipart post was refused: one of multer's limits, or the request's total. */
export type UploadLimitCode = multer.ErrorCode | 'LIMIT_TOTAL' | 'MALFORMED';

/** What one post of a form may carry, counted in bytes actually read (chunked bodies have no length). */
export type UploadBounds = {
  /** the whole body: the form's total for files plus room for its fields */
  totalBytes: number;
  fileBytes: number;
  files: number;
  fields: number;
  fieldBytes: number;
  fileFields: { name: string; maxCount: number }[];
};

declare module 'express-serve-static-core' {
  interface Locals {
    /** the problem to show at the form's file field, when multer or the total refused the post */
    uploadError?: MessageKey;
    /**
     * The post was refused and its files not taken: 413 when it went over a size or count bound, 422
     * when its multipart body could not be read. The route answers with the form and this status.
     */
    uploadRefused?: 413 | 422;
  }
}

// After an early answer the client may still be sending; reading a little more (or a little longer)
// before closing lets its browser see the answer instead of a reset connection.
const LINGER_BYTES = 2 * 1024 * 1024;
const LINGER_MS = 3000;

/**
 * Once the answer is sent, reads and drops at most a little more of the body, then closes the
 * connection: a body over the bound is never read to its end.
 */
export function closeAfterAnswer(req: Request, res: Response): void {
  // Not `Connection: close`: node would then destroy the socket as soon as the answer is written,
  // and a reset arriving before the client read the answer can lose it.
  const linger = () => {
    // The whole body arrived after all (a small one): the connection is sound and may carry the next
    // request; destroying it later would cut that request off.
    if (req.complete) return;
    let extra = 0;
    const close = () => {
      clearTimeout(timer);
      req.socket.destroy();
    };
    const timer = setTimeout(close, LINGER_MS);
    req.socket.once('close', () => clearTimeout(timer));
    req.once('end', () => clearTimeout(timer));
    req.on('data', (chunk: Buffer) => {
      extra += chunk.length;
      if (extra > LINGER_BYTES) close();
    });
    req.resume();
  };
  if (res.writableFinished) linger();
  else res.once('finish', linger);
}

/**
 * A multipart form, parsed in memory and then CSRF-checked (the token is one of its fields). Every
 * bound is counted on the bytes read: per file, files and fields per request, and the whole body.
 * When one is passed, reading stops at once (a declared Content-Length over the total stops at the
 * first file), the post's files are dropped, and the route answers with the form: the fields read so
 * far (they come before the files in the form) in `req.body`, `res.locals.uploadError` the message,
 * `res.locals.uploadRefused` set. Field values and file names come out without control characters.
 */
export function multipartForm(opts: {
  bounds: UploadBounds;
  csrfCheck: RequestHandler;
  problemOf: (code: UploadLimitCode) => MessageKey;
}): (req: Request, res: Response, next: NextFunction) => void {
  const b = opts.bounds;
  return (req, res, next) => {
    let stopped = false;
    const answer = (err?: unknown) => {
      req.body = withoutControlCharacters(req.body ?? {});
      if (err) return next(err);
      opts.csrfCheck(req, res, next);
    };
    const refuse = (code: UploadLimitCode) => {
      res.locals.uploadError = opts.problemOf(code);
      res.locals.uploadRefused = code === 'MALFORMED' ? 422 : 413;
      // The files read so far are not taken: let their memory go now, not when the connection closes.
      for (const files of Object.values((req.files ?? {}) as Record<string, Express.Multer.File[]>))
        for (const f of files) delete (f as Partial<Express.Multer.File>).buffer;
    };
    const parser = multer({
      storage: multer.memoryStorage(),
      limits: {
        fileSize: b.fileBytes,
        files: b.files,
        fields: b.fields,
        fieldSize: b.fieldBytes,
        parts: b.files + b.fields,
      },
      // Not in multer's types: the body goes to busboy through this, so its bytes can be counted.
      streamHandler: (source: Request, busboy: Writable & NodeJS.EventEmitter) => {
        const declared = Number(source.headers['content-length'] ?? 0);
        let read = 0;
        const stop = (code: UploadLimitCode) => {
          if (stopped) return;
          stopped = true;
          refuse(code);
          closeAfterAnswer(source, res);
          // busboy is inside its own write here: end it on the next turn, then multer drops the files.
          setImmediate(() => busboy.destroy(new multer.MulterError(code as multer.ErrorCode)));
          setImmediate(answer);
        };
        busboy.on('file', (_field: string, stream: NodeJS.EventEmitter) => {
          if (declared > b.totalBytes) stop('LIMIT_TOTAL');
          stream.on('limit', () => stop('LIMIT_FILE_SIZE'));
        });
        busboy.on('filesLimit', () => stop('LIMIT_FILE_COUNT'));
        busboy.on('partsLimit', () => stop('LIMIT_PART_COUNT'));
        busboy.on('fieldsLimit', () => stop('LIMIT_FIELD_COUNT'));
        source.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > b.totalBytes) stop('LIMIT_TOTAL');
          if (stopped || busboy.destroyed || busboy.writableEnded) return;
          if (!busboy.write(chunk)) source.pause();
        });
        busboy.on('drain', () => source.resume());
        source.on('end', () => {
          if (!stopped && !busboy.destroyed) busboy.end();
        });
      },
    } as multer.Options).fields(b.fileFields);

    parser(req, res, (err: unknown) => {
      // Already answered: this is multer finishing after the connection closed.
      if (stopped) return;
      if (err instanceof multer.MulterError) {
        refuse(err.code);
        return answer();
      }
      // busboy refusing the body (a malformed part header, a cut-off form) while the client still
      // listens: the person gets the form back, not an error page.
      if (err && !req.socket.destroyed) {
        refuse('MALFORMED');
        return answer();
      }
      answer(err);
    });
  };
}

/** The files of a post that was not refused, by field. */
export function sentFiles(req: Request, res: Response): Record<string, Express.Multer.File[]> {
  if (res.locals.uploadRefused) return {};
  return (req.files ?? {}) as Record<string, Express.Multer.File[]>;
}

/** Whether a file part carries a file: an empty file input sends a nameless, empty part. */
export function isSentFile(f: Express.Multer.File): boolean {
  return !(f.size === 0 && f.originalname === '') && Buffer.isBuffer(f.buffer);
}

/** A part's file name as the person wrote it (multer reads the header as latin1), without control characters. */
export function sentFileName(f: Express.Multer.File): string {
  return withoutControlCharacters(Buffer.from(f.originalname, 'latin1').toString('utf8'));
}
