import { InputError } from '../errors.js';
import type { CoordinationEvent } from './event.js';
import { validateEvent } from './validate_event.js';

/**
 * Parses the native event format as JSON (already parsed by the caller): either an array of
 * events or an object `{"events": [...]}`, each event an object with the string fields
 * `unit`, `timestamp`, `type`, `key` and optionally `ref` (numbers are accepted for
 * `unit`, `key` and `ref`, as numeric identifiers and `rc_score` values; `timestamp` and
 * `type` must be strings). Validation is the CSV format's, row by row; the first bad event throws an
 * InputError naming it by position (`events[3]`, counting from 0) and nothing is returned.
 */
export function parseEventsJson(value: unknown, label = 'events', argument = 'events'): CoordinationEvent[] {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && Array.isArray((value as { events?: unknown }).events)
      ? ((value as { events: unknown[] }).events)
      : null;
  if (list === null) throw new InputError(argument, `${label} must be a JSON array of events or an object with an "events" array.`);
  const events: CoordinationEvent[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) events[i] = eventFromJson(list[i], `${label}[${i}]`, argument);
  return events;
}

/**
 * One event of the native JSON format (an element of the events array, already parsed), checked
 * as {@link parseEventsJson} checks each; `where` names it in the error (`events[3]`). A caller
 * that reads the array element by element as it streams in uses this directly.
 */
export function eventFromJson(item: unknown, where: string, argument = 'events'): CoordinationEvent {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new InputError(argument, `${where}: an event must be an object with unit, timestamp, type, key and ref.`);
  }
  const o = item as Record<string, unknown>;
  return validateEvent(
    { unit: field(o, 'unit', where, argument), timestamp: field(o, 'timestamp', where, argument), type: field(o, 'type', where, argument), key: field(o, 'key', where, argument), ref: field(o, 'ref', where, argument) },
    where,
    argument,
  );
}

function field(o: Record<string, unknown>, name: string, where: string, argument: string): string | null {
  const v = o[name];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v) && name !== 'timestamp' && name !== 'type') return String(v);
  throw new InputError(argument, `${where}: ${name} must be a string; got ${JSON.stringify(v)}.`);
}
