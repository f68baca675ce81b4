import { EVENT_TYPES, isoDate, type CoordinationEvent, type EventType, type UnitImportSummary } from '../../analysis/index.js';
import { StringColumn } from '../imports/string_column.js';

const TYPE_CODE: ReadonlyMap<EventType, number> = new Map(EVENT_TYPES.map((t, i) => [t, i]));

/**
 * The events of one unit's trace import, checked and waiting to be stored, in typed columns:
 * the time in a Float64Array, the type as a byte (its place in EVENT_TYPES), the key and the ref
 * as UTF-8 in a {@link StringColumn}; the unit is the import's own and is not repeated. About 19
 * bytes an event plus its key's and ref's bytes, so an import near the 50 MB limit (a million
 * events) is held in some 25 MB, where CoordinationEvent objects took several times that. The
 * import's summary (count, first and last date, count of each type) is kept as events are added
 * and equals summarizeEvents of the same events (types in the order they first appear).
 */
export class TraceEventTable {
  private times = new Float64Array(1 << 10);
  private types = new Uint8Array(1 << 10);
  private readonly keys = new StringColumn();
  private readonly refs = new StringColumn();
  private count = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly typeCounts: Partial<Record<EventType, number>> = {};

  /** The events of an array (a JSON body already parsed), in order. */
  static of(events: readonly CoordinationEvent[]): TraceEventTable {
    const table = new TraceEventTable();
    for (const e of events) table.push(e);
    return table;
  }

  get length(): number {
    return this.count;
  }

  /** Adds an event (its unit is the import's, checked by the caller). */
  push(e: CoordinationEvent): void {
    if (this.count === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
      const types = new Uint8Array(this.types.length * 2);
      types.set(this.types);
      this.types = types;
    }
    this.times[this.count] = e.time;
    this.types[this.count] = TYPE_CODE.get(e.type)!;
    this.keys.push(e.key);
    this.refs.push(e.ref);
    this.count++;
    if (e.time < this.first) this.first = e.time;
    if (e.time > this.last) this.last = e.time;
    this.typeCounts[e.type] = (this.typeCounts[e.type] ?? 0) + 1;
  }

  time(i: number): number {
    return this.times[i];
  }

  type(i: number): EventType {
    return EVENT_TYPES[this.types[i]];
  }

  key(i: number): string {
    return this.keys.get(i)!;
  }

  ref(i: number): string | null {
    return this.refs.get(i);
  }

  /** What the import holds, as summarizeEvents says it for `unit` (undefined when it holds no event). */
  summary(unit: string): UnitImportSummary | undefined {
    if (this.count === 0) return undefined;
    return { unit, events: this.count, first: isoDate(this.first), last: isoDate(this.last), types: { ...this.typeCounts } };
  }
}
