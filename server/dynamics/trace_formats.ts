import type { IncomingMessage } from 'node:http';
import {
  InputError,
  eventFromJson,
  parseDecisionLog,
  parseEventsCsv,
  parseEventsJson,
  parseJiraChangelog,
  parseJiraIssuesJson,
  parsePerformanceCsv,
  type CoordinationEvent,
  type PerformanceRecord,
} from '../../analysis/index.js';
import { HttpError } from '../errors.js';
import type { CsvByteSource } from '../../analysis/data/csv_records.js';
import { CsvTokenizer } from '../../analysis/data/csv_tokenizer.js';
import { csvUploadFromText, isCsvUpload, streamRequestBody, type CsvUpload, type UploadLimit } from '../imports/csv_upload.js';
import { JsonArrayStream } from '../imports/json_array_stream.js';
import { LISTED_LINES, badLines, recordProblems } from '../imports/line_errors.js';
import { columnOf, csvLines, withColumn } from './csv_lines.js';

/** The trace formats of `POST /api/v1/units/:key/traces?format=`. */
export const TRACE_FORMATS = ['native', 'json', 'jira', 'decision-log'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/**
 * Reads a trace import for one unit, validating every row with the analysis parsers; bad rows
 * are a 400 naming each bad line (CSV, up to LISTED_LINES of them) or the first bad position
 * (JSON), and nothing is returned. A CSV may be comma-, semicolon- or tab-separated, with
 * decimal points or commas (see detectCsvDialect).
 *
 * | format | body | parser |
 * |---|---|---|
 * | `native` | CSV `unit,timestamp,type,key,ref` (or the JSON form, sent as application/json) | parseEventsCsv / parseEventsJson |
 * | `json` | JSON: an array of events or `{"events": [...]}` | parseEventsJson |
 * | `jira` | Jira changelog CSV, or Jira's REST search answer with the changelog expanded | parseJiraChangelog / parseJiraIssuesJson |
 * | `decision-log` | CSV, one row per decision | parseDecisionLog |
 *
 * Decision on the unit: events are stored under the unit of the path. Native files and
 * decision logs name a unit on every row, and every row must name this unit: a row naming
 * another one is refused with its line, since a file of several units posted to one is far
 * more likely a mistake than an intent. A Jira export names Jira projects, not seici units,
 * so its events are taken to belong to the unit of the path.
 */
export function readTraceImport(format: TraceFormat, body: unknown, unitKey: string): CoordinationEvent[] {
  const upload = typeof body === 'string' ? csvUploadFromText(body) : isCsvUpload(body) ? body : undefined;
  const csvParser: Partial<Record<TraceFormat, (t: string | CsvByteSource) => CoordinationEvent[]>> = {
    native: (t) => parseEventsCsv(t, 'events'),
    jira: (t) => parseJiraChangelog(t, {}, 'jira'),
    'decision-log': (t) => parseDecisionLog(t, 'decisions'),
  };
  try {
    switch (format) {
      case 'native':
        if (upload !== undefined) return sameUnitCsv(parseEventsCsv(upload.source, 'events'), upload, ['unit'], unitKey, 'events');
        return sameUnitJson(parseEventsJson(requireJson(body, format), 'events'), unitKey);
      case 'json':
        if (upload !== undefined) throw new HttpError(415, 'format=json needs the events as JSON with Content-Type: application/json.');
        return sameUnitJson(parseEventsJson(requireJson(body, format), 'events'), unitKey);
      case 'jira': {
        const events = upload !== undefined ? parseJiraChangelog(upload.source, {}, 'jira') : parseJiraIssuesJson(requireJson(body, format), {}, 'jira');
        return events.map((e) => (e.unit === unitKey ? e : { ...e, unit: unitKey }));
      }
      case 'decision-log':
        if (upload === undefined) throw new HttpError(415, 'format=decision-log needs the decision log as CSV with Content-Type: text/csv.');
        return sameUnitCsv(parseDecisionLog(upload.source, 'decisions'), upload, ['unit', 'team'], unitKey, 'decisions');
    }
  } catch (err) {
    if (err instanceof InputError) throw everyBadLine(err, upload?.text(), csvParser[format]);
    throw err;
  }
}

/**
 * The 400 for a CSV import the analysis parser refused: every bad line (recordProblems), or
 * the parser's own message when no line shows it; for JSON, the parser's own message. The
 * upload's text is made here, on the error path only.
 */
function everyBadLine(err: InputError, text: string | undefined, parse: ((t: string) => unknown) | undefined): HttpError {
  const csv = text === undefined ? undefined : csvLines(text);
  if (csv === undefined || parse === undefined) return new HttpError(400, err.message);
  const problems = recordProblems(csv, parse);
  return badLines(problems.length > 0 ? problems : [err.message]);
}

function requireJson(body: unknown, format: string): unknown {
  if (body === undefined) {
    throw new HttpError(415, `Send the ${format} trace as CSV (Content-Type: text/csv) or JSON (Content-Type: application/json).`);
  }
  return body;
}

/** Refuses the CSV rows whose unit is not `unitKey`, naming each line (the upload's text is made only then). */
function sameUnitCsv(events: CoordinationEvent[], upload: CsvUpload, aliases: readonly string[], unitKey: string, label: string): CoordinationEvent[] {
  if (events.every((e) => e.unit === unitKey)) return events;
  const csv = csvLines(upload.text());
  const at = csv === undefined ? -1 : columnOf(csv.header, aliases);
  if (csv !== undefined && at >= 0) {
    const problems: string[] = [];
    for (let i = 0; i < csv.records.length; i++) {
      const unit = csv.records[i][at].trim();
      if (unit !== unitKey) problems.push(unitMismatch(`${label} line ${csv.lines[i]}`, unit, unitKey).message);
    }
    if (problems.length > 0) throw badLines(problems);
  }
  const first = events.find((e) => e.unit !== unitKey)!;
  throw unitMismatch(label, first.unit, unitKey);
}

function sameUnitJson(events: CoordinationEvent[], unitKey: string): CoordinationEvent[] {
  const i = events.findIndex((e) => e.unit !== unitKey);
  if (i >= 0) throw unitMismatch(`events[${i}]`, events[i].unit, unitKey);
  return events;
}

function unitMismatch(where: string, unit: string, unitKey: string): HttpError {
  return new HttpError(400, `${where}: unit "${unit}" is not the unit of this import, "${unitKey}"; post each unit's events to its own /units/<key>/traces.`);
}

/** A JSON trace upload not yet read: the request body, read once the unit is known (readJsonTraceUpload). */
export interface JsonTraceUpload {
  readonly req: IncomingMessage;
  readonly limit: UploadLimit;
}

export function isJsonTraceUpload(body: unknown): body is JsonTraceUpload {
  return typeof body === 'object' && body !== null && 'req' in body && 'limit' in body;
}

/**
 * Reads a trace import sent as JSON (Content-Type: application/json) from the request as it
 * arrives. The native formats (`native`, `json`: an array of events or `{"events": [...]}`) are
 * read element by element (JsonArrayStream): each event is checked as it completes (the analysis'
 * eventFromJson, and the unit of the path), so neither the body nor its parsed tree is ever held
 * whole, only the events read so far; every bad event is named (up to LISTED_LINES, the rest
 * counted) and none is returned. A Jira search answer (`jira`) is one nested object, parsed
 * whole (its issues hold their changelogs). A decision log must be CSV (415).
 */
export async function readJsonTraceUpload(upload: JsonTraceUpload, format: TraceFormat, unitKey: string): Promise<CoordinationEvent[]> {
  if (format === 'decision-log') throw new HttpError(415, 'format=decision-log needs the decision log as CSV with Content-Type: text/csv.');
  if (format === 'jira') {
    const chunks: Buffer[] = [];
    await streamRequestBody(upload.req, upload.limit, 'the JSON', (chunk) => chunks.push(chunk));
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      throw new HttpError(400, 'The request body is not valid JSON.');
    }
    return readTraceImport(format, value, unitKey);
  }
  let events: CoordinationEvent[] = [];
  const problems: string[] = [];
  let bad = 0;
  const reader = new JsonArrayStream('events', 'events', (value, where) => {
    let problem: string | undefined;
    try {
      const event = eventFromJson(value, where, 'events');
      if (event.unit !== unitKey) problem = unitMismatch(where, event.unit, unitKey).message;
      else if (bad === 0) events.push(event);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problem = err.message;
    }
    if (problem !== undefined) {
      if (bad++ === 0) events = [];
      if (problems.length < LISTED_LINES) problems.push(problem);
    }
  });
  await streamRequestBody(upload.req, upload.limit, 'the JSON', (chunk) => reader.write(chunk));
  reader.end();
  if (bad > 0) throw badLines(problems, bad);
  return events;
}

