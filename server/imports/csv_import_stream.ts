import { InputError } from '../../analysis/errors.js';
import { CsvTokenizer, fieldText } from '../../analysis/data/csv_tokenizer.js';
import { HttpError } from '../errors.js';
import { detectCsvDialect } from './csv_dialect.js';
import { LISTED_LINES, badLines } from './line_errors.js';

/** What an import does with the records of a CSV as they arrive. */
export interface CsvImportRows {
  /** The header, trimmed; throws (an InputError or HttpError) for a header the import cannot read, which ends the import. */
  header(header: string[]): void;
  /** One record's fields as written, with the line it starts on; throws an InputError or HttpError naming the line for a bad record, which is listed. */
  row(fields: string[], line: number): void;
}

/** Bytes looked at to decide the dialect (as detectCsvDialect samples text). */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Reads a CSV import as its bytes arrive (`write` each piece, then `end`) through the one CSV
 * tokenizer of analysis/data, in the dialect the file is written in (comma, semicolon or tab;
 * decimal points or commas: detectCsvDialect on its first 64 KiB, kept until then), handing each
 * record to `rows` as soon as it is complete. Only the bytes of a record still incomplete are
 * kept, never the file, its text, or a table of its fields: what an import keeps is what `rows`
 * keeps. Every bad record is collected rather than ending the read (a record of the wrong width
 * in the tokenizer's words, a record `rows` refuses in its own), so that `end` can answer with
 * every bad line at once (badLines: LISTED_LINES of them named, the rest counted) and a person
 * fixes a file in one go. A header `rows` refuses, an empty file and a file that is not CSV (an
 * unclosed quote) end the read with one sentence, thrown as a 400 by `write` or `end`; lines
 * found bad before a broken quote are listed with it.
 */
export class CsvImportStream {
  private tokenizer: CsvTokenizer;
  private started = false;
  private width = -1;
  private buf = Buffer.allocUnsafe(1 << 16);
  private start = 0;
  private filled = 0;
  private readonly problems: string[] = [];
  private bad = 0;

  constructor(
    private readonly label: string,
    argument: string,
    private readonly rows: CsvImportRows,
  ) {
    this.tokenizer = new CsvTokenizer(label, argument, (b, starts, ends, escaped, count, line) => {
      const fields = new Array<string>(count);
      for (let i = 0; i < count; i++) fields[i] = fieldText(b, starts[i], ends[i], escaped[i]);
      if (this.width < 0) {
        this.width = count;
        try {
          this.rows.header(fields.map((f) => f.trim()));
        } catch (err) {
          throw asHttp(err);
        }
        return;
      }
      if (count !== this.width) {
        // the tokenizer's readers' sentence (analysis/data/csv_records.ts)
        this.refuse(`${this.label} line ${line}: ${count} field${count === 1 ? '' : 's'}, but the header has ${this.width}.`);
        return;
      }
      try {
        this.rows.row(fields, line);
      } catch (err) {
        if (!(err instanceof InputError) && !(err instanceof HttpError && err.status < 500)) throw err;
        this.refuse(err.message);
      }
    });
  }

  /** Records read so far that were refused. */
  get refused(): number {
    return this.bad;
  }

  /** Bytes of the working buffer (what the reader itself keeps of the file: the record still incomplete and the piece being read). */
  get bufferedBytes(): number {
    return this.buf.length;
  }

  /** Reads the next bytes of the file. */
  write(chunk: Uint8Array): void {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.filled);
      this.filled -= this.start;
      this.start = 0;
    }
    if (this.filled + chunk.length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.filled + chunk.length) size *= 2;
      const bigger = Buffer.allocUnsafe(size);
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    this.buf.set(chunk, this.filled);
    this.filled += chunk.length;
    if (!this.started && this.filled < SAMPLE_BYTES) return;
    this.scan(false);
  }

  /** The file has ended: reads its last record; throws the 400 listing every bad line, if any. */
  end(): void {
    this.scan(true);
    if (this.width < 0) throw new HttpError(400, `${this.label} is empty: it needs a header row.`);
    if (this.bad > 0) throw badLines(this.problems, this.bad);
  }

  private scan(final: boolean): void {
    if (!this.started) {
      this.started = true;
      const dialect = detectCsvDialect(new TextDecoder('utf-8').decode(this.buf.subarray(0, Math.min(this.filled, SAMPLE_BYTES)), { stream: true }));
      if (dialect.delimiter !== ',') this.tokenizer.useDialect({ delimiter: dialect.delimiter.charCodeAt(0), decimalComma: dialect.decimalMark === ',' });
    }
    try {
      this.start = this.tokenizer.scan(this.buf, this.start, this.filled, final);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // not CSV: the lines found bad before it, then the tokenizer's sentence
      if (this.bad === 0) throw new HttpError(400, err.message);
      this.refuse(err.message);
      throw badLines(this.problems, this.bad);
    }
  }

  private refuse(message: string): void {
    if (this.problems.length < LISTED_LINES) this.problems.push(message);
    this.bad++;
  }
}

/** A caller's mistake as the 400 it answers (a bug is left as it is). */
function asHttp(err: unknown): unknown {
  return err instanceof InputError ? new HttpError(400, err.message) : err;
}
