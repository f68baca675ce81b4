import { InputError } from '../errors.js';
import { CsvTokenizer, NOT_A_NUMBER, fieldText, parseNumberField, type CsvFastRecords } from './csv_tokenizer.js';
import { plainRecordReader, type PlainRecordReader } from '../math/plain_record_kernel.js';
import { MISSING_BYTE, answerValues, type AnswerColumn, type AnswerColumns, type CodedLabels, type NumericColumns } from './columns.js';

/**
 * CSV data read column by column (shared/CONTRACT.md's input rules: a header row,
 * comma-separated, RFC 4180 quoting, an empty field or `NA` missing): numbers into one
 * Float64Array per column (NaN for missing), text (unit, wave, group) as Int32Array codes into
 * its distinct values. The command line streams files into a {@link CsvColumnSink} piece by
 * piece (`cli/io/csv.ts`); {@link readCsvColumns} does the same for bytes already in memory
 * (a file dropped on the browser analysis page), with the same messages. Nothing here touches
 * the file system, so the browser bundle uses it as it is.
 */

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Columns a caller reads, with the argument that named them (for the error when one is absent). */
export interface ColumnRequest {
  readonly names: readonly string[];
  readonly argument: string;
  /**
   * Numbers only: the columns are ratings, stored one byte per answer while every value is a whole
   * number from 0 to 254 (a column with any other value falls back to eight bytes); read them
   * with `answers`. Results do not change, only memory.
   */
  readonly compact?: boolean;
}

export interface ColumnReadRequest {
  /** Columns read as numbers; a value that is neither missing nor a number is an error naming its row and column. */
  readonly numbers?: readonly ColumnRequest[];
  /** Columns read as labels (trimmed text; empty or NA is missing). */
  readonly texts?: readonly ColumnRequest[];
}

/** The columns read from a CSV file. */
export interface CsvColumns {
  /** `--csv path`, as error messages name the file. */
  readonly source: string;
  /** Data rows read (empty lines are not rows). */
  readonly length: number;
  /** One numeric column (it must have been requested). */
  number(name: string): Float64Array;
  /** Requested numeric columns, in the order given (a compact column is widened to a new Float64Array). */
  numbers(names: readonly string[]): NumericColumns;
  /** Requested numeric columns as stored: one byte per answer for compact columns that fit, else Float64Array. */
  answers(names: readonly string[]): AnswerColumns;
  /** One text column as codes. */
  text(name: string): CodedLabels;
}

/**
 * Checks a CSV header: every column named, no name twice, and not a first row of numbers only
 * (a file without a header). The InputError names `argument` and `source`.
 */
export function checkCsvHeader(header: readonly string[], source: string, argument: string): void {
  const seen = new Set<string>();
  for (const [i, c] of header.entries()) {
    if (c === '') throw new InputError(argument, `${source}: header column ${i + 1} has no name.`);
    if (seen.has(c)) throw new InputError(argument, `${source}: the header names column "${c}" twice.`);
    seen.add(c);
  }
  if (header.length > 1 && header.every((c) => /^-?\d+(\.\d+)?$/.test(c))) {
    throw new InputError(argument, `${source}: the first row holds only numbers; a header row with column names is required.`);
  }
}

/**
 * Receives the data records of a CSV file (after its header) from a {@link CsvTokenizer} and
 * writes the requested columns into typed arrays of `capacity` rows (at least the file's data
 * rows: its line count will do). Every requested column must be in `columns`: the InputError
 * names the argument that asked for it. A record of the wrong width, or a numeric field that
 * is not a number, is an InputError naming its line, or its row and column. With
 * `plainRecordKernel`, a sink reading only ratings keeps them in a WebAssembly kernel's memory
 * and reads its plain records there (see {@link CsvColumnSink.fastRecords}).
 */
export class CsvColumnSink {
  readonly numericNames: readonly string[];
  readonly textNames: readonly string[];
  private readonly numericAt: Int32Array;
  private readonly textAt: Int32Array;
  private readonly numeric: AnswerColumn[];
  private readonly text: LabelColumn[];
  /** For each field of a record, the numeric column it fills, or −1 (for {@link CsvColumnSink.plainRecord}). */
  private readonly fieldColumn: Int32Array;
  /** The WebAssembly loop over plain records, while every requested column is one byte per answer (else null). */
  private kernel: PlainRecordReader | null = null;
  private rows = 0;

