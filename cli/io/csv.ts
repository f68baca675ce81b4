import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError } from '../../analysis/errors.js';
import { CsvTokenizer, fieldText } from '../../analysis/data/csv_tokenizer.js';
import { CsvColumnSink, checkCsvHeader, requestedColumns, type ColumnReadRequest, type ColumnRequest, type CsvColumns } from '../../analysis/data/csv_columns.js';
import { rowsFromColumns, labelsOf } from '../../analysis/data/columns.js';
import type { CsvByteSource } from '../../analysis/data/csv_records.js';
import { byteCounter } from '../../analysis/math/byte_count_kernel.js';
import { FIXED_OVERHEAD, formatSize, memoryLimit, type MemoryLimit } from './memory_limit.js';

/**
 * The one CSV reader of the `seici` commands (shared/CONTRACT.md's input rules: a header row,
 * comma-separated, RFC 4180 quoting, an empty field or `NA` missing). It streams the file in
 * pieces through the byte tokenizer and writes the columns a command uses straight into typed
 * arrays: numbers into one Float64Array per column (NaN for missing), text (unit, wave, group)
 * as Int32Array codes into its distinct values. The file is never held whole, neither as one
 * string nor as arrays of strings: memory is 8 bytes per number and 4 per label used.
 *
 *   const csv = openCsv(opts.csv);                   // reads the header only
 *   const data = csv.read({ numbers: [{ names: items, argument: '--items' }], texts: [...] });
 *   data.numbers(items); data.text('unit');
 *
 * Before reading the rows it counts the file's lines and checks that the columns will fit the
 * memory limit ({@link memoryLimit}), so a file too large is an input error with the size that
 * would fit, never a crash halfway.
 */

export type { ColumnRequest, CsvColumns };

export interface ReadRequest extends ColumnReadRequest {
  /**
   * The command will turn the numbers into an array of rows for an analysis that takes rows
   * (about 8 bytes per value plus 64 per row, on the JavaScript heap): counted in the memory check.
   */
  readonly rowArrays?: boolean;
  /** The limit to check against; default {@link memoryLimit}(). */
  readonly memory?: MemoryLimit;
}

/** A CSV file opened and its header read; `read` reads the rows. */
export interface CsvFile {
  readonly source: string;
  readonly columns: readonly string[];
  read(request: ReadRequest): CsvColumns;
}

/** Bytes read from the file at a time. */
const CHUNK = 1 << 20;

/**
 * Opens a header-first CSV file and reads its header. A missing, unreadable or empty file, a
 * header column without a name or named twice, or a first row of numbers only is an InputError
 * naming `argument`.
 */
export function openCsv(path: string, argument = '--csv'): CsvFile {
  const source = `${argument} ${path}`;
  let fd: number;
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(argument, `${argument} ${path} is a folder, not a CSV file.`);
    size = st.size;
    fd = openSync(path, 'r');
  } catch (err) {
    throw fileError(err, path, argument);
  }
  const reader = new ChunkReader(fd, path, argument);
  let header: string[] | null = null;
  let sink = (bytes: Uint8Array, starts: Int32Array, ends: Int32Array, escaped: Uint8Array, count: number, line: number): void => {
    void line;
    header = [];
    for (let i = 0; i < count; i++) header.push(fieldText(bytes, starts[i], ends[i], escaped[i]).trim());
    tokenizer.pause();
  };
  const tokenizer = new CsvTokenizer(source, argument, (b, s, e, x, c, l) => sink(b, s, e, x, c, l));
  try {
    reader.run(tokenizer, () => header !== null);
    if (header === null) throw new InputError(argument, `${source} is empty: it needs a header row.`);
    checkCsvHeader(header, source, argument);
  } catch (err) {
    reader.close();
    throw err;
  }
  const columns: readonly string[] = header;
  let used = false;
  return {
    source,
    columns,
    read(request: ReadRequest): CsvColumns {
      if (used) throw new Error('a CsvFile is read once');
      used = true;
      try {
        const wanted = requestedColumns(columns, source, request);
        const check = (rows: number) => checkMemory(rows, wanted.numbers.length, wanted.texts.length, request, source);
        let capacity: number;
        if (size < CHUNK && reader.readToEnd()) {
          // the whole file in hand: its bytes bound its rows (a row of n fields has n − 1 delimiters
          // and a line break), which saves counting its lines (≈ 0.8 ms of a cold process at 2,000 rows)
          capacity = reader.rowBound(columns.length);
          try {
            check(capacity);
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            // too large by the bound: the exact count decides, and names the rows in the message
            capacity = countLines(path, size, argument);
            check(capacity);
          }
        } else {
          // every data row ends a line after the header, the last one perhaps without a line break
          capacity = countLines(path, size, argument);
          check(capacity);
        }
        const columnSink = new CsvColumnSink(columns, source, argument, request, capacity, true);
        sink = columnSink.record;
        tokenizer.useFastRecords(columnSink.fastRecords());
        reader.run(tokenizer, () => false);
        return columnSink.done();
      } finally {
        reader.close();
      }
    },
  };
}

