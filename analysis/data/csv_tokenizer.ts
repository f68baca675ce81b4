import { InputError } from '../errors.js';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Receives the records of a CSV byte stream from {@link CsvTokenizer}. `record` is called once
 * per non-empty record with its `count` fields: field i is the bytes `starts[i]` … `ends[i]` of
 * `bytes` (a quoted field without its quotes; `escaped[i]` is 1 when it holds a doubled quote
 * `""` still to be undone), and `line` is the 1-based file line the record starts on. The views
 * are valid only during the call.
 */
export type CsvRecordSink = (
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  escaped: Uint8Array,
  count: number,
  line: number,
) => void;

/**
 * A reader's own parser for the plain records it expects, tried before the general one (see
 * {@link CsvTokenizer.useFastRecords}): `read` reads the record starting at `p` (bytes before `to`,
 * fields separated by `delimiter`), and as many plain records after it as it likes, and returns the
 * offset after the last one's line feed, or −1 without having counted any record when the one at
 * `p` is anything but plain (then the general tokenizer reads it, and reports what is wrong with
 * it). `records` is the number of records (one line each) the last `read` took; `piece` counts the
 * tokenizer's `scan` calls, so a parser that copies `bytes` knows when their content is new.
 */
export interface CsvFastRecords {
  read(bytes: Uint8Array, p: number, to: number, delimiter: number, piece: number): number;
  readonly records: number;
}

/**
 * How a delimited file is written, when it is not plain CSV: its field separator (a byte: `;` or
 * a tab, as spreadsheets in many locales save "CSV") and whether numbers carry a decimal comma.
 * With `decimalComma`, a field that is a number written with one (`3,5`, `-0,25`, spaces around
 * allowed) reaches the sink with a point in its place (`3.5`): the tokenizer rewrites that one
 * byte in the buffer it was given, so a caller that keeps its bytes passes a copy.
 */
export interface CsvDialectBytes {
  readonly delimiter: number;
  readonly decimalComma: boolean;
}

/**
 * A byte-level RFC 4180 tokenizer that reads a CSV file piece by piece: comma-separated fields,
 * records ending in LF or CRLF, double-quoted fields that may hold commas, line breaks and
 * doubled quotes. Empty lines are skipped but counted. A UTF-8 byte-order mark is skipped.
 *
 * It hands each record to the sink as byte ranges, without making a string of any field, so a
 * reader can turn the fields it needs straight into numbers ({@link parseNumberField}) and skip
 * the others: a file of millions of rows is never held whole, neither as text nor as arrays of
 * strings. `scan` is called with a buffer, the range still to read and whether the file ends
 * there; it returns where the first incomplete record starts, so the caller keeps those bytes and
 * calls again with more. A quote inside an unquoted field, text after a closing quote, and a
 * quote never closed are InputErrors naming `label`'s line, as csv-parse reports them.
 */
export class CsvTokenizer {
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private escaped = new Uint8Array(64);
  /** 1-based line at which the next record starts. */
  private line = 1;
  private first = true;
  private paused = false;
  private delimiter = COMMA;
  private decimalComma = false;
  private fast: CsvFastRecords | null = null;
  private pieces = 0;

  constructor(
    private readonly label: string,
    private readonly argument: string,
    private readonly sink: CsvRecordSink,
  ) {}

  /** Reads a delimited file of another dialect (see {@link CsvDialectBytes}); call before the first `scan`. */
  useDialect(dialect: CsvDialectBytes): void {
    this.delimiter = dialect.delimiter;
    this.decimalComma = dialect.decimalComma;
  }

  /**
   * From now on, offers each record to `fast` first (a reader's parser for the records it expects,
   * e.g. one-digit ratings); a record `fast` declines goes to the general loop and the sink. Each
   * record it takes occupies one line. Not used with a decimal comma (`fast` would see the commas unrewritten).
   */
  useFastRecords(fast: CsvFastRecords | null): void {
    this.fast = fast;
  }

  /** Reads the complete records of `bytes[from … to)`; returns the offset of the first byte not consumed. */
  scan(bytes: Uint8Array, from: number, to: number, final: boolean): number {
    let p = from;
    const piece = ++this.pieces;
    if (this.first) {
      if (to - p < 3 && !final) return p;
      if (to - p >= 3 && bytes[p] === 0xef && bytes[p + 1] === 0xbb && bytes[p + 2] === 0xbf) p += 3;
      this.first = false;
    }
    while (p < to) {
      const c0 = bytes[p];
      // an empty line (LF or CRLF) is skipped but counted
      if (c0 === LF) {
        this.line++;
        p++;
        continue;
      }
      if (c0 === CR) {
        if (p + 1 >= to && !final) return p;
        if (p + 1 < to && bytes[p + 1] === LF) {
          this.line++;
          p += 2;
          continue;
        }
      }
      if (this.fast !== null && !this.decimalComma) {
        const taken = this.fast.read(bytes, p, to, this.delimiter, piece);
        if (taken >= 0) {
          this.line += this.fast.records;
          p = taken;
          continue;
        }
      }
      const next = this.record(bytes, p, to, final);
      if (next < 0) return p;
      p = next;
      if (this.paused) {
        this.paused = false;
        return p;
      }
    }
    return p;
  }

  /** Called from the sink: `scan` returns right after the current record (a reader that wants the header first). */
  pause(): void {
    this.paused = true;
  }