  constructor(
    private readonly columns: readonly string[],
    private readonly source: string,
    private readonly argument: string,
    private readonly request: ColumnReadRequest,
    capacity: number,
    plainRecordKernel = false,
  ) {
    const position = new Map(columns.map((c, i) => [c, i]));
    ({ numbers: this.numericNames, texts: this.textNames } = requestedColumns(columns, source, request));
    this.numericAt = Int32Array.from(this.numericNames, (n) => position.get(n)!);
    this.textAt = Int32Array.from(this.textNames, (n) => position.get(n)!);
    const compact = new Set((request.numbers ?? []).filter((q) => q.compact === true).flatMap((q) => q.names));
    const full = new Set((request.numbers ?? []).filter((q) => q.compact !== true).flatMap((q) => q.names));
    // a column asked for both ways is stored in full; the columns of each kind share one buffer
    // (a hundred separate typed arrays cost ≈ 0.2 ms each to allocate, one of their total size next to nothing)
    const isCompact = this.numericNames.map((n) => compact.has(n) && !full.has(n));
    const compactCount = isCompact.filter(Boolean).length;
    this.fieldColumn = new Int32Array(columns.length).fill(-1);
    this.numericAt.forEach((f, k) => (this.fieldColumn[f] = k));
    // ratings only: the kernel's memory holds the columns (column k at k × capacity, as below)
    if (plainRecordKernel && this.textAt.length === 0 && compactCount > 0 && compactCount === isCompact.length) {
      this.kernel = plainRecordReader(this.fieldColumn, capacity, compactCount);
    }
    const bytes = this.kernel?.columns ?? new Uint8Array(capacity * compactCount);
    const doubles = new Float64Array(capacity * (isCompact.length - compactCount));
    let b = 0;
    let d = 0;
    this.numeric = isCompact.map((c) => (c ? bytes.subarray(capacity * b, capacity * ++b) : doubles.subarray(capacity * d, capacity * ++d)));
    this.text = this.textNames.map(() => new LabelColumn(capacity));
  }

  /**
   * A parser for the tokenizer's fast path ({@link CsvTokenizer.useFastRecords}) when only numeric
   * columns are read, else null: the plain records one by one ({@link CsvColumnSink.plainRecord}),
   * or as many at a time as follow one another by the WebAssembly kernel when the sink was made
   * with `plainRecordKernel` and reads only ratings (analysis/math/plain_record_kernel.ts).
   */
  fastRecords(): CsvFastRecords | null {
    if (this.textAt.length !== 0 || this.numericAt.length === 0) return null;
    const fast = {
      records: 0,
      read: (bytes: Uint8Array, p: number, to: number, delimiter: number, piece: number): number => {
        const kernel = this.kernel;
        if (kernel === null) {
          fast.records = 1;
          return this.plainRecord(bytes, p, to, delimiter);
        }
        const next = kernel.read(bytes, p, to, delimiter, this.rows, piece);
        fast.records = kernel.records;
        this.rows += kernel.records;
        return next;
      },
    };
    return fast;
  }

  /**
   * The record at `p` when it is plain: as many unquoted fields as the header has columns, each
   * numeric column's field one digit (a rating), the record ended by a line feed without a carriage
   * return. Its digits are stored as `record` stores them, and the offset after the line feed is
   * returned; anything else returns −1 before the row is counted (the general path then reads the
   * record again, overwriting what was stored of it, and reports any error as always). 36 items ×
   * 20,000 rows: ≈ 60 → 30 ms of a cold process.
   */
  private readonly plainRecord = (bytes: Uint8Array, p: number, to: number, delimiter: number): number => {
    const fieldColumn = this.fieldColumn;
    const numeric = this.numeric;
    const last = fieldColumn.length - 1;
    const r = this.rows;
    for (let f = 0; f <= last; f++) {
      const end = f === last ? LF : delimiter;
      const k = fieldColumn[f];
      if (k >= 0) {
        // p + 1 < to, so that bytes[p] and bytes[p + 1] exist
        if (p + 1 >= to) return -1;
        const digit = bytes[p] - 48;
        if (digit < 0 || digit > 9 || bytes[p + 1] !== end) return -1;
        numeric[k][r] = digit;
        p += 2;
      } else {
        let c = 0;
        while (p < to) {
          c = bytes[p];
          if (c === delimiter || c === LF || c === QUOTE || c === CR) break;
          p++;
        }
        if (p >= to || c !== end) return -1;
        p++;
      }
    }
    this.rows = r + 1;
    return p;
  };