/** Reads a whole CSV file for one request (the usual case): {@link openCsv} then `read`. */
export function readCsv(path: string, request: ReadRequest, argument = '--csv'): CsvColumns {
  return openCsv(path, argument).read(request);
}

/** Requested numeric columns as an array of rows (for analyses that take rows; see `rowArrays`). */
export function numericRows(data: CsvColumns, names: readonly string[]): number[][] {
  return rowsFromColumns(data.numbers(names));
}

/** A text column as strings, null when missing (for analyses that take strings). */
export function textValues(data: CsvColumns, name: string): (string | null)[] {
  return labelsOf(data.text(name));
}

/**
 * A file as a {@link CsvByteSource} for the record readers of analysis/ (trace imports): fed to
 * the tokenizer in 1 MB pieces, never held whole. A missing or unreadable file, or a folder, is an
 * InputError naming `argument`.
 */
export function csvFileSource(path: string, argument: string): CsvByteSource {
  return (tokenizer) => {
    let fd: number;
    try {
      if (statSync(path).isDirectory()) throw new InputError(argument, `${argument} ${path} is a folder, not a file.`);
      fd = openSync(path, 'r');
    } catch (err) {
      throw fileError(err, path, argument);
    }
    const reader = new ChunkReader(fd, path, argument);
    try {
      reader.run(tokenizer, () => false);
    } finally {
      reader.close();
    }
  };
}

function fileError(err: unknown, path: string, argument: string): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
  return new InputError(argument, `${argument} ${path}: ${why}.`);
}

/**
 * Checks that the columns fit: 8 bytes per number and 4 per label for every row, half as much
 * again for the analysis's own arrays (cell scores, groups, means), the fixed 200 MB, and with
 * `rowArrays` the rows on the JavaScript heap (which has its own, smaller limit).
 */
