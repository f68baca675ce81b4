import {
  InputError,
  decisionLogRows,
  eventFromJson,
  jiraChangelogRows,
  jiraIssueEvents,
  nativeEventRows,
  parseEventsJson,
  parseJiraIssuesJson,
  performanceRows,
  type CoordinationEvent,
  type CsvRowFormat,
  type PerformanceRecord,
} from '../../analysis/index.js';
import { HttpError } from '../errors.js';
import { CsvImportStream } from '../imports/csv_import_stream.js';
import { readUpload, type UnreadUpload } from '../imports/csv_upload.js';
import { JsonArrayStream, type JsonArrayShape } from '../imports/json_array_stream.js';
import { LISTED_LINES, badLines } from '../imports/line_errors.js';
import { PerformanceTable } from './performance_table.js';
import { TraceEventTable } from './trace_event_table.js';

/** The trace formats of `POST /api/v1/units/:key/traces?format=`. */
export const TRACE_FORMATS = ['native', 'json', 'jira', 'decision-log'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** A reader of an import's body as it arrives: `write` each piece, then `finish` for what it read (or the 400 naming every bad line). */
interface StreamedImport<T> {
  write(chunk: Uint8Array): void;
  finish(): T;
}

/**
 * Reads a trace import for one unit from its request body as the bytes arrive (see
 * {@link UnreadUpload}): each row or element is checked as soon as it is complete (the analysis'
 * row readers: nativeEventRows, jiraChangelogRows, decisionLogRows; eventFromJson and
 * jiraIssueEvents for JSON) and the accepted events go straight into typed columns
 * ({@link TraceEventTable}); neither the body, nor its text, nor a table of its fields, nor a
 * parsed tree of it is ever held whole. Bad rows are a 400 naming every bad line (CSV) or event
 * (JSON), up to LISTED_LINES of them and the rest counted, and nothing is returned. A CSV may be
 * comma-, semicolon- or tab-separated, with decimal points or commas (see detectCsvDialect).
 *
 * | format | body | reader |
 * |---|---|---|
 * | `native` | CSV `unit,timestamp,type,key,ref`, or the JSON form sent as application/json | nativeEventRows / eventFromJson |
 * | `json` | JSON: an array of events or `{"events": [...]}` | eventFromJson |
 * | `jira` | Jira changelog CSV, or Jira's REST search answer with the changelog expanded (read issue by issue) | jiraChangelogRows / jiraIssueEvents |
 * | `decision-log` | CSV, one row per decision | decisionLogRows |
 *
 * Decision on the unit: events are stored under the unit of the path. Native files and
 * decision logs name a unit on every row, and every row must name this unit: a row naming
 * another one is refused with its line (listed when no row is bad otherwise), since a file of
 * several units posted to one is far more likely a mistake than an intent. A Jira export names
 * Jira projects, not seici units, so its events are taken to belong to the unit of the path.
 */
export async function readTraceUpload(upload: UnreadUpload, format: TraceFormat, unitKey: string): Promise<TraceEventTable> {
  let reader: StreamedImport<TraceEventTable>;
  if (upload.type === 'csv') {
    if (format === 'json') throw new HttpError(415, 'format=json needs the events as JSON with Content-Type: application/json.');
    reader = csvTraceReader(format, unitKey);
  } else {
    if (format === 'decision-log') throw new HttpError(415, 'format=decision-log needs the decision log as CSV with Content-Type: text/csv.');
    reader = format === 'jira' ? jiraJsonReader() : eventsJsonReader(unitKey);
  }
  await readUpload(upload, upload.type === 'csv' ? 'the CSV' : 'the JSON', (chunk) => reader.write(chunk));
  return reader.finish();
}

/**
 * Reads a trace import whose body is in memory already: a CSV's text (a console form's field),
 * read by the same row readers as an upload, or JSON already parsed (the console, the demo).
 */
export function readTraceImport(format: TraceFormat, body: unknown, unitKey: string): TraceEventTable {
  if (typeof body === 'string') {
    if (format === 'json') throw new HttpError(415, 'format=json needs the events as JSON with Content-Type: application/json.');
    const reader = csvTraceReader(format, unitKey);
    reader.write(Buffer.from(body, 'utf8'));
    return reader.finish();
  }
  if (body === undefined) {
    throw new HttpError(415, `Send the ${format} trace as CSV (Content-Type: text/csv) or JSON (Content-Type: application/json).`);
  }
  try {
    switch (format) {
      case 'native':
      case 'json':
        return TraceEventTable.of(sameUnitJson(parseEventsJson(body, 'events'), unitKey));
      case 'jira':
        return TraceEventTable.of(parseJiraIssuesJson(body, {}, 'jira'));
      case 'decision-log':
        throw new HttpError(415, 'format=decision-log needs the decision log as CSV with Content-Type: text/csv.');
    }
  } catch (err) {
    if (err instanceof InputError) throw new HttpError(400, err.message);
    throw err;
  }
}

/** The label each CSV format names its lines with (`events line 7`). */
const CSV_LABEL = { native: 'events', jira: 'jira', 'decision-log': 'decisions' } as const;

/** A CSV trace read row by row: the format's row reader, then (native, decision log) the unit of the path. */
function csvTraceReader(format: Exclude<TraceFormat, 'json'>, unitKey: string): StreamedImport<TraceEventTable> {
  const label = CSV_LABEL[format];
  const rowFormat: CsvRowFormat<CoordinationEvent | CoordinationEvent[]> =
    format === 'native' ? nativeEventRows(label) : format === 'jira' ? jiraChangelogRows({}, label) : decisionLogRows(label);
  const checkUnit = format !== 'jira';
  const table = new TraceEventTable();
  const otherUnit: string[] = [];
  let otherUnits = 0;
  let read: (fields: readonly string[], where: string) => CoordinationEvent | CoordinationEvent[];
  const stream = new CsvImportStream(label, 'events', {
    header: (header) => {
      read = rowFormat(header);
    },
    row: (fields, line) => {
      const where = `${label} line ${line}`;
      const result = read(fields, where);
      const events = Array.isArray(result) ? result : [result];
      if (checkUnit && events.length > 0 && events[0].unit !== unitKey) {
        if (otherUnit.length < LISTED_LINES) otherUnit.push(unitMismatch(where, events[0].unit, unitKey).message);
        otherUnits++;
        return;
      }
      // once a row is refused, nothing will be stored: stop keeping events
      if (stream.refused === 0 && otherUnits === 0) for (const e of events) table.push(e);
    },
  });
  return {
    write: (chunk) => stream.write(chunk),
    finish: () => {
      stream.end();
      if (otherUnits > 0) throw badLines(otherUnit, otherUnits);
      return table;
    },
  };
}

/**
 * Collects the refusals of a JSON import read element by element: the first LISTED_LINES
 * sentences and how many there are.
 */
class Refusals {
  readonly listed: string[] = [];
  count = 0;

  add(message: string): void {
    if (this.listed.length < LISTED_LINES) this.listed.push(message);
    this.count++;
  }

  /** Throws the 400 naming every refusal, if any. */
  check(): void {
    if (this.count > 0) throw badLines(this.listed, this.count);
  }
}

/** A JSON import read element by element: the bytes go to the reader; at the end, every refusal or the table. */
function jsonImport(reader: JsonArrayStream, refusals: Refusals, table: TraceEventTable): StreamedImport<TraceEventTable> {
  return {
    write: (chunk) => reader.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)),
    finish: () => {
      reader.end();
      refusals.check();
      return table;
    },
  };
}

