import type { Db } from '../db.js';

export type AnalysisStatus = 'queued' | 'running' | 'done' | 'failed';

/** What a run publishes: a wave's results, the scale-developer analyses of a published wave, and later pipelines. */
export type AnalysisKind = 'wave' | 'scale-developer' | 'research' | 'pilot';

export const ANALYSIS_KINDS: readonly AnalysisKind[] = ['wave', 'scale-developer', 'research', 'pilot'];

export interface AnalysisRecord {
  readonly id: number;
  readonly waveId: number;
  readonly kind: AnalysisKind;
  readonly status: AnalysisStatus;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** The pipeline version that wrote `results`; null for runs stored before runs were publications (never shown). */
  readonly pipelineVersion: number | null;
  /** The run this one derives from (a scale-developer run's wave run). */
  readonly parentId: number | null;
  readonly attempts: number;
  /** The options the run was requested with (JSON), or null: a wave run's are server/dynamics/run_options.ts's. */
  readonly options: unknown;
  readonly results: unknown;
  readonly error: string | null;
}

interface AnalysisRow {
  id: number;
  wave_id: number;
  kind: AnalysisKind;
  status: AnalysisStatus;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  pipeline_version: number | null;
  parent_id: number | null;
  attempts: number;
  options?: string | null;
  results: string | null;
  error: string | null;
}

const LISTED = ['id', 'wave_id', 'kind', 'status', 'requested_by', 'created_at', 'started_at', 'finished_at', 'pipeline_version', 'parent_id', 'attempts', 'options', 'error'];

function toAnalysis(r: AnalysisRow): AnalysisRecord {
  return {
    id: Number(r.id),
    waveId: Number(r.wave_id),
    kind: r.kind,
    status: r.status,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    startedAt: r.started_at ?? null,
    finishedAt: r.finished_at ?? null,
    pipelineVersion: r.pipeline_version === null || r.pipeline_version === undefined ? null : Number(r.pipeline_version),
    parentId: r.parent_id === null || r.parent_id === undefined ? null : Number(r.parent_id),
    attempts: Number(r.attempts ?? 0),
    options: r.options ? JSON.parse(r.options) : null,
    results: r.results ? JSON.parse(r.results) : null,
    error: r.error ?? null,
  };
}

export async function insertAnalysis(db: Db, waveId: number, requestedBy: string, createdAt: string, kind: AnalysisKind = 'wave', parentId: number | null = null, options: unknown = null): Promise<number> {
  const [row] = await db('analyses')
    .insert({ wave_id: waveId, kind, parent_id: parentId, status: 'queued', requested_by: requestedBy, created_at: createdAt, attempts: 0, options: options === null ? null : JSON.stringify(options) })
    .returning('id');
  return Number(row.id);
}

export async function findAnalysis(db: Db, id: number): Promise<AnalysisRecord | undefined> {
  const row = await db('analyses').where({ id }).first();
  return row ? toAnalysis(row) : undefined;
}

export async function listAnalyses(db: Db, waveId: number, kind?: AnalysisKind): Promise<AnalysisRecord[]> {
  const query = db('analyses').where({ wave_id: waveId });
  if (kind) query.where({ kind });
  return (await query.orderBy('id').select(LISTED)).map((r: AnalysisRow) => toAnalysis({ ...r, results: null }));
}

/** The latest finished run of a kind for a wave, written by the current pipeline (older runs are never shown). */
export async function latestDoneAnalysis(db: Db, waveId: number, kind: AnalysisKind = 'wave'): Promise<AnalysisRecord | undefined> {
  const row = await db('analyses').where({ wave_id: waveId, kind, status: 'done' }).whereNotNull('pipeline_version').orderBy('id', 'desc').first();
  return row ? toAnalysis(row) : undefined;
}

/**
 * The hierarchy a wave's first stored publication recorded (the wave's runs reuse it: a closed
 * wave is frozen), or undefined when none did (no run yet, or only runs stored before runs
 * recorded it).
 */
