import { DEFAULT_SPRINT_ANCHOR, type PeriodKind } from '../../analysis/index.js';

/**
 * The options a wave run is computed under besides its data: how the breakpoint signals of its
 * diagnosis cut time (`period`, and the Monday sprints count from when the period is `sprint`)
 * and the coherence capacity its drift flags are read against (analysis unitDrift). They are
 * stored with the run (the `options` column, migration 20261130000600_analysis_options), and a
 * diagnosis under other options is another run (POST /api/v1/waves/:id/analyses with them), never
 * a computation at request time.
 */
export interface WaveRunOptions {
  readonly period: PeriodKind;
  /** The sprint anchor (a Monday, YYYY-MM-DD) when the period is `sprint`; null otherwise. */
  readonly sprintAnchor: string | null;
  readonly capacity: number;
}

/** Options as a caller gives them (every member optional); validated at the edge (server/dynamics/schemas.ts). */
export interface RequestedRunOptions {
  readonly period?: PeriodKind;
  readonly sprintAnchor?: string;
  readonly capacity?: number;
}

/** The options of a run requested without any (and of every run stored before runs kept options): weeks, capacity 0.5. */
export const DEFAULT_RUN_OPTIONS: WaveRunOptions = { period: 'week', sprintAnchor: null, capacity: 0.5 };

/** A run's full options from what was requested: the defaults for what was not, the default anchor for sprints. */
export function runOptions(requested: RequestedRunOptions = {}): WaveRunOptions {
  const period = requested.period ?? (requested.sprintAnchor !== undefined ? 'sprint' : DEFAULT_RUN_OPTIONS.period);
  return {
    period,
    sprintAnchor: period === 'sprint' ? (requested.sprintAnchor ?? DEFAULT_SPRINT_ANCHOR) : null,
    capacity: requested.capacity ?? DEFAULT_RUN_OPTIONS.capacity,
  };
}

/** The options a wave run was stored with (the `options` column as read); the defaults for a run stored without. */
export function storedRunOptions(stored: unknown): WaveRunOptions {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_RUN_OPTIONS;
  const o = stored as Partial<WaveRunOptions>;
  return runOptions({ period: o.period, sprintAnchor: o.sprintAnchor ?? undefined, capacity: o.capacity });
}

/**
 * Whether a run's options answer a query: every option the query names equals the run's (an
 * option left out matches any run). A sprint anchor names a sprint period.
 */
export function answersQuery(run: WaveRunOptions, query: RequestedRunOptions): boolean {
  if (query.period !== undefined && query.period !== run.period) return false;
  if (query.sprintAnchor !== undefined && (run.period !== 'sprint' || query.sprintAnchor !== run.sprintAnchor)) return false;
  return query.capacity === undefined || query.capacity === run.capacity;
}

/** True when a query names no option. */
export function namesNoOption(query: RequestedRunOptions): boolean {
  return query.period === undefined && query.sprintAnchor === undefined && query.capacity === undefined;
}

/** Options as a query names them or a run holds them. */
type SomeOptions = RequestedRunOptions | WaveRunOptions;

/** Options in words: `period week and capacity 0.5`, `period sprint (from 2024-01-01) and capacity 0.7`. */
export function describeRunOptions(o: SomeOptions): string {
  const parts: string[] = [];
  if (o.period !== undefined) parts.push(`period ${o.period}${o.period === 'sprint' && o.sprintAnchor ? ` (from ${o.sprintAnchor})` : ''}`);
  else if (o.sprintAnchor !== undefined && o.sprintAnchor !== null) parts.push(`sprints from ${o.sprintAnchor}`);
  if (o.capacity !== undefined) parts.push(`capacity ${o.capacity}`);
  return parts.length <= 1 ? (parts[0] ?? 'the default options') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The JSON body that starts a run with the options a query names. */
export function requestBody(query: SomeOptions): string {
  const body: Record<string, unknown> = {};
  if (query.period !== undefined) body.period = query.period;
  if (query.sprintAnchor !== undefined && query.sprintAnchor !== null) body.sprintAnchor = query.sprintAnchor;
  if (query.capacity !== undefined) body.capacity = query.capacity;
  return JSON.stringify(body);
}
