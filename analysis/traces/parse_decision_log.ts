import { InputError } from '../errors.js';
import type { CoordinationEvent } from './event.js';
import { headerPositions, type CsvByteSource } from '../data/csv_records.js';
import { readCsvRows, type CsvRowFormat } from './csv_row_reader.js';
import { parseTimestamp } from './timestamp.js';
import { validateEvent } from './validate_event.js';

/**
 * Maps a decision log (one row per decision) to coordination events. Columns (header names
 * matched without regard to case, spaces or underscores):
 *
 * | column | aliases | required | meaning |
 * |---|---|---|---|
 * | `unit` | `team` | yes | the unit that owns the decision |
 * | `decision` | `decision id`, `id`, `key` | yes | the decision's key |
 * | `opened_at` | `opened`, `raised`, `created` | yes | ISO time it was opened |
 * | `made_at` | `made`, `decided`, `decided_at` | no | ISO time it was made; empty while open |
 * | `priority` | | no | `yes`/`true`/`1`/`priority`/`high` marks a priority decision |
 * | `approvals` | | no | a count, or `;`-separated ISO times of the approvals |
 * | `escalations` | | no | a count, or `;`-separated ISO times of the escalations |
 *
 * Events: `decision_opened` at opened_at (ref `priority` for a priority decision);
 * `decision_made` at made_at; one `approval` per approval and one `escalation` per
 * escalation, at their own times when given as times, else approvals at made_at (or
 * opened_at while open) and escalations at opened_at. A made_at before opened_at, a
 * count that is not a whole number, or a time outside the decision's life is an InputError
 * naming the line; nothing is returned then.
 */
export function parseDecisionLog(text: string | CsvByteSource, label = 'decisions', argument = 'events'): CoordinationEvent[] {
  const events: CoordinationEvent[] = [];
  readCsvRows(text, label, argument, decisionLogRows(label, argument), (row) => {
    for (const e of row) events.push(e);
  });
  return events;
}

/** The decision log one row at a time (see {@link parseDecisionLog}): each row is one decision's events. */
export function decisionLogRows(label = 'decisions', argument = 'events'): CsvRowFormat<CoordinationEvent[]> {
  return (header) => {
    const at = headerPositions(header, DECISION_COLUMNS, label, argument);
    return (r, where) => {
      const events: CoordinationEvent[] = [];
      const get = (j: number) => (j >= 0 ? r[j].trim() : '');
      const unit = get(at.unit);
      const key = get(at.decision);
      const priority = PRIORITY_WORDS.has(get(at.priority).toLowerCase());
      const opened = validateEvent({ unit, timestamp: get(at.opened), type: 'decision_opened', key, ref: priority ? 'priority' : null }, where, argument);
      events.push(opened);
      const madeText = get(at.made);
      let made: CoordinationEvent | null = null;
      if (madeText !== '') {
        made = validateEvent({ unit, timestamp: madeText, type: 'decision_made', key, ref: null }, where, argument);
        if (made.time < opened.time) throw new InputError(argument, `${where}: made_at ${madeText} is before opened_at.`);
      }
      const approvals = times(get(at.approvals), 'approvals', where, argument, made?.time ?? opened.time);
      const escalations = times(get(at.escalations), 'escalations', where, argument, opened.time);
      for (const [list, type] of [[approvals, 'approval'], [escalations, 'escalation']] as const) {
        for (const time of list) {
          if (time < opened.time || (made !== null && time > made.time)) {
            throw new InputError(argument, `${where}: an ${type} time lies outside the decision's life (opened_at to made_at).`);
          }
          events.push({ unit, time, type, key, ref: null });
        }
      }
      if (made !== null) events.push(made);
      return events;
    };
  };
}

const PRIORITY_WORDS = new Set(['yes', 'true', '1', 'priority', 'high', 'y']);

const DECISION_COLUMNS = {
  unit: { aliases: ['unit', 'team'], required: true },
  decision: { aliases: ['decision', 'decision id', 'id', 'key'], required: true },
  opened: { aliases: ['opened_at', 'opened', 'raised', 'created'], required: true },
  made: { aliases: ['made_at', 'made', 'decided_at', 'decided'], required: false },
  priority: { aliases: ['priority'], required: false },
  approvals: { aliases: ['approvals'], required: false },
  escalations: { aliases: ['escalations'], required: false },
} as const;

/** A count column: empty (none), a whole number (that many at `fallback`), or `;`-separated times. */
function times(text: string, column: string, where: string, argument: string, fallback: number): number[] {
  if (text === '') return [];
  if (/^\d+$/.test(text)) return Array(Number(text)).fill(fallback);
  return text.split(';').map((part) => {
    const t = parseTimestamp(part.trim());
    if (!Number.isFinite(t)) {
      throw new InputError(argument, `${where}: ${column} "${text}" is neither a whole number nor ;-separated ISO times.`);
    }
    return t;
  });
}
