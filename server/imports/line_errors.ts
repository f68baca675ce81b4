import { stringify } from 'csv-stringify/sync';
import { InputError } from '../../analysis/index.js';
import { HttpError } from '../errors.js';

/** Bad lines an import error lists; the rest are counted ("and 12 more"). */
export const LISTED_LINES = 20;

/**
 * One 400 for an import with bad lines: how many lines are wrong and that nothing was stored,
 * then the first LISTED_LINES problems (each naming its line) and how many more there are, so a
 * person can fix a file in one go rather than one line per attempt. `total` counts the bad lines
 * when only the first ones were kept (a streamed import).
 */
export function badLines(problems: readonly string[], total = problems.length): HttpError {
  if (total === 1) return new HttpError(400, problems[0]);
  const listed = problems.slice(0, LISTED_LINES).map((p) => p.replace(/\.$/, ''));
  const more = total - listed.length;
  return new HttpError(400, `${total} lines cannot be imported, so nothing was stored: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`);
}

/** A CSV's header and records with the line each record ends on (csv_lines' CsvLines). */
interface Records {
  readonly header: readonly string[];
  readonly records: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

/**
 * Every bad line of a CSV the importer's parser refused. First each record's own problem, found
 * by running the parser on the header and that record alone (its message's line number put back
 * to the record's line in the file); then problems between records (a value given twice), found
 * by running the parser on the records without a problem of their own, each on its own line,
 * dropping the record named and running again (at most LISTED_LINES times). Used once the whole
 * file has failed, so that a person sees every bad line, not only the first. Sorted by line.
 */
export function recordProblems(csv: Records, parse: (text: string) => unknown): string[] {
  const header = stringify([[...csv.header]]);
  const problems: { line: number; message: string }[] = [];
  const good: number[] = [];
  csv.records.forEach((record, i) => {
    const message = problemOf(() => parse(header + stringify([[...record]])));
    if (message === undefined) good.push(i);
    else problems.push({ line: csv.lines[i], message: message.replace(/\bline 2\b/, `line ${csv.lines[i]}`) });
  });
  for (let round = 0; round < LISTED_LINES && good.length > 0; round++) {
    const message = problemOf(() => parse(placed(csv, header, good)));
    if (message === undefined) break;
    const line = Number(/\bline (\d+)/.exec(message)?.[1]);
    problems.push({ line: Number.isFinite(line) ? line : Infinity, message });
    const at = good.findIndex((i) => csv.lines[i] === line);
    if (at < 0) break;
    good.splice(at, 1);
  }
  return problems.sort((a, b) => a.line - b.line).map((p) => p.message);
}

/** The parser's input error for a text, or undefined when it reads it. */
function problemOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof InputError || err instanceof HttpError) return err.message;
    throw err;
  }
}

/** The header and the chosen records, each on the line it stood on in the file (empty lines between). */
function placed(csv: Records, header: string, chosen: readonly number[]): string {
  const out: string[] = [header.replace(/\r?\n$/, '')];
  for (const i of chosen) {
    const text = stringify([[...csv.records[i]]]).replace(/\r?\n$/, '');
    const start = csv.lines[i] - (text.split('\n').length - 1);
    while (out.length < start - 1) out.push('');
    out.push(text);
  }
  return out.join('\n') + '\n';
}
