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