/** The native JSON form read event by event (JsonArrayStream): each checked by eventFromJson and for the unit of the path. */
function eventsJsonReader(unitKey: string): StreamedImport<TraceEventTable> {
  const table = new TraceEventTable();
  const refusals = new Refusals();
  const reader = new JsonArrayStream('events', 'events', (value, where) => {
    try {
      const event = eventFromJson(value, where, 'events');
      if (event.unit !== unitKey) refusals.add(unitMismatch(where, event.unit, unitKey).message);
      else if (refusals.count === 0) table.push(event);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      refusals.add(err.message);
    }
  });
  return jsonImport(reader, refusals, table);
}

/** Jira's REST search answer: an object whose `issues` member is the array (other members skipped). */
const JIRA_SHAPE: JsonArrayShape = {
  rootArray: false,
  wrongShape: 'jira must be a JSON object with an "issues" array.',
  notArray: 'jira must be a JSON object with an "issues" array.',
  empty: 'The JSON body is empty; send Jira\'s search answer, an object with an "issues" array.',
  extra: 'The JSON body holds more than one value; send one object with an "issues" array.',
};

/**
 * Jira's REST search answer read issue by issue (JsonArrayStream over its `issues` member): each
 * issue, with its changelog, is parsed and mapped (jiraIssueEvents) as soon as it is complete, so
 * only one issue is ever held as a parsed tree; every bad issue is named (`jira issues[3]…`).
 */
