import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** A CSV text's header and data records, each with the file line it ends on (as the analysis parsers count lines). */
export interface CsvLines {
  readonly header: readonly string[];
  readonly records: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

/**
 * Reads CSV text the way analysis/traces counts lines (empty lines skipped but counted, a
 * record's line is the one it ends on), or returns undefined when it is not valid CSV (the
 * analysis parser then reports the error in its own words).
 */
export function csvLines(text: string): CsvLines | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(body, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof parsed;
  } catch {
    return undefined;
  }
  if (parsed.length === 0) return undefined;
  return {
    header: parsed[0].record.map((h) => h.trim()),
    records: parsed.slice(1).map((p) => p.record),
    lines: parsed.slice(1).map((p) => p.info.lines),
  };
}

/** A header name without regard to case, spaces, dashes or underscores (as analysis/traces matches columns). */
export function normalColumn(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The position of the first of `aliases` in the header, or -1. */
export function columnOf(header: readonly string[], aliases: readonly string[]): number {
  const normal = header.map(normalColumn);
  for (const alias of aliases) {
    const at = normal.indexOf(normalColumn(alias));
    if (at >= 0) return at;
  }
  return -1;
}

/**
 * The same CSV with a column `name` = `value` appended to every record, each record still
 * ending on its original line (so errors found afterwards name the caller's lines).
 */
export function withColumn(csv: CsvLines, name: string, value: string): string {
  const out: string[] = [stringify([[...csv.header, name]]).replace(/\r?\n$/, '')];
  csv.records.forEach((record, i) => {
    const text = stringify([[...record, value]]).replace(/\r?\n$/, '');
    const start = csv.lines[i] - (text.split('\n').length - 1);
    while (out.length < start - 1) out.push('');
    out.push(text);
  });
  return out.join('\n') + '\n';
}
