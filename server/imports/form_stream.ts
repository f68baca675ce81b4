import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors.js';
import type { UploadLimit } from './csv_upload.js';

/*
 * A console form whose last field is a pasted import (a CSV, or a trace file's JSON), read as it
 * arrives: the urlencoded body is decoded byte by byte (`name=value&…`, `+` a space, `%XX` a
 * byte), the small fields before the pasted one are kept as text (the CSRF token, a unit key,
 * a format), and the pasted field's bytes are handed to the import's reader as they are decoded,
 * the same row-by-row readers that read an upload (server/imports/csv_import_stream.ts), so the
 * paste is never held as one string nor parsed by Express.
 */

/** Largest small field (anything but the pasted one): a token, a key, a label. */
const SMALL_FIELD = 64 * 1024;

/** A pasted text up to this size is kept to show again in the form when the import is refused. */
export const KEPT_PASTE = 1024 * 1024;

/** The most bytes a urlencoded body can take for `bytes` of text (every byte written %XX), plus the small fields. */
export function encodedBodyLimit(bytes: number): number {
  return 3 * bytes + 4 * SMALL_FIELD;
}

const PLUS = 0x2b;
const PERCENT = 0x25;
const AMP = 0x26;
const EQUALS = 0x3d;

function hex(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * The pasted field of a streamed console form, as an import reads it: `read` hands its decoded
 * bytes to the reader (those decoded already first, then the rest as the body arrives) and
 * resolves when the field has ended; the bytes count against the import's limit (413 with the
 * limit's sentence, the rest of the body read unkept). `first` is the paste's first character
 * that is not white space ('' for an empty paste), known before the import starts, so that a
 * route can tell JSON from CSV.
 */
export class PastedField {
  first = '';
  private readonly queue: Buffer[] = [];
  private sink: ((chunk: Buffer) => void) | null = null;
  private bytes = 0;
  private kept: Buffer[] | null = [];
  private failure: unknown;
  private ended = false;
  private waiting: { resolve: () => void; reject: (err: unknown) => void } | null = null;

  constructor(
    private readonly req: IncomingMessage,
    readonly limit: UploadLimit,
  ) {}

  /** Streams the field's bytes to `onChunk` (once); rejects with a 413, the request's failure, or what `onChunk` threw. */
  read(onChunk: (chunk: Buffer) => void): Promise<void> {
    if (this.sink !== null) throw new Error('a pasted field is read once');
    this.sink = onChunk;
    const promise = new Promise<void>((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
    for (const chunk of this.queue.splice(0)) this.deliver(chunk);
    this.settleIfEnded();
    this.req.resume();
    return promise;
  }

  /** Reads whatever is left unkept (a route that failed before reading, or stopped); resolves when the body has ended. */
  drain(): Promise<void> {
    if (this.sink === null) {
      this.queue.length = 0;
      return this.read(() => undefined).catch(() => undefined);
    }
    if (this.ended) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const was = this.waiting;
      this.waiting = { resolve: () => (was?.resolve(), resolve()), reject: (err) => (was?.reject(err), resolve()) };
      this.req.resume();
    });
  }

  /** The paste as text to show again, when it was read to its end and is small enough; else ''. */
  keptText(): string {
    return this.ended && this.kept !== null ? Buffer.concat(this.kept).toString('utf8') : '';
  }

  /** @internal decoded bytes of the field, as the body is decoded. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.first === '') {
      const text = chunk.toString('latin1');
      const m = /\S/.exec(text);
      if (m) this.first = m[0];
    }
    if (this.sink === null) {
      this.queue.push(chunk);
      return;
    }
    this.deliver(chunk);
  }

  /** @internal the body has ended (or failed with `err`). */
  end(err?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (err !== undefined) {
      this.kept = null;
      if (this.failure === undefined) this.failure = err;
    }
    this.settleIfEnded();
  }

  /** @internal true while nobody reads yet: the request is paused until someone does. */
  get unread(): boolean {
    return this.sink === null;
  }

  private deliver(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit.bytes) {
      if (!(this.failure instanceof HttpError && this.failure.status === 413)) this.failure = new HttpError(413, this.limit.tooLarge);
      this.kept = null;
      return;
    }
    // kept to show again even after the reader refused the paste (its header, say)
    if (this.kept !== null) {
      if (this.bytes <= KEPT_PASTE) this.kept.push(Buffer.from(chunk));
      else this.kept = null;
    }
    if (this.failure !== undefined) return;
    try {
      this.sink!(chunk);
    } catch (err) {
      this.failure = err;
    }
  }

  private settleIfEnded(): void {
    if (!this.ended || this.waiting === null || this.sink === null) return;
    const w = this.waiting;
    this.waiting = null;
    if (this.failure !== undefined) w.reject(this.failure);
    else w.resolve();
  }
}

