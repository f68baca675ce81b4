import { CsvTokenizer, fieldText } from './csv_tokenizer.js';
import { InputError } from '../errors.js';

/**
 * A CSV byte stream: given a tokenizer, it calls `tokenizer.scan` with successive pieces of the
 * bytes (the last call with `final` true), keeping the bytes of an incomplete record for the next
 * piece. The command line's file reader is one (`csvFileSource`).
 */
export type CsvByteSource = (tokenizer: CsvTokenizer) => void;

/** A CSV file's header and data records, each record with the file line it ends on. */
export interface CsvRecords {
  readonly header: readonly string[];
  readonly records: readonly (readonly string[])[];
  /** `lines[i]` is the 1-based file line of `records[i]` (the header is line 1 when it comes first). */
  readonly lines: readonly number[];
}

/**
 * Splits CSV text (RFC 4180: comma-separated, double-quoted fields may hold commas, quotes
 * and line breaks) into a header and records, keeping each record's line number so that
 * validation errors can name it. Empty lines are skipped but counted. A record with a
 * different number of fields than the header, or an unclosed quote, is an InputError
 * naming the line. The tokenizer is the one the command line streams files through
 * ({@link CsvTokenizer}), so every reader counts lines and reports errors alike.
 */
export function csvRecords(text: string | CsvByteSource, label: string, argument: string): CsvRecords {
  const records: string[][] = [];
  const lines: number[] = [];
  let header: string[] = [];
  eachCsvRecord(
    text,
    label,
    argument,
    (h) => (header = h),
    (fields, line) => {
      records.push(fields);
      lines.push(line);
    },
  );
  return { header, records, lines };
}

/**
 * {@link csvRecords} without keeping the records: calls `onHeader` with the header (trimmed),
 * then `visit` with each data record (fields as written) and its line, in order. Large traces
 * are read this way so that no intermediate table is built; `text` may also be a
 * {@link CsvByteSource}, a file fed piece by piece, so that the file is not held whole either.
 */
export function eachCsvRecord(
  text: string | CsvByteSource,
  label: string,
  argument: string,
  onHeader: (header: string[]) => void,
  visit: (fields: string[], line: number) => void,
): void {
  let width = -1;
  const tokenizer = new CsvTokenizer(label, argument, (b, starts, ends, escaped, count, line) => {
    const fields = new Array<string>(count);
    for (let i = 0; i < count; i++) fields[i] = fieldText(b, starts[i], ends[i], escaped[i]);
    if (width < 0) {
      width = count;
      onHeader(fields.map((f) => f.trim()));
      return;
    }
    if (count !== width) throw fieldCountError(label, argument, line, count, width);
    visit(fields, line);
  });
  if (typeof text === 'string') {
    const bytes = new TextEncoder().encode(text);
    tokenizer.scan(bytes, 0, bytes.length, true);
  } else {
    text(tokenizer);
  }
  if (width < 0) throw new InputError(argument, `${label} is empty: it needs a header row.`);
}

function fieldCountError(label: string, argument: string, line: number, got: number, want: number): InputError {
  return new InputError(argument, `${label} line ${line}: ${got} field${got === 1 ? '' : 's'}, but the header has ${want}.`);
}

/**
 * The position of each wanted column in a header, matched without regard to case, spaces
 * or underscores (`Issue key` = `issue_key`), trying each alias in order; an InputError names
 * the first required column that is missing.
 */
export function headerPositions<K extends string>(
  header: readonly string[],
  wanted: Readonly<Record<K, { aliases: readonly string[]; required: boolean }>>,
  label: string,
  argument: string,
): Record<K, number> {
  const normal = header.map(normalizeName);
  const out = {} as Record<K, number>;
  for (const name of Object.keys(wanted) as K[]) {
    const { aliases, required } = wanted[name];
    let at = -1;
    for (const alias of aliases) {
      at = normal.indexOf(normalizeName(alias));
      if (at >= 0) break;
    }
    if (at < 0 && required) {
      throw new InputError(argument, `${label} has no ${aliases[0]} column; its header is ${header.join(',')}.`);
    }
    out[name] = at;
  }
  return out;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}
