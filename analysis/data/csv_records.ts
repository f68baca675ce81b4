import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

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
 * naming the line. Text without any quote takes a fast path that splits lines and commas
 * directly (same result, several times faster on large traces).
 */
export function csvRecords(text: string, label: string, argument: string): CsvRecords {
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
 * {@link csvRecords} without keeping the records: calls `onHeader` with the header, then
 * `visit` with each data record and its line, in order. Large traces are read this way so
 * that no intermediate table is built.
 */
export function eachCsvRecord(
  text: string,
  label: string,
  argument: string,
  onHeader: (header: string[]) => void,
  visit: (fields: string[], line: number) => void,
): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.includes('"')) {
    plainRecords(body, label, argument, onHeader, visit);
    return;
  }
  const { header, records, lines } = quotedRecords(body, label, argument);
  onHeader(header as string[]);
  for (let i = 0; i < records.length; i++) visit(records[i] as string[], lines[i]);
}

function plainRecords(
  body: string,
  label: string,
  argument: string,
  onHeader: (header: string[]) => void,
  visit: (fields: string[], line: number) => void,
): void {
  let header: string[] | null = null;
  let line = 0;
  let pos = 0;
  while (pos <= body.length) {
    let next = body.indexOf('\n', pos);
    if (next < 0) next = body.length;
    line++;
    let end = next;
    if (end > pos && body.charCodeAt(end - 1) === 13) end--;
    if (end > pos) {
      const fields = body.slice(pos, end).split(',');
      if (header === null) {
        header = fields.map((f) => f.trim());
        onHeader(header);
      } else {
        if (fields.length !== header.length) throw fieldCountError(label, argument, line, fields.length, header.length);
        visit(fields, line);
      }
    }
    pos = next + 1;
  }
  if (header === null) throw new InputError(argument, `${label} is empty: it needs a header row.`);
}

function quotedRecords(body: string, label: string, argument: string): CsvRecords {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(body, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as { lines?: number; code?: string };
    const where = e.lines !== undefined ? ` line ${e.lines}` : '';
    const what = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : 'it is not valid CSV';
    throw new InputError(argument, `${label}${where}: ${what}.`);
  }
  if (parsed.length === 0) throw new InputError(argument, `${label} is empty: it needs a header row.`);
  const header = parsed[0].record.map((f) => f.trim());
  const records: string[][] = [];
  const lines: number[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const { record, info } = parsed[i];
    if (record.length !== header.length) throw fieldCountError(label, argument, info.lines, record.length, header.length);
    records.push(record);
    lines.push(info.lines);
  }
  return { header, records, lines };
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