export async function frozenHierarchy(db: Db, waveId: number): Promise<{ key: string; parentKey: string | null; context?: string | null }[] | undefined> {
  const rows = await db('analyses').where({ wave_id: waveId, kind: 'wave', status: 'done' }).whereNotNull('pipeline_version').orderBy('id', 'asc').select('results');
  for (const row of rows as { results: string | null }[]) {
    const hierarchy = row.results ? (JSON.parse(row.results) as { hierarchy?: { key: string; parentKey: string | null; context?: string | null }[] }).hierarchy : undefined;
    if (hierarchy) return hierarchy;
  }
  return undefined;
}

/** The latest run of a kind derived from `parentId`, in any state. */
export async function latestChildAnalysis(db: Db, parentId: number, kind: AnalysisKind): Promise<AnalysisRecord | undefined> {
  const row = await db('analyses').where({ parent_id: parentId, kind }).orderBy('id', 'desc').first();
  return row ? toAnalysis(row) : undefined;
}

/** The respondent counts every finished wave run of a wave published (the republication guard's input). */
export async function publishedCounts(db: Db, waveId: number): Promise<Record<string, number>[]> {
  const rows = await db('analyses').where({ wave_id: waveId, kind: 'wave', status: 'done' }).whereNotNull('pipeline_version').select('results');
  return rows.map((r: { results: string }) => (JSON.parse(r.results) as { counts?: Record<string, number> }).counts ?? {});
}

/**
 * Claims a run for `owner` until `expiresAt`: a queued run, or a running one whose lease has
 * expired (its process died). One conditional update, so exactly one process wins.
 */
export async function claimAnalysis(db: Db, id: number, owner: string, at: string, expiresAt: string): Promise<boolean> {
  const n = await db('analyses')
    .where({ id })
    .where((q) => q.where({ status: 'queued' }).orWhere((r) => r.where({ status: 'running' }).where('lease_expires_at', '<', at)))
    .update({ status: 'running', started_at: at, lease_owner: owner, lease_expires_at: expiresAt, attempts: db.raw('attempts + 1') });
  return Number(n) === 1;
}

/** Extends the lease of a run this owner still holds; false when it lost it. */
export async function renewLease(db: Db, id: number, owner: string, expiresAt: string): Promise<boolean> {
  return Number(await db('analyses').where({ id, status: 'running', lease_owner: owner }).update({ lease_expires_at: expiresAt })) === 1;
}

/** Runs that a process may pick up now: queued ones, and running ones whose lease expired; oldest first. */
export async function claimableAnalyses(db: Db, at: string, limit = 20): Promise<{ id: number; waveId: number; kind: AnalysisKind; attempts: number }[]> {
  const rows = await db('analyses')
    .where((q) => q.where({ status: 'queued' }).orWhere((r) => r.where({ status: 'running' }).where('lease_expires_at', '<', at)))
    .orderBy('id')
    .limit(limit)
    .select('id', 'wave_id', 'kind', 'attempts');
  return rows.map((r: { id: number; wave_id: number; kind: AnalysisKind; attempts: number }) => ({ id: Number(r.id), waveId: Number(r.wave_id), kind: r.kind, attempts: Number(r.attempts) }));
}

/** Stores a run's results once: only while this owner holds it; a finished run never changes again. */
export async function finishAnalysis(db: Db, id: number, owner: string, at: string, pipelineVersion: number, results: unknown): Promise<boolean> {
  const n = await db('analyses')
    .where({ id, status: 'running', lease_owner: owner })
    .update({ status: 'done', finished_at: at, pipeline_version: pipelineVersion, results: JSON.stringify(results), lease_expires_at: null });
  return Number(n) === 1;
}

export async function failAnalysis(db: Db, id: number, at: string, error: string, owner?: string): Promise<void> {
  const q = db('analyses').where({ id }).whereIn('status', ['queued', 'running']);
  if (owner) q.where({ lease_owner: owner });
  await q.update({ status: 'failed', finished_at: at, error, lease_expires_at: null });
}

/** Marks runs whose lease expired after `maxAttempts` claims as failed; returns how many. */
export async function failExhaustedAnalyses(db: Db, at: string, maxAttempts: number): Promise<number> {
  return Number(
    await db('analyses')
      .where({ status: 'running' })
      .where('lease_expires_at', '<', at)
      .where('attempts', '>=', maxAttempts)
      .update({ status: 'failed', finished_at: at, lease_expires_at: null, error: `The process computing this analysis stopped ${maxAttempts} times; start it again.` }),
  );
}