/** Longest period and measure names stored. */
const NAME_LIMIT = 100;

/**
 * Reads a PQ import for one unit: CSV with the columns `period` (or `wave`), `measure` and
 * `value`, and optionally `unit` (which must then be this unit on every row, as for native
 * traces); comma-, semicolon- or tab-separated, values with a decimal point or comma. Rows are
 * validated by the analysis parser (an empty field, a value that is not a number, or a period
 * and measure given twice is a 400 naming each bad line); nothing is returned when a row is bad.
 * The upload is read through the tokenizer as bytes; its text is made only to list bad lines.
 */
export function readPerformanceImport(body: string | CsvUpload, unitKey: string): { records: PerformanceRecord[]; lines: readonly number[] } {
  const upload = typeof body === 'string' ? csvUploadFromText(body) : body;
  try {
    const records = parsePerformanceCsv(upload.source, 'pq', 'pq', { unit: unitKey });
    const lines = recordLines(upload);
    for (let i = 0; i < records.length; i++) {
      const where = `pq line ${lines[i]}`;
      if (records[i].unit !== unitKey) throw unitMismatch(where, records[i].unit, unitKey);
      for (const [name, value] of [['period', records[i].period], ['measure', records[i].measure]] as const) {
        if (value.length > NAME_LIMIT) throw new HttpError(400, `${where}: ${name} is longer than ${NAME_LIMIT} characters.`);
      }
    }
    return { records, lines };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const text = upload.text();
    const csv = csvLines(text);
    if (csv === undefined) throw new HttpError(400, err.message);
    const withUnit = columnOf(csv.header, ['unit']) >= 0 ? text : withColumn(csv, 'unit', unitKey);
    throw everyBadLine(err, withUnit, (t) => parsePerformanceCsv(t, 'pq'));
  }
}

/** The line each data record of an upload starts on, without making a string of any field. */
function recordLines(upload: CsvUpload): number[] {
  const lines: number[] = [];
  let header = true;
  upload.source(
    new CsvTokenizer('pq', 'pq', (_b, _s, _e, _x, _count, line) => {
      if (header) header = false;
      else lines.push(line);
    }),
  );
  return lines;
}
