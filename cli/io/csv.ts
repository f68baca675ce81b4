import { readFileSync, statSync } from 'node:fs';
import { InputError, csvRecords } from '../../analysis/index.js';

/** A CSV file as read: its header and its data rows as raw strings. */
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

/**
 * Reads a header-first, comma-separated file (RFC 4180 quoting). Every failure is an
 * InputError naming `argument` and, where it applies, the line at fault.
 */
export function readTable(path: string, argument = '--csv'): Table {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new InputError(argument, `${argument} ${path} is a folder, not a CSV file.`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'it cannot be read';
    throw new InputError(argument, `${argument} ${path}: ${why}.`);
  }
  return parseTable(text, `${argument} ${path}`);
}

/**
 * Parses CSV text; `label` names the source in error messages. Records come from the analysis
 * library's CSV reader (csv-parse for quoted text, a direct split for text without quotes,
 * which is several times faster on large files), so every file reader counts lines alike.
 */
export function parseTable(text: string, label: string): Table {
  const { header, records } = csvRecords(text, label, 'csv');
  const columns = header.map((c) => c.trim());
  const seen = new Set<string>();
  for (const [i, c] of columns.entries()) {
    if (c === '') throw new InputError('csv', `${label}: header column ${i + 1} has no name.`);
    if (seen.has(c)) throw new InputError('csv', `${label}: the header names column "${c}" twice.`);
    seen.add(c);
  }
  if (columns.length > 1 && columns.every((c) => /^-?\d+(\.\d+)?$/.test(c))) {
    throw new InputError('csv', `${label}: the first row holds only numbers; a header row with column names is required.`);
  }
  return { source: label, columns, rows: records };
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
