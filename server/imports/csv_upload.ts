import type { IncomingMessage } from 'node:http';
import { CsvTokenizer, type CsvDialectBytes } from '../../analysis/data/csv_tokenizer.js';
import type { CsvByteSource } from '../../analysis/data/csv_records.js';
import { HttpError } from '../errors.js';
import { detectCsvDialect, normalizeCsv, type CsvDialect } from './csv_dialect.js';

/**
 * A CSV upload (units, coordination traces, performance outcomes) as it came over HTTP: the
 * request body read piece by piece as bytes, never decoded into one string, and handed to the
 * one CSV tokenizer of analysis/data (the command line's reader) piece by piece, in the dialect
 * the file is written in (comma, semicolon or tab; decimal points or commas: detectCsvDialect on
 * its first 64 KB). The byte limit is checked as the body arrives, so an upload over it is a 413
 * before the rest is kept. The whole text is made only for the error path that lists every bad
 * line (server/imports/line_errors.ts), which needs to re-read single records.
 */
export interface CsvUpload {
  /** Bytes received. */
  readonly bytes: number;
  /** The body's pieces as they arrived (to hand to a worker thread, which makes its own upload of them). */
  readonly chunks: readonly Uint8Array[];
  readonly dialect: CsvDialect;
  /** The upload for a tokenizer (sets the dialect, then scans it piece by piece); may be read more than once. */
  readonly source: CsvByteSource;
  /** The whole upload as comma-separated text (normalizeCsv): for the error path only. */
  text(): string;
}

/** True for a {@link CsvUpload} (a route's body is JSON, text from a console form, or an upload). */
export function isCsvUpload(body: unknown): body is CsvUpload {
  return typeof body === 'object' && body !== null && typeof (body as CsvUpload).source === 'function' && typeof (body as CsvUpload).text === 'function';
}

/** Bytes looked at to decide the dialect (as detectCsvDialect samples text). */
const SAMPLE_BYTES = 64 * 1024;
/** Bytes handed to the tokenizer at a time. */
const PIECE = 1 << 20;

/** An upload from its byte pieces, in order. */
export function csvUploadFromChunks(chunks: readonly Uint8Array[]): CsvUpload {
  const bytes = chunks.reduce((n, c) => n + c.length, 0);
  const dialect = detectCsvDialect(sampleText(chunks));
  const dialectBytes: CsvDialectBytes = { delimiter: dialect.delimiter.charCodeAt(0), decimalComma: dialect.decimalMark === ',' };
  return {
    bytes,
    chunks,
    dialect,
    source: (tokenizer) => {
      if (dialect.delimiter !== ',') tokenizer.useDialect(dialectBytes);
      feed(chunks, tokenizer);
    },
    text() {
      const text = Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length))).toString('utf8');
      return normalizeCsv(text, dialect) ?? text;
    },
  };
}

/** An upload from text already in memory (a console form's field, a demo seed). */
export function csvUploadFromText(text: string): CsvUpload {
  return csvUploadFromChunks([Buffer.from(text, 'utf8')]);
}

/** The first bytes of the upload as text, for the dialect's detection (a character cut at the end is dropped). */
function sampleText(chunks: readonly Uint8Array[]): string {
  const parts: Buffer[] = [];
  let n = 0;
  for (const c of chunks) {
    if (n >= SAMPLE_BYTES) break;
    const take = Math.min(c.length, SAMPLE_BYTES - n);
    parts.push(Buffer.from(c.buffer, c.byteOffset, take));
    n += take;
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(parts), { stream: true });
}

/**
 * Feeds the pieces to a tokenizer through one working buffer: each piece is copied in after the
 * bytes of a record still incomplete (so the pieces themselves are never changed, and a decimal
 * comma turned into a point touches only the copy).
 */
function feed(chunks: readonly Uint8Array[], tokenizer: CsvTokenizer): void {
  let buf = Buffer.allocUnsafe(PIECE);
  let start = 0;
  let filled = 0;
  let chunk = 0;
  let offset = 0;
  for (;;) {
    if (start > 0) {
      buf.copyWithin(0, start, filled);
      filled -= start;
      start = 0;
    }
    if (filled === buf.length) {
      // one record longer than the buffer: make room for it
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    while (filled < buf.length && chunk < chunks.length) {
      const c = chunks[chunk];
      const n = Math.min(c.length - offset, buf.length - filled);
      buf.set(c.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (offset === c.length) {
        chunk++;
        offset = 0;
      }
    }
    const final = chunk === chunks.length;
    start = tokenizer.scan(buf, start, filled, final);
    if (final) return;
  }
}

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
}

/** True for an {@link UnreadUpload}. */
export function isUnreadUpload(body: unknown): body is UnreadUpload {
  return typeof body === 'object' && body !== null && 'req' in body && 'limit' in body && 'type' in body;
}

/**
 * Reads a CSV request body as it arrives, keeping its byte pieces (no string), up to
 * `limit.bytes` (see {@link streamRequestBody} for the 413 and 415 answers).
 */
export async function readCsvUpload(req: IncomingMessage, limit: UploadLimit): Promise<CsvUpload> {
  const chunks: Buffer[] = [];
  await streamRequestBody(req, limit, 'the CSV', (chunk) => chunks.push(chunk));
  return csvUploadFromChunks(chunks);
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