function checkMemory(rows: number, numeric: number, texts: number, request: ReadRequest, source: string): void {
  const limit = request.memory ?? memoryLimit();
  const perRow = 1.5 * (8 * numeric + 4 * texts) + (request.rowArrays ? 1.5 * (8 * numeric + 64) : 0);
  const need = FIXED_OVERHEAD + rows * perRow;
  // formatted only for a message: the first toLocaleString of a process starts ICU (≈ 30 ms of CPU)
  const columns = () => `${rows.toLocaleString('en')} rows × ${(numeric + texts).toLocaleString('en')} column${numeric + texts === 1 ? '' : 's'}`;
  if (need > limit.bytes) {
    const fits = Math.floor((limit.bytes - FIXED_OVERHEAD) / perRow);
    const room = fits > 0 ? `enough for about ${fits.toLocaleString('en')} rows` : `less than the ${formatSize(FIXED_OVERHEAD)} a command needs before any data`;
    throw new InputError(
      '--csv',
      `${source} is too large: its up to ${columns()} need about ${formatSize(need)}, but ${limit.source} is ${formatSize(limit.bytes)}, ${room}.`,
    );
  }
  if (request.rowArrays) {
    const heap = heapSizeLimit();
    const heapNeed = rows * 1.5 * (8 * numeric + 64) + 100 * 1024 * 1024;
    if (heapNeed > heap) {
      const fits = Math.max(0, Math.floor((heap - 100 * 1024 * 1024) / (1.5 * (8 * numeric + 64))));
      throw new InputError(
        '--csv',
        `${source} is too large: this command holds its up to ${columns()} as rows, which need about ${formatSize(heapNeed)} of the ${formatSize(heap)} JavaScript heap, enough for about ${fits.toLocaleString('en')} rows.`,
      );
    }
  }
}

/**
 * Line breaks in the file: at least as many as its data rows (the header takes a line). A file of
 * a megabyte or more is read piece by piece into the byte-count kernel's memory and counted there,
 * 16 bytes a step (20,000 lines: ≈ 13 → 6 ms, most of it the kernel's start); a smaller one, or
 * without WebAssembly, by `Buffer#indexOf` (≈ 0.6 µs a line).
 */
function countLines(path: string, size: number, argument: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw fileError(err, path, argument);
  }
  const length = Math.min(CHUNK, Math.max(size, 1));
  const counter = size >= CHUNK ? byteCounter(length) : null;
  const buf = counter ? counter.buffer.subarray(0, length) : Buffer.allocUnsafe(length);
  let lines = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      if (counter) {
        lines += counter.count(n, 10);
        continue;
      }
      let at = buf.indexOf(10, 0);
      while (at >= 0 && at < n) {
        lines++;
        at = buf.indexOf(10, at + 1);
      }
    }
  } catch (err) {
    throw fileError(err, path, argument);
  } finally {
    closeSync(fd);
  }
  return lines;
}

/** Feeds a file to a tokenizer piece by piece, keeping an incomplete record's bytes for the next piece. */
class ChunkReader {
  private buf = Buffer.allocUnsafe(CHUNK);
  private start = 0;
  private filled = 0;
  private eof = false;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly path: string,
    private readonly argument: string,
  ) {}

  /** Reads on until the file ends or the buffer is full; true when the rest of the file is in the buffer. */
  readToEnd(): boolean {
    while (!this.eof && this.filled < this.buf.length) this.pump();
    return this.eof;
  }

  /**
   * At least the number of records of `fields` fields in the bytes not yet scanned (the whole rest
   * of the file, after {@link ChunkReader.readToEnd}): each has `fields` − 1 delimiters and ends
   * with a line break or the file, so it takes at least max(1, `fields` − 1) bytes.
   */
  rowBound(fields: number): number {
    return Math.floor((this.filled - this.start) / Math.max(1, fields - 1)) + 1;
  }

  /** Scans until `stop()` holds after a pause, or to the end of the file. */
  run(tokenizer: CsvTokenizer, stop: () => boolean): void {
    for (;;) {
      this.start = tokenizer.scan(this.buf, this.start, this.filled, this.eof);
      if (stop()) return;
      if (this.eof) return;
      this.pump();
    }
  }

  private pump(): void {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.filled);
      this.filled -= this.start;
      this.start = 0;
    }
    if (this.filled === this.buf.length) {
      // one record longer than the buffer: make room for it
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    let n: number;
    try {
      n = readSync(this.fd, this.buf, this.filled, this.buf.length - this.filled, null);
    } catch (err) {
      throw fileError(err, this.path, this.argument);
    }
    this.filled += n;
    if (n === 0) this.eof = true;
  }

  close(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }
}

// ---------------------------------------------------------------------------------------------
// Small tables held as strings: for tests and fixtures (every command reads through openCsv).