/**
 * Decodes an application/x-www-form-urlencoded body as it arrives. Fields other than `pasted` are
 * collected as text (repeated names as lists, as Express's urlencoded parser gives them); the
 * field `pasted`, once its name is read, goes byte by byte to `onPasteStart`'s PastedField.
 */
export class UrlencodedFormReader {
  readonly fields: Record<string, string | string[]> = {};
  private name: number[] = [];
  private value: number[] = [];
  private inValue = false;
  private percent = -1; // −1: none; else the digits read so far (0 or 1) in `pending`
  private pending: number[] = [];
  private paste: PastedField | null = null;
  private pasting = false;
  private out: Buffer | null = null;
  private outLength = 0;

  constructor(
    private readonly pasted: string,
    private readonly openPaste: () => PastedField,
  ) {}

  /** The pasted field, once its name has been read. */
  get field(): PastedField | null {
    return this.paste;
  }

  write(chunk: Buffer): void {
    if (this.pasting) {
      this.out = Buffer.allocUnsafe(chunk.length);
      this.outLength = 0;
    }
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i]);
    this.flushPaste();
  }

  end(): void {
    if (this.percent >= 0) for (const b of [PERCENT, ...this.pending]) this.emit(b);
    this.percent = -1;
    this.flushPaste();
    this.finishField();
  }

  private byte(b: number): void {
    if (this.percent >= 0) {
      this.pending.push(b);
      if (this.pending.length < 2) return;
      const hi = hex(this.pending[0]);
      const lo = hex(this.pending[1]);
      const bytes = hi >= 0 && lo >= 0 ? [hi * 16 + lo] : [PERCENT, ...this.pending];
      this.percent = -1;
      this.pending = [];
      for (const x of bytes) this.emit(x);
      return;
    }
    if (b === PERCENT) {
      this.percent = 0;
      return;
    }
    if (b === AMP) {
      this.flushPaste();
      this.finishField();
      return;
    }
    if (b === EQUALS && !this.inValue) {
      this.inValue = true;
      const name = Buffer.from(this.name).toString('utf8');
      if (name === this.pasted && this.paste === null) {
        this.paste = this.openPaste();
        this.pasting = true;
        this.out = Buffer.allocUnsafe(1 << 16);
        this.outLength = 0;
      }
      return;
    }
    this.emit(b === PLUS ? 0x20 : b);
  }

  private emit(b: number): void {
    if (this.pasting) {
      if (this.outLength === this.out!.length) this.flushPaste();
      this.out![this.outLength++] = b;
      return;
    }
    const into = this.inValue ? this.value : this.name;
    if (into.length >= SMALL_FIELD) throw new HttpError(413, `A form field is larger than the limit of ${SMALL_FIELD / 1024} kB.`);
    into.push(b);
  }

  private flushPaste(): void {
    if (!this.pasting || this.out === null || this.outLength === 0) return;
    const piece = Buffer.from(this.out.subarray(0, this.outLength));
    this.outLength = 0;
    this.paste!.push(piece);
  }

  private finishField(): void {
    if (this.pasting) {
      this.pasting = false;
      this.out = null;
    } else if (this.name.length > 0 || this.value.length > 0) {
      const name = Buffer.from(this.name).toString('utf8');
      const value = Buffer.from(this.value).toString('utf8');
      const had = this.fields[name];
      this.fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    this.name = [];
    this.value = [];
    this.inValue = false;
  }
}
