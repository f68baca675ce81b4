import type { CoordinationEvent, EventType } from './event.js';
import { isoDate } from './timestamp.js';

/** What one unit's imported events hold: how many of each type, and the dates they span. */
export interface UnitImportSummary {
  readonly unit: string;
  readonly events: number;
  readonly first: string;
  readonly last: string;
  readonly types: Readonly<Partial<Record<EventType, number>>>;
}

/**
 * Summarises validated events per unit (sorted by unit): the count, the first and last
 * dates (UTC, `YYYY-MM-DD`) and the count of each type. An import screen shows it before the
 * events are stored, so that an administrator sees what a file holds per unit.
 */
export function summarizeEvents(events: readonly CoordinationEvent[]): UnitImportSummary[] {
  const byUnit = new Map<string, { events: number; first: number; last: number; types: Partial<Record<EventType, number>> }>();
  for (const e of events) {
    let s = byUnit.get(e.unit);
    if (s === undefined) byUnit.set(e.unit, (s = { events: 0, first: e.time, last: e.time, types: {} }));
    s.events++;
    if (e.time < s.first) s.first = e.time;
    if (e.time > s.last) s.last = e.time;
    s.types[e.type] = (s.types[e.type] ?? 0) + 1;
  }
  return [...byUnit.keys()].sort().map((unit) => {
    const s = byUnit.get(unit)!;
    return { unit, events: s.events, first: isoDate(s.first), last: isoDate(s.last), types: s.types };
  });
}
