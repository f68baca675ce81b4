import type { Db } from '../db.js';

export type AnalysisStatus = 'queued' | 'running' | 'done' | 'failed';

export interface AnalysisRecord {
  readonly id: number;
  readonly waveId: number;
  readonly status: AnalysisStatus;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly results: unknown;
  readonly error: string | null;
}

interface AnalysisRow {
  id: number;
  wave_id: number;
  status: AnalysisStatus;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  results: string | null;
  error: string | null;
}

function toAnalysis(r: AnalysisRow): AnalysisRecord {
  return {
    id: Number(r.id),
    waveId: Number(r.wave_id),
    status: r.status,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at ?? null,
    finishedAt: r.finished_at ?? null,
    results: r.results ? JSON.parse(r.results) : null,
    error: r.error ?? null,
  };
}

export async function insertAnalysis(db: Db, waveId: number, requestedBy: string, createdAt: string): Promise<number> {
  const [row] = await db('analyses').insert({ wave_id: waveId, status: 'queued', requested_by: requestedBy, created_at: createdAt }).returning('id');
  return Number(row.id);
}

export async function findAnalysis(db: Db, id: number): Promise<AnalysisRecord | undefined> {
  const row = await db('analyses').where({ id }).first();
  return row ? toAnalysis(row) : undefined;
}

export async function listAnalyses(db: Db, waveId: number): Promise<AnalysisRecord[]> {
  return (await db('analyses').where({ wave_id: waveId }).orderBy('id').select('id', 'wave_id', 'status', 'requested_by', 'created_at', 'started_at', 'finished_at', 'error')).map(
    (r: AnalysisRow) => toAnalysis({ ...r, results: null }),
  );
}

export async function latestDoneAnalysis(db: Db, waveId: number): Promise<AnalysisRecord | undefined> {
  const row = await db('analyses').where({ wave_id: waveId, status: 'done' }).orderBy('id', 'desc').first();
  return row ? toAnalysis(row) : undefined;
}

/** Moves a queued analysis to running; returns whether this caller claimed it. */
export async function startAnalysis(db: Db, id: number, at: string): Promise<boolean> {
  return Number(await db('analyses').where({ id, status: 'queued' }).update({ status: 'running', started_at: at })) === 1;
}

export async function finishAnalysis(db: Db, id: number, at: string, results: unknown): Promise<void> {
  await db('analyses').where({ id }).update({ status: 'done', finished_at: at, results: JSON.stringify(results) });
}

export async function failAnalysis(db: Db, id: number, at: string, error: string): Promise<void> {
  await db('analyses').where({ id }).update({ status: 'failed', finished_at: at, error });
}

/** Marks analyses left queued or running by a stopped process as failed, so no one waits on them forever. */
export async function failInterruptedAnalyses(db: Db, startedBefore: string, at: string): Promise<number> {
  return Number(
    await db('analyses')
      .whereIn('status', ['queued', 'running'])
      .where('created_at', '<', startedBefore)
      .update({ status: 'failed', finished_at: at, error: 'The server stopped before this analysis finished; start it again.' }),
  );
}