/** A small CSV as strings: its header and its data rows (as written by `parseTable`, trimmed by `readTable`). */
export interface Table {
  readonly source: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** True for the two spellings of a missing value: an empty field and `NA`. */
export function isMissing(field: string | undefined): boolean {
  if (field === undefined) return true;
  const t = field.trim();
  return t === '' || t === 'NA';
}

/** Parses a small CSV text into strings with the same tokenizer and header rules as {@link openCsv}. */
export function parseTable(text: string, label: string): Table {
  const bytes = Buffer.from(text, 'utf8');
  let columns: string[] | null = null;
  const rows: string[][] = [];
  const tokenizer = new CsvTokenizer(label, 'csv', (b, s, e, x, count, line) => {
    const fields: string[] = [];
    for (let i = 0; i < count; i++) fields.push(fieldText(b, s[i], e[i], x[i]));
    if (columns === null) {
      columns = fields.map((f) => f.trim());
      checkCsvHeader(columns, label, 'csv');
    } else {
      if (count !== columns.length) throw new InputError('csv', `${label} line ${line}: ${count} field${count === 1 ? '' : 's'}, but the header has ${columns.length}.`);
      rows.push(fields);
    }
  });
  tokenizer.scan(bytes, 0, bytes.length, true);
  if (columns === null) throw new InputError('csv', `${label} is empty: it needs a header row.`);
  return { source: label, columns, rows };
}

/**
 * Reads a small CSV file into strings through the streaming reader, every column as a label:
 * values trimmed, a missing one (empty or NA) as ''. For tests and fixtures; commands use `openCsv`.
 */
export function readTable(path: string, argument = '--csv'): Table {
  const data = openCsv(path, argument);
  const columns = data.columns;
  const all = data.read({ texts: [{ names: columns, argument }], memory: { bytes: Number.MAX_SAFE_INTEGER, source: '' } });
  const coded = columns.map((c) => all.text(c));
  const rows: string[][] = [];
  for (let r = 0; r < all.length; r++) rows.push(coded.map((c) => (c.codes[r] < 0 ? '' : c.levels[c.codes[r]])));
  return { source: data.source, columns, rows };
}

/** The index of `name` in the table, or an InputError naming `argument`. */
export function columnIndex(table: Table, name: string, argument: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new InputError(argument, `${argument} names column "${name}", which ${table.source} does not have.`);
  return i;
}

/** A column's raw values, missing ones as null. */
export function stringColumn(table: Table, name: string, argument: string): (string | null)[] {
  const j = columnIndex(table, name, argument);
  return table.rows.map((r) => (isMissing(r[j]) ? null : r[j].trim()));
}

/**
 * The named columns as a numeric matrix (rows × columns), NaN for a missing value.
 * A value that is neither missing nor a number is an InputError naming its data row
 * (1 = the first row after the header) and column.
 */
export function numericMatrix(table: Table, names: readonly string[], argument: string): number[][] {
  const idx = names.map((n) => columnIndex(table, n, argument));
  const out: number[][] = new Array(table.rows.length);
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    const values = new Array<number>(idx.length);
    for (let c = 0; c < idx.length; c++) {
      const field = row[idx[c]];
      if (isMissing(field)) {
        values[c] = NaN;
        continue;
      }
      const v = Number(field.trim());
      if (!Number.isFinite(v)) {
        throw new InputError(argument, `${table.source}: row ${r + 1}, column ${names[c]}: "${field}" is not a number.`);
      }
      values[c] = v;
    }
    out[r] = values;
  }
  return out;
}

/**
 * V8's heap limit, from node:v8, which is required only here: loading it costs every command
 * ≈ 4 ms of start-up (issue 16) and only the commands that hold rows as arrays need it.
 */
function heapSizeLimit(): number {
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  return v8.getHeapStatistics().heap_size_limit;
}