function jiraJsonReader(): StreamedImport<TraceEventTable> {
  const table = new TraceEventTable();
  const refusals = new Refusals();
  const map = jiraIssueEvents({}, 'events');
  const reader = new JsonArrayStream(
    'issues',
    'jira issues',
    (value, where) => {
      try {
        const events = map(value, where);
        if (refusals.count === 0) for (const e of events) table.push(e);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        refusals.add(err.message);
      }
    },
    JIRA_SHAPE,
  );
  return jsonImport(reader, refusals, table);
}

function sameUnitJson(events: CoordinationEvent[], unitKey: string): CoordinationEvent[] {
  const i = events.findIndex((e) => e.unit !== unitKey);
  if (i >= 0) throw unitMismatch(`events[${i}]`, events[i].unit, unitKey);
  return events;
}

function unitMismatch(where: string, unit: string, unitKey: string): HttpError {
  return new HttpError(400, `${where}: unit "${unit}" is not the unit of this import, "${unitKey}"; post each unit's events to its own /units/<key>/traces.`);
}

/** Longest period and measure names stored. */
const NAME_LIMIT = 100;

/**
 * Reads a PQ import for one unit as its bytes arrive (or from a CSV's text in memory): CSV with
 * the columns `period` (or `wave`), `measure` and `value`, and optionally `unit` (which must then
 * be this unit on every row, as for native traces); comma-, semicolon- or tab-separated, values
 * with a decimal point or comma. Each row is checked as it arrives by the analysis' row reader
 * (performanceRows: an empty field, a value that is not a number, a period and measure given
 * twice), for the unit of the path and for the length of its names; every bad line is named in
 * one 400 and nothing is returned. The records are kept in typed columns ({@link PerformanceTable}).
 */
export async function readPerformanceUpload(body: string | UnreadUpload, unitKey: string): Promise<PerformanceTable> {
  const reader = performanceReader(unitKey);
  if (typeof body === 'string') reader.write(Buffer.from(body, 'utf8'));
  else await readUpload(body, 'the CSV', (chunk) => reader.write(chunk));
  return reader.finish();
}

function performanceReader(unitKey: string): StreamedImport<PerformanceTable> {
  const table = new PerformanceTable();
  const rows = performanceRows('pq', 'pq', { unit: unitKey });
  let read: (fields: readonly string[], where: string) => PerformanceRecord;
  const stream = new CsvImportStream('pq', 'pq', {
    header: (header) => {
      read = rows(header);
    },
    row: (fields, line) => {
      const where = `pq line ${line}`;
      const record = read(fields, where);
      if (record.unit !== unitKey) throw unitMismatch(where, record.unit, unitKey);
      for (const [name, value] of [['period', record.period], ['measure', record.measure]] as const) {
        if (value.length > NAME_LIMIT) throw new HttpError(400, `${where}: ${name} is longer than ${NAME_LIMIT} characters.`);
      }
      if (stream.refused === 0) table.push(record, line);
    },
  });
  return {
    write: (chunk) => stream.write(chunk),
    finish: () => {
      stream.end();
      return table;
    },
  };
}