  /** Reads one record from `p`; returns the offset after its line break, or −1 when it is incomplete. */
  private record(bytes: Uint8Array, p: number, to: number, final: boolean): number {
    let count = 0;
    let newlines = 0;
    for (;;) {
      if (count === this.starts.length) this.grow();
      if (p < to && bytes[p] === QUOTE) {
        // quoted field: runs to the quote that is not doubled
        const open = p;
        const openLine = this.line + newlines;
        let q = p + 1;
        let esc = 0;
        for (;;) {
          while (q < to && bytes[q] !== QUOTE) {
            if (bytes[q] === LF) newlines++;
            q++;
          }
          if (q >= to) {
            if (!final) return -1;
            throw new InputError(this.argument, `${this.label} line ${openLine}: a quoted field is never closed.`);
          }
          if (q + 1 < to && bytes[q + 1] === QUOTE) {
            esc = 1;
            q += 2;
            continue;
          }
          if (q + 1 >= to && !final) return -1;
          break;
        }
        this.starts[count] = open + 1;
        this.ends[count] = q;
        this.escaped[count] = esc;
        count++;
        p = q + 1;
        if (p >= to) break; // final: the file ends after the closing quote
        const c = bytes[p];
        if (c === this.delimiter) {
          p++;
          continue;
        }
        if (c === LF) {
          p++;
          break;
        }
        if (c === CR && p + 1 < to && bytes[p + 1] === LF) {
          p += 2;
          break;
        }
        if (c === CR && p + 1 >= to && !final) return -1;
        throw new InputError(this.argument, `${this.label} line ${this.line + newlines}: text follows the closing quote of a field; it is not valid CSV.`);
      }
      // unquoted field: runs to the next comma or line break
      const start = p;
      const delimiter = this.delimiter;
      let c = 0;
      while (p < to) {
        c = bytes[p];
        if (c === delimiter || c === LF || c === QUOTE) break;
        p++;
      }
      if (p < to && c === QUOTE) {
        throw new InputError(this.argument, `${this.label} line ${this.line + newlines}: a quote inside an unquoted field; it is not valid CSV.`);
      }
      if (p >= to) {
        if (!final) return -1;
        let end = p;
        if (end > start && bytes[end - 1] === CR) end--;
        this.starts[count] = start;
        this.ends[count] = end;
        this.escaped[count] = 0;
        count++;
        break;
      }
      let end = p;
      if (c === LF && end > start && bytes[end - 1] === CR) end--;
      this.starts[count] = start;
      this.ends[count] = end;
      this.escaped[count] = 0;
      count++;
      p++;
      if (c === LF) break;
    }
    const line = this.line;
    // the record's own line break, when it has one, ends the line too
    this.line += newlines + (p > 0 && bytes[p - 1] === LF ? 1 : 0);
    if (this.decimalComma) for (let k = 0; k < count; k++) decimalPoint(bytes, this.starts[k], this.ends[k]);
    this.sink(bytes, this.starts, this.ends, this.escaped, count, line);
    return p;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const x = new Uint8Array(n);
    x.set(this.escaped);
    this.starts = s;
    this.ends = e;
    this.escaped = x;
  }
}

/** Turns a field that is a number with a decimal comma (`[-+]digits,digits`, spaces around) into one with a point, in place. */
function decimalPoint(bytes: Uint8Array, start: number, end: number): void {
  while (start < end && (bytes[start] === 32 || bytes[start] === 9)) start++;
  while (end > start && (bytes[end - 1] === 32 || bytes[end - 1] === 9)) end--;
  let i = start;
  if (i < end && (bytes[i] === 45 || bytes[i] === 43)) i++;
  const intStart = i;
  while (i < end && bytes[i] >= 48 && bytes[i] <= 57) i++;
  if (i === intStart || i >= end || bytes[i] !== COMMA) return;
  const comma = i++;
  const fracStart = i;
  while (i < end && bytes[i] >= 48 && bytes[i] <= 57) i++;
  if (i === fracStart || i !== end) return;
  bytes[comma] = 46;
}

const decoder = new TextDecoder('utf-8');

/** A field's text as written (a quoted field without its quotes and with `""` undone), untrimmed. */
export function fieldText(bytes: Uint8Array, start: number, end: number, escaped: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  let s: string;
  if (ascii && end - start < 64) {
    s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  } else {
    s = decoder.decode(bytes.subarray(start, end));
  }
  return escaped === 1 ? s.replaceAll('""', '"') : s;
}

/** Powers of ten that doubles hold exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A field that is not a number: the value {@link parseNumberField} returns for it. Infinity is
 * free for this use because an infinite value is not accepted as a number either.
 */
export const NOT_A_NUMBER = Infinity;

/**
 * The number a CSV field holds: NaN when it is missing (empty or `NA`, spaces around allowed),
 * {@link NOT_A_NUMBER} when it is neither missing nor a finite number, else the value exactly as
 * JavaScript's `Number(text.trim())` reads it. Plain decimals of up to 15 digits (`4`, `-2.75`)
 * are read from the bytes without making a string: the digits as an integer m < 2^53 divided by
 * 10^k, k ≤ 22, both exact, so the one division rounds correctly as `Number` does (Clinger's fast
 * path, 1990, doi:10.1145/93548.93557); anything else goes through `Number`.
 */
export function parseNumberField(bytes: Uint8Array, start: number, end: number, escaped: number): number {
  if (start === end) return NaN;
  let i = start;
  let negative = false;
  const c0 = bytes[i];
  if (c0 === 45 || c0 === 43) {
    negative = c0 === 45;
    i++;
  }
  let m = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (i === end && digits > 0 && digits <= 15 && fraction <= 22) {
    const v = fraction === 0 ? m : m / POW10[fraction];
    return negative ? -v : v;
  }
  const text = fieldText(bytes, start, end, escaped).trim();
  if (text === '' || text === 'NA') return NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : NOT_A_NUMBER;
}
