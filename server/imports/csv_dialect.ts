import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** How a delimited text file is written: its field separator and its decimal mark. */
export interface CsvDialect {
  readonly delimiter: ',' | ';' | '\t';
  readonly decimalMark: '.' | ',';
}

const DELIMITERS = [',', ';', '\t'] as const;
/** Lines looked at to decide the dialect. */
const SAMPLE_LINES = 50;
/** Characters looked at (a large file is not split whole to decide). */
const SAMPLE_CHARS = 64 * 1024;
/** A number written with a decimal comma: `3,5`, `-0,25` (no thousands separators). */
const DECIMAL_COMMA = /^[-+]?\d+,\d+$/;

/**
 * The dialect of a delimited text: spreadsheets in German, French or Dutch settings save "CSV"
 * with semicolons and decimal commas (`3,5`), and a paste from a spreadsheet is tab-separated.
 * The delimiter is the one of comma, semicolon and tab that splits the header and the first
 * lines (outside double quotes) into the same number of fields, more than one, most often; ties
 * go to the comma, then the semicolon. The decimal mark is a comma when the delimiter is not a
 * comma and some field is a number written with a decimal comma; otherwise a point.
 */
export function detectCsvDialect(text: string): CsvDialect {
  const lines = sampleLines(text);
  let best: { delimiter: CsvDialect['delimiter']; score: number } = { delimiter: ',', score: -1 };
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((l) => fieldCount(l, delimiter));
    if (counts.length === 0 || counts[0] < 2) continue;
    // Lines that agree with the header's field count; a quoted line break can split a record, so agreement need not be total.
    const score = counts.filter((c) => c === counts[0]).length / counts.length + counts[0] / 1000;
    if (score > best.score) best = { delimiter, score };
  }
  const delimiter = best.delimiter;
  if (delimiter === ',') return { delimiter, decimalMark: '.' };
  const decimalComma = lines.slice(1).some((l) => splitLine(l, delimiter).some((f) => DECIMAL_COMMA.test(f.trim())));
  return { delimiter, decimalMark: decimalComma ? ',' : '.' };
}

/**
 * The text as comma-separated RFC 4180 CSV with decimal points, whatever its dialect, each
 * record on the line it stood on (so an error found afterwards names the caller's line), a
 * byte-order mark dropped. A comma-separated text is returned as it is. With a decimal comma,
 * every field that is a number written with one (`3,5`) gets a point (`3.5`); other fields are
 * left alone. Undefined when the text cannot be read in its dialect (an unclosed quote): the
 * importer's own reader then names the problem.
 */
export function normalizeCsv(text: string, dialect: CsvDialect = detectCsvDialect(text)): string | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (dialect.delimiter === ',') return body;
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(body, { delimiter: dialect.delimiter, info: true, relax_column_count: true, relax_quotes: false }) as unknown as typeof parsed;
  } catch {
    return undefined;
  }
  const out: string[] = [];
  for (const { record, info } of parsed) {
    const fields = dialect.decimalMark === ',' ? record.map((f) => (DECIMAL_COMMA.test(f.trim()) ? f.trim().replace(',', '.') : f)) : record;
    const line = stringify([fields]).replace(/\r?\n$/, '');
    const start = info.lines - (line.split('\n').length - 1);
    while (out.length < start - 1) out.push('');
    out.push(line);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** The first lines of a text that are not empty, quoted line breaks left in place (a heuristic sample). */
function sampleLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1, SAMPLE_CHARS) : text.slice(0, SAMPLE_CHARS);
  return body
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, SAMPLE_LINES);
}

/** Fields of one line split at `delimiter` outside double quotes (quotes kept off). */
function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (c === delimiter && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

function fieldCount(line: string, delimiter: string): number {
  return splitLine(line, delimiter).length;
}
