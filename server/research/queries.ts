import type { PerformanceRecord } from '../../analysis/index.js';
import type { Db } from '../db.js';
import type { ResearchOptions } from './schemas.js';

/** Stores a queued research run: wave_id is its T3 wave, parent_id that wave's publication, options what it was asked for. */
export async function insertResearchRun(
  db: Db,
  run: { waveId: number; parentId: number; requestedBy: string; createdAt: string; options: ResearchOptions },
): Promise<number> {
  const [row] = await db('analyses')
    .insert({ wave_id: run.waveId, kind: 'research', parent_id: run.parentId, status: 'queued', requested_by: run.requestedBy, created_at: run.createdAt, attempts: 0, options: JSON.stringify(run.options) })
    .returning('id');
  return Number(row.id);
}

/** The options a run was requested with; undefined when it has none. */
export async function runOptions(db: Db, id: number): Promise<ResearchOptions | undefined> {
  const row = await db('analyses').where({ id }).first('options');
  return row?.options ? (JSON.parse(row.options) as ResearchOptions) : undefined;
}

/** The id of the newest research run (any state), or of the newest finished one by the current pipeline. */
export async function latestResearchRunId(db: Db, done = false): Promise<number | undefined> {
  const q = db('analyses').where({ kind: 'research' });
  if (done) q.where({ status: 'done' }).whereNotNull('pipeline_version');
  const row = await q.orderBy('id', 'desc').first('id');
  return row ? Number(row.id) : undefined;
}

/** Every imported performance-quality value, under its unit's key. */
export async function performanceRecords(db: Db): Promise<PerformanceRecord[]> {
  const rows: { unit: string; period: string; measure: string; value: number | string }[] = await db('performance_records as p')
    .join('units as u', 'u.id', 'p.unit_id')
    .orderBy('p.id')
    .select('u.key as unit', 'p.period', 'p.measure', 'p.value');
  return rows.map((r) => ({ unit: r.unit, period: r.period, measure: r.measure, value: Number(r.value) }));
}

/** The imported PQ measures, sorted. */
export async function performanceMeasures(db: Db): Promise<string[]> {
  const rows: { measure: string }[] = await db('performance_records').distinct('measure').orderBy('measure');
  return rows.map((r) => r.measure);
}

interface InterfaceChangeRow {
  id: number;
  unit_key: string;
  changed_on: string;
  note: string;
  created_by: string;
  created_at: string;
}

const changeOf = (r: InterfaceChangeRow) => ({ id: Number(r.id), unitKey: r.unit_key, on: r.changed_on, note: r.note, createdBy: r.created_by, createdAt: r.created_at });

/** Every recorded interface change (of one unit when `unitId` is given), by unit key and date. */
export async function listInterfaceChanges(db: Db, unitId?: number) {
  const q = db('interface_changes as c').join('units as u', 'u.id', 'c.unit_id');
  if (unitId !== undefined) q.where('c.unit_id', unitId);
  const rows: InterfaceChangeRow[] = await q.orderBy([{ column: 'u.key' }, { column: 'c.changed_on' }, { column: 'c.id' }])
    .select('c.id', 'u.key as unit_key', 'c.changed_on', 'c.note', 'c.created_by', 'c.created_at');
  return rows.map(changeOf);
}

/** Records an interface change; undefined when the unit already has one on that day. */
export async function insertInterfaceChange(db: Db, change: { unitId: number; on: string; note: string; createdBy: string; createdAt: string }): Promise<number | undefined> {
  const existing = await db('interface_changes').where({ unit_id: change.unitId, changed_on: change.on }).first('id');
  if (existing) return undefined;
  const [row] = await db('interface_changes')
    .insert({ unit_id: change.unitId, changed_on: change.on, note: change.note, created_by: change.createdBy, created_at: change.createdAt })
    .returning('id');
  return Number(row.id);
}

/** Deletes a unit's interface change; false when the unit has none with that id. */
export async function deleteInterfaceChange(db: Db, unitId: number, id: number): Promise<boolean> {
  return (await db('interface_changes').where({ id, unit_id: unitId }).delete()) > 0;
}