  /** The tokenizer's sink for the data records (see {@link CsvTokenizer}). */
  readonly record = (bytes: Uint8Array, starts: Int32Array, ends: Int32Array, escaped: Uint8Array, count: number, line: number): void => {
    const width = this.columns.length;
    if (count !== width) {
      throw new InputError(this.argument, `${this.source} line ${line}: ${count} field${count === 1 ? '' : 's'}, but the header has ${width}.`);
    }
    const r = this.rows++;
    const numericAt = this.numericAt;
    for (let k = 0; k < numericAt.length; k++) {
      const f = numericAt[k];
      const start = starts[f];
      // a one-digit field (a rating): its value without the general parser
      if (ends[f] === start + 1) {
        const digit = bytes[start] - 48;
        if (digit >= 0 && digit <= 9) {
          this.numeric[k][r] = digit;
          continue;
        }
      }
      const v = parseNumberField(bytes, start, ends[f], escaped[f]);
      if (v === NOT_A_NUMBER) {
        const field = fieldText(bytes, starts[f], ends[f], escaped[f]);
        const name = this.numericNames[k];
        const arg = (this.request.numbers ?? []).find((q) => q.names.includes(name))?.argument ?? this.argument;
        throw new InputError(arg, `${this.source}: row ${r + 1}, column ${name}: "${field}" is not a number.`);
      }
      const column = this.numeric[k];
      if (column instanceof Uint8Array) {
        if (v !== v) column[r] = MISSING_BYTE;
        else if (v >= 0 && v < MISSING_BYTE && Math.floor(v) === v && !Object.is(v, -0)) column[r] = v;
        else {
          (this.numeric[k] = widen(column, r))[r] = v;
          // the kernel stores bytes only: the JavaScript loop reads the plain records from now on
          this.kernel = null;
        }
      } else column[r] = v;
    }
    for (let k = 0; k < this.textAt.length; k++) {
      const f = this.textAt[k];
      this.text[k].add(r, bytes, starts[f], ends[f], escaped[f]);
    }
  };

  /** The columns read so far (the file has ended). */
  done(): CsvColumns {
    const rows = this.rows;
    const source = this.source;
    const byAnswer = new Map(this.numericNames.map((n, k) => [n, this.numeric[k].subarray(0, rows)]));
    const byNumber = new Map<string, Float64Array>();
    const byText = new Map(this.textNames.map((n, k) => [n, this.text[k].done(rows)]));
    return {
      source,
      length: rows,
      number(name) {
        let x = byNumber.get(name);
        if (x === undefined) {
          const stored = byAnswer.get(name);
          if (stored === undefined) throw new Error(`column ${name} was not read as numbers`);
          x = stored instanceof Float64Array ? stored : answerValues(stored, rows);
          byNumber.set(name, x);
        }
        return x;
      },
      numbers(names) {
        return { length: rows, columns: names.map((n) => this.number(n)) };
      },
      answers(names) {
        return {
          length: rows,
          columns: names.map((n) => {
            const x = byAnswer.get(n);
            if (x === undefined) throw new Error(`column ${n} was not read as numbers`);
            return x;
          }),
        };
      },
      text(name) {
        const x = byText.get(name);
        if (x === undefined) throw new Error(`column ${name} was not read as text`);
        return x;
      },
    };
  }
}

/** A one-byte column as a Float64Array of the same capacity, its first `rows` values decoded (a value did not fit a byte). */
function widen(column: Uint8Array, rows: number): Float64Array {
  const out = new Float64Array(column.length);
  out.set(answerValues(column, rows));
  return out;
}

/**
 * The distinct numeric and text columns a request names, each checked to be in `columns`: an
 * InputError names the argument that asked for a column the file does not have. Callers check
 * their memory need with these counts before any column is allocated.
 */
