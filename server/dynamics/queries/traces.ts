import type { CoordinationEvent, EventType, UnitImportSummary } from '../../../analysis/index.js';
import type { Db } from '../../db.js';
import type { TraceEventTable } from '../trace_event_table.js';

/** One stored trace import of a unit. */
export interface TraceImportRecord {
  readonly id: number;
  readonly unitKey: string;
  readonly format: string;
  readonly source: string | null;
  readonly events: number;
  readonly first: string | null;
  readonly last: string | null;
  readonly types: Readonly<Partial<Record<EventType, number>>>;
  readonly importedAt: string;
  readonly importedBy: string;
}

interface TraceImportRow {
  id: number;
  unit_key: string;
  format: string;
  source: string | null;
  events: number;
  first_on: string | null;
  last_on: string | null;
  types: string;
  imported_at: string;
  imported_by: string;
}

function toImport(r: TraceImportRow): TraceImportRecord {
  return {
    id: Number(r.id),
    unitKey: r.unit_key,
    format: r.format,
    source: r.source ?? null,
    events: Number(r.events),
    first: r.first_on ?? null,
    last: r.last_on ?? null,
    types: JSON.parse(r.types),
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  };
}

function selectImports(db: Db) {
  return db('trace_imports as i')
    .join('units as u', 'u.id', 'i.unit_id')
    .select('i.id', 'u.key as unit_key', 'i.format', 'i.source', 'i.events', 'i.first_on', 'i.last_on', 'i.types', 'i.imported_at', 'i.imported_by');
}

export interface NewTraceImport {
  readonly unitId: number;
  readonly format: string;
  readonly source: string | null;
  readonly summary: UnitImportSummary;
  readonly importedAt: string;
  readonly importedBy: string;
}

/**
 * Rows per INSERT: 6 bound values each, 6,000 per statement, below SQLite's (32,766) and
 * PostgreSQL's (65,535) limits. The multi-row VALUES form is written by hand because knex
 * writes SQLite multi-row inserts as a compound SELECT, capped at 500 terms and slower.
 */
const EVENT_BATCH = 1000;

/**
 * Stores one import and all of its events (read from their typed columns a batch at a time). Call it inside a transaction: the import and its
 * events are stored together or not at all.
 */
export async function insertTraceImport(db: Db, imp: NewTraceImport, events: TraceEventTable): Promise<number> {
  const [row] = await db('trace_imports')
    .insert({
      unit_id: imp.unitId,
      format: imp.format,
      source: imp.source,
      events: events.length,
      first_on: imp.summary.first,
      last_on: imp.summary.last,
      types: JSON.stringify(imp.summary.types),
      imported_at: imp.importedAt,
      imported_by: imp.importedBy,
    })
    .returning('id');
  const importId = Number(row.id);
  const full = eventInsert(EVENT_BATCH);
  for (let i = 0; i < events.length; i += EVENT_BATCH) {
    const rows = Math.min(EVENT_BATCH, events.length - i);
    const values: (string | number | null)[] = new Array(rows * 6);
    let k = 0;
    for (let j = i; j < i + rows; j++) {
      values[k++] = importId;
      values[k++] = imp.unitId;
      values[k++] = events.time(j);
      values[k++] = events.type(j);
      values[k++] = events.key(j);
      values[k++] = events.ref(j);
    }
    await db.raw(rows === EVENT_BATCH ? full : eventInsert(rows), values);
  }
  return importId;
}

function eventInsert(rows: number): string {
  return `insert into trace_events (import_id, unit_id, "time", "type", "key", ref) values ${new Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;
}

export async function listTraceImports(db: Db, unitId: number): Promise<TraceImportRecord[]> {
  return (await selectImports(db).where('i.unit_id', unitId).orderBy('i.id')).map(toImport);
}

export async function findTraceImport(db: Db, unitId: number, id: number): Promise<TraceImportRecord | undefined> {
  const row = await selectImports(db).where({ 'i.unit_id': unitId, 'i.id': id }).first();
  return row ? toImport(row) : undefined;
}

/** Deletes an import and its events; returns whether it existed. */
export async function deleteTraceImport(db: Db, id: number): Promise<boolean> {
  await db('trace_events').where({ import_id: id }).delete();
  return Number(await db('trace_imports').where({ id }).delete()) > 0;
}

/** Every stored event of a unit, oldest first, under the unit's key. */
export async function unitEvents(db: Db, unitId: number, unitKey: string): Promise<CoordinationEvent[]> {
  const rows: { time: number | string; type: EventType; key: string; ref: string | null }[] = await db('trace_events')
    .where({ unit_id: unitId })
    .orderBy('time')
    .orderBy('id')
    .select('time', 'type', 'key', 'ref');
  return rows.map((r) => ({ unit: unitKey, time: Number(r.time), type: r.type, key: r.key, ref: r.ref ?? null }));
}
