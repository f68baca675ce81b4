import type { CoordinationEvent } from './event.js';
import { headerPositions, type CsvByteSource } from '../data/csv_records.js';
import { readCsvRows, type CsvRowFormat } from './csv_row_reader.js';
import { validateEvent } from './validate_event.js';

/**
 * Parses the native event format (shared/CONTRACT.md `breakpoints`): CSV with the header
 * `unit,timestamp,type,key,ref` (any column order; `ref` may be left out; other columns are
 * ignored), one event per row, ISO 8601 timestamps (UTC when no offset is given).
 *
 * Every row is validated (see {@link validateEvent}); the first bad row throws an InputError
 * naming its file line (`events line 7: unknown type "foo"; …`), and nothing is returned, so
 * a caller that stores the result stores all of a file or none of it. Events keep file order.
 * `text` is the file's text or a {@link CsvByteSource} that streams it.
 */
export function parseEventsCsv(text: string | CsvByteSource, label = 'events', argument = 'events'): CoordinationEvent[] {
  const events: CoordinationEvent[] = [];
  readCsvRows(text, label, argument, nativeEventRows(label, argument), (e) => events.push(e));
  return events;
}

/** The native format one row at a time (see {@link parseEventsCsv}): each row is one event. */
export function nativeEventRows(label = 'events', argument = 'events'): CsvRowFormat<CoordinationEvent> {
  return (header) => {
    const at = headerPositions(header, NATIVE_COLUMNS, label, argument);
    return (r, where) => validateEvent({ unit: r[at.unit], timestamp: r[at.timestamp], type: r[at.type], key: r[at.key], ref: at.ref < 0 ? null : r[at.ref] }, where, argument);
  };
}

const NATIVE_COLUMNS = {
  unit: { aliases: ['unit'], required: true },
  timestamp: { aliases: ['timestamp'], required: true },
  type: { aliases: ['type'], required: true },
  key: { aliases: ['key'], required: true },
  ref: { aliases: ['ref'], required: false },
} as const;