export function requestedColumns(columns: readonly string[], source: string, request: ColumnReadRequest): { numbers: string[]; texts: string[] } {
  const present = new Set(columns);
  const requested = (requests: readonly ColumnRequest[] = []): string[] => {
    for (const { names, argument } of requests) {
      for (const name of names) {
        if (!present.has(name)) throw new InputError(argument, `${argument} names column "${name}", which ${source} does not have.`);
      }
    }
    return [...new Set(requests.flatMap((r) => r.names))];
  };
  return { numbers: requested(request.numbers), texts: requested(request.texts) };
}

/** A CSV file held in memory: its checked header and its number of lines (≥ its data rows + 1). */
export interface CsvBytesHeader {
  readonly columns: readonly string[];
  /** Line breaks, plus one when the last line has none: the header and the data rows, and any empty lines. */
  readonly lines: number;
}

/**
 * The header of CSV bytes (checked as {@link checkCsvHeader} does) and their line count; an
 * empty file is an InputError naming `argument`.
 */
export function csvBytesHeader(bytes: Uint8Array, source: string, argument = '--csv'): CsvBytesHeader {
  let header: string[] | null = null;
  const tokenizer = new CsvTokenizer(source, argument, (b, starts, ends, escaped, count) => {
    if (header !== null) return;
    header = [];
    for (let i = 0; i < count; i++) header.push(fieldText(b, starts[i], ends[i], escaped[i]).trim());
    tokenizer.pause();
  });
  tokenizer.scan(bytes, 0, bytes.length, true);
  if (header === null) throw new InputError(argument, `${source} is empty: it needs a header row.`);
  checkCsvHeader(header, source, argument);
  const unterminated = bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? 1 : 0;
  return { columns: header, lines: countLineBreaks(bytes) + unterminated };
}

/**
 * Reads the requested columns of CSV bytes held in memory (a file the browser has read): the
 * same tokenizer, header rules, column store and messages as the command line's streaming
 * reader. `source` names the file in messages (e.g. `the file survey.csv`).
 */
export function readCsvColumns(bytes: Uint8Array, source: string, request: ColumnReadRequest, argument = '--csv'): CsvColumns {
  const { columns, lines } = csvBytesHeader(bytes, source, argument);
  const sink = new CsvColumnSink(columns, source, argument, request, lines);
  let first = true;
  const tokenizer = new CsvTokenizer(source, argument, (b, s, e, x, c, l) => {
    if (first) {
      first = false;
      return;
    }
    sink.record(b, s, e, x, c, l);
  });
  tokenizer.scan(bytes, 0, bytes.length, true);
  return sink.done();
}

function countLineBreaks(bytes: Uint8Array): number {
  let n = 0;
  let at = bytes.indexOf(10);
  while (at >= 0) {
    n++;
    at = bytes.indexOf(10, at + 1);
  }
  return n;
}

/**
 * A text column as codes, read field by field: a field is trimmed, empty or `NA` is missing (−1),
 * and a value equal byte for byte to the previous row's reuses its code without making a string
 * (files sorted by unit repeat the same label for many rows).
 */
class LabelColumn {
  private codes: Int32Array;
  private readonly levels: string[] = [];
  private readonly index = new Map<string, number>();
  private last = new Uint8Array(64);
  private lastLength = -1;
  private lastCode = -1;

  constructor(capacity: number) {
    this.codes = new Int32Array(capacity);
  }

  add(row: number, bytes: Uint8Array, start: number, end: number, escaped: number): void {
    const n = end - start;
    if (n === this.lastLength) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (bytes[start + i] !== this.last[i]) {
          same = false;
          break;
        }
      }
      if (same) {
        this.codes[row] = this.lastCode;
        return;
      }
    }
    const t = fieldText(bytes, start, end, escaped).trim();
    let code: number;
    if (t === '' || t === 'NA') {
      code = -1;
    } else {
      const known = this.index.get(t);
      if (known === undefined) {
        code = this.levels.length;
        this.index.set(t, code);
        this.levels.push(t);
      } else {
        code = known;
      }
    }
    this.codes[row] = code;
    if (n > this.last.length) this.last = new Uint8Array(n * 2);
    this.last.set(bytes.subarray(start, end));
    this.lastLength = n;
    this.lastCode = code;
  }

  done(rows: number): CodedLabels {
    return { codes: this.codes.subarray(0, rows), levels: this.levels };
  }
}
