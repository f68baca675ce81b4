import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';

/*
 * Uploads (units, coordination traces, performance outcomes) as they come over HTTP: the request
 * body is read piece by piece as bytes under the route's limit (413 as soon as it is passed) and
 * handed to the reader of its format as it arrives (CsvImportStream for CSV, JsonArrayStream for
 * JSON), never decoded into one string nor kept whole.
 */

/** What an upload route accepts and how large it may be. */
export interface UploadLimit {
  /** Largest body in bytes. */
  readonly bytes: number;
  /** The 413's sentence. */
  readonly tooLarge: string;
}

/**
 * An import's request body not yet read: the route leaves it unread (no body parser, no buffer)
 * and the handler streams it through the reader of its format once it knows the unit the import
 * is for, so that what is kept is what that reader keeps (server/dynamics/trace_formats.ts).
 */
export interface UnreadUpload {
  readonly req: IncomingMessage;
  readonly limit: UploadLimit;
  /** The body's type, from its Content-Type: CSV (text/csv, text/plain) or JSON. */
  readonly type: 'csv' | 'json';
  /**
   * Where the bytes come from when not the request body itself: a console form's pasted field
   * (server/imports/form_stream.ts), decoded as the form arrives, under the same limit.
   */
  readonly read?: (onChunk: (chunk: Buffer) => void) => Promise<void>;
}

/** Hands an upload's bytes to `onChunk` as they arrive: the request body (streamRequestBody) or a form's pasted field. */
export function readUpload(upload: UnreadUpload, what: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  return upload.read ? upload.read(onChunk) : streamRequestBody(upload.req, upload.limit, what, onChunk);
}

/**
 * The limit of an import: SEICI_IMPORT_LIMIT (`configured`, bytes) when set, the same for every
 * import, else the import's own default (`bytes`, named `named` in the 413's sentence).
 */
export function importLimit(configured: number | undefined, bytes: number, named: string, sentence = 'The import is larger than the limit of'): UploadLimit {
  if (configured === undefined) return { bytes, tooLarge: `${sentence} ${named}.` };
  return { bytes: configured, tooLarge: `${sentence} ${configured.toLocaleString('en')} bytes (SEICI_IMPORT_LIMIT).` };
}

/** True for an {@link UnreadUpload}. */
export function isUnreadUpload(body: unknown): body is UnreadUpload {
  return typeof body === 'object' && body !== null && 'req' in body && 'limit' in body && 'type' in body;
}

/**
 * Hands a request body to `onChunk` piece by piece as it arrives, up to `limit.bytes`: a
 * Content-Length over the limit is refused before the body is read, and a body that grows over
 * it as soon as it does, each with one sentence (413); a compressed body or another charset than
 * UTF-8 is a 415 (`what` names the body: `the CSV`). An error thrown by `onChunk` (a reader
 * refusing the body) stops the reading: the rest of the body is discarded as it arrives, and the
 * promise rejects with that error when the body ends.
 */
export function streamRequestBody(req: IncomingMessage, limit: UploadLimit, what: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2].toLowerCase();
  return new Promise((resolve, reject) => {
    let done = false;
    const refuse = (err: unknown) => {
      if (done) return;
      done = true;
      req.removeAllListeners('data');
      req.resume();
      reject(err);
    };
    if (encoding !== 'identity') return refuse(new HttpError(415, `Send ${what} uncompressed (without a Content-Encoding).`));
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return refuse(new HttpError(415, "The request body's encoding is not supported; send UTF-8."));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit.bytes) return refuse(new HttpError(413, limit.tooLarge));
    // A body over the limit, or one the reader refused, is read to its end unkept (the client
    // is still sending it) and answered then.
    let received = 0;
    let failure: unknown;
    req.on('data', (chunk: Buffer) => {
      if (done || failure !== undefined) return;
      received += chunk.length;
      if (received > limit.bytes) {
        failure = new HttpError(413, limit.tooLarge);
        return;
      }
      try {
        onChunk(chunk);
      } catch (err) {
        failure = err;
      }
    });
    req.once('end', () => {
      if (done) return;
      done = true;
      if (failure !== undefined) reject(failure);
      else resolve();
    });
    req.once('aborted', () => refuse(new HttpError(400, 'The request was aborted before its body arrived.')));
    req.once('error', () => refuse(new HttpError(400, 'The request was aborted before its body arrived.')));
  });
}

/** True when the request carries a CSV body (text/csv, or text/plain where `plain` allows it). */
export function sendsCsv(req: IncomingMessage, plain = false): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'text/csv' || (plain && type === 'text/plain');
}
