import { InputError } from '../errors.js';
import type { CoordinationEvent } from '../traces/event.js';
import type { BreakpointRuleSet } from '../dynamics/rules.js';
import type { PeriodKind } from '../dynamics/period.js';
import type { PerformanceRecord } from '../dynamics/performance_quality.js';
import type { DriftAnalysis, UnitWaveScore } from '../dynamics/drift.js';
import { evaluateBreakpoints, type Breakpoint, type ChangePoint } from '../dynamics/evaluate_breakpoints.js';
import { diagnoseUnits, type DiagnosisResult, type RankedIntervention, type RelativeCell } from '../dynamics/diagnose_units.js';
import { DEFAULT_SPRINT_ANCHOR } from '../dynamics/period.js';
import type { Cell } from '../sei_model.js';
import type { PublishedUnit, WavePublication } from './publish_wave.js';

/** What a wave's diagnosis is a function of besides its publication: the rules and each unit's traces. */
export interface DiagnosisPublicationInput {
  /** The breakpoint rules the wave locked when it opened (or those in force when it locked none). */
  readonly rules: BreakpointRuleSet;
  /** The period the signals are counted in (default `week`). */
  readonly period?: PeriodKind;
  /** The Monday sprints are counted from when `period` is `sprint` (default DEFAULT_SPRINT_ANCHOR). */
  readonly sprintAnchor?: string;
  /** Each unit's coordination events; only the published units' are read. */
  readonly events: Readonly<Record<string, readonly CoordinationEvent[]>>;
  /** Each unit's performance-quality values (listed beside the diagnosis, never used to rank). */
  readonly performance: Readonly<Record<string, readonly PerformanceRecord[]>>;
}

/** One published unit's stored diagnosis: what its report shows beside the scores. */
export interface StoredUnitDiagnosis {
  /** Each of the nine cells against the organisation of the wave's published units (z over them). */
  readonly cells: readonly RelativeCell[];
  readonly weakestCells: readonly RelativeCell[];
  readonly interventions: readonly RankedIntervention[];
  readonly uncoveredCells: readonly Cell[];
  readonly breakpoints: readonly Breakpoint[];
  readonly changePoints: readonly ChangePoint[];
  /** Each cell the unit's breakpoints implicate, with how many do. */
  readonly implicatedCells: readonly { readonly cell: Cell; readonly breakpoints: number }[];
  readonly performance: Readonly<Record<string, { readonly period: string; readonly value: number }>>;
  /** Coordination events read for the unit. */
  readonly events: number;
}

/** The diagnosis of a published wave, stored in its run. */
export interface DiagnosisPublication {
  readonly ruleVersion: string;
  readonly period: PeriodKind;
  /** The sprint anchor used (a Monday), or null when the period is not `sprint`. */
  readonly sprintAnchor: string | null;
  /** The evidence weights the interventions were ranked with (diagnoseUnits' options). */
  readonly ranking: DiagnosisResult['options'] | null;
  /** The published units (not roll-ups) with z and M, by key. */
  readonly units: Readonly<Record<string, StoredUnitDiagnosis>>;
  /** Why no unit is diagnosed (e.g. a single published unit: no spread to compare its cells with), or null. */
  readonly skipped: string | null;
  readonly warnings: readonly string[];
}

/**
 * The diagnosis inputs of a published wave, computed with the run instead of at request time:
 * for each published unit with z and M (no roll-up, no suppressed unit, whose traces are never
 * read), the breakpoints of its coordination events under the wave's rules
 * (evaluateBreakpoints), and the weakest cells, drift and ranked interventions of
 * diagnoseUnits over the wave's published units, with the publication's stored drift (whose
 * drifting flags follow the run's coherence capacity). The period (and sprint anchor) and the
 * capacity are the run's options: a diagnosis under other options is another run. Pure:
 * the run stores the result, and the unit report only reads it (so the diagnosis is as of the
 * run; traces imported later enter at the next run).
 */
export function publishDiagnosis(publication: WavePublication, input: DiagnosisPublicationInput): DiagnosisPublication {
  const period = input.period ?? 'week';
  const sprintAnchor = period === 'sprint' ? (input.sprintAnchor ?? DEFAULT_SPRINT_ANCHOR) : null;
  const published = publication.units.filter((u): u is PublishedUnit => !u.suppressed && u.z !== null && u.misalignment !== null);
  const scores: UnitWaveScore[] = published.map((u) => ({ unit: u.unitKey, wave: publication.wave, n: u.n, cells: u.cells, z: u.z!, misalignment: u.misalignment!, dominant: u.dominant }));
  const base = { ruleVersion: input.rules.version, period, sprintAnchor };
  if (scores.length === 0) return { ...base, ranking: null, units: {}, skipped: 'No unit of this wave is published with z and misalignment, so none is diagnosed.', warnings: [] };
  const keys = new Set(scores.map((s) => s.unit));
  const events = Object.entries(input.events).flatMap(([unit, list]) => (keys.has(unit) ? list : []));
  const breakpoints = evaluateBreakpoints(events, { period, ...(sprintAnchor === null ? {} : { sprintAnchor }), rules: input.rules });
  const performance = Object.entries(input.performance).flatMap(([unit, list]) => (keys.has(unit) ? list : []));
  const drift: DriftAnalysis | undefined = publication.drift ?? undefined;
  let result;
  try {
    result = diagnoseUnits({ scores, wave: publication.wave, drift, breakpoints: breakpoints.breakpoints, changePoints: breakpoints.changePoints, performance, rules: input.rules });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { ...base, ranking: null, units: {}, skipped: err.message, warnings: [...breakpoints.diagnostics.warnings] };
  }
  const units: Record<string, StoredUnitDiagnosis> = {};
  for (const d of result.units) {
    units[d.unit] = {
      cells: d.cells,
      weakestCells: d.weakestCells,
      interventions: d.interventions,
      uncoveredCells: d.uncoveredCells,
      breakpoints: d.breakpoints,
      changePoints: d.changePoints,
      implicatedCells: d.implicatedCells,
      performance: d.performance,
      events: events.filter((e) => e.unit === d.unit).length,
    };
  }
  return { ...base, ranking: result.options, units, skipped: null, warnings: [...breakpoints.diagnostics.warnings, ...result.diagnostics.warnings] };
}
