import type { Cell } from '../sei_model.js';
import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { isEventType, type CoordinationEvent } from '../traces/event.js';
import { overRuns, signalBaseline } from './breakpoint_runs.js';
import { detectMeanShifts } from './change_points.js';
import { periodLabel, periodScheme, type PeriodKind, type PeriodScheme } from './period.js';
import { DEFAULT_RULES, SIGNALS, isOver, overLevel, type BreakpointRuleSet, type SignalName } from './rules.js';
import { eventsByUnit, unitSignals, type UnitSignalSeries } from './unit_signals.js';

/** A run of at least `persistence` consecutive over periods of one unit's signal. */
export interface Breakpoint {
  readonly unit: string;
  readonly signal: SignalName;
  /** The SEI cells the signal implicates (shared/DESIGN.md's table). */
  readonly cells: readonly Cell[];
  /** Start dates (`YYYY-MM-DD`) of the first and last over periods. */
  readonly start: string;
  readonly end: string;
  /** Over periods in the run. */
  readonly periods: number;
  /** The largest value in the run. */
  readonly peak: number;
  /** The level the run's values reached (factor × baseline, or the absolute level). */
  readonly level: number;
  /** The unit's baseline for a relative rule, null for an absolute one. */
  readonly baseline: number | null;
  /** The rule set version that found it. */
  readonly ruleVersion: string;
}

/** One unit's signal values in one period (null: no value). */
export type SignalRow = { readonly unit: string; readonly period: string; readonly conflictIncidents: number } & {
  readonly [S in SignalName]: number | null;
};

/**
 * A persistent shift in the mean of a unit's signal found by the change-point detector,
 * reported apart from rule-based breakpoints. `coveredByRule` says whether a rule-based
 * breakpoint of the same unit and signal overlaps the segment that starts here; the
 * shifts with `coveredByRule: false` are those the fixed thresholds missed.
 */
export interface ChangePoint {
  readonly unit: string;
  readonly signal: SignalName | 'conflictIncidents';
  /** Start date of the first period of the new segment. */
  readonly period: string;
  readonly before: number;
  readonly after: number;
  readonly shift: number;
  readonly direction: 'up' | 'down';
  /** Periods with a value in the segments before and after. */
  readonly periodsBefore: number;
  readonly periodsAfter: number;
  /** Shift in units of the series' noise scale σ̂. */
  readonly standardizedShift: number;
  readonly coveredByRule: boolean;
}

export interface BreakpointOptions {
  readonly period?: PeriodKind;
  readonly sprintAnchor?: string;
  readonly rules?: BreakpointRuleSet;
  /** Run the change-point detector (default true). */
  readonly changePoints?: boolean;
  /** Penalty β of the detector; default 3·ln(n) per series. */
  readonly changePointPenalty?: number;
}

export interface BreakpointAnalysis {
  readonly period: PeriodKind;
  readonly sprintAnchor?: string;
  readonly ruleVersion: string;
  readonly rules: BreakpointRuleSet;
  /** Events read. */
  readonly n: number;
  readonly units: readonly string[];
  readonly breakpoints: readonly Breakpoint[];
  readonly signals: readonly SignalRow[];
  readonly baselines: readonly { readonly unit: string; readonly signal: SignalName; readonly baseline: number | null }[];
  readonly changePoints: readonly ChangePoint[];
  readonly diagnostics: Diagnostics;
}

/**
 * Evaluates shared/CONTRACT.md's breakpoint rules on coordination events: per unit and
 * period the ten signals ({@link unitSignals}), per unit and relative signal a baseline (the
 * median over its first `baselinePeriods` periods with a value), and per unit and signal the
 * runs of at least `persistence` consecutive over periods ({@link overRuns}); then, apart
 * from the rules, the change-point detector ({@link detectMeanShifts}, minimum segment =
 * `persistence`) on every unit's signal series.
 *
 * Decisions where the contract is silent:
 * - Every period is evaluated, the baseline periods included (the contract exempts none).
 * - A relative rule needs a positive baseline: with a baseline of 0 (say, decisions always
 *   made on the day they are opened) any value would be "≥ 1.3 × 0", so the signal is not
 *   evaluated for that unit and `diagnostics.warnings` says so.
 * - A unit's periods run from the period of its first event to that of its last.
 * Units, breakpoints and signal rows are sorted by unit (code-unit order), then signal in
 * the contract's order, then period.
 */
export function evaluateBreakpoints(events: readonly CoordinationEvent[], options: BreakpointOptions = {}): BreakpointAnalysis {
  const rules = options.rules ?? DEFAULT_RULES;
  const scheme = periodScheme(options.period ?? 'week', options.sprintAnchor);
  if (!Array.isArray(events)) throw new InputError('events', 'events must be a list of coordination events.');
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (typeof e !== 'object' || e === null || !Number.isFinite(e.time) || !isEventType(e.type) || typeof e.unit !== 'string' || typeof e.key !== 'string') {
      throw new InputError('events', `events[${i}] is not a validated coordination event (read traces with parseEventsCsv or parseEventsJson).`);
    }
  }
  const byUnit = eventsByUnit(events);
  const units = [...byUnit.keys()].sort();
  const warnings: string[] = [];
  const breakpoints: Breakpoint[] = [];
  const signals: SignalRow[] = [];
  const baselines: { unit: string; signal: SignalName; baseline: number | null }[] = [];
  const changePoints: ChangePoint[] = [];

  for (const unit of units) {
    const series = unitSignals(unit, byUnit.get(unit)!, scheme, rules);
    warnings.push(...series.warnings);
    const unitBreakpoints: Breakpoint[] = [];
    for (const signal of SIGNALS) {
      const rule = rules.signals[signal];
      const values = series.values[signal];
      let baseline = NaN;
      if (rule.threshold.kind === 'relative') {
        baseline = signalBaseline(values, rules.baselinePeriods);
        baselines.push({ unit, signal, baseline: Number.isNaN(baseline) ? null : baseline });
        if (Number.isNaN(baseline)) continue;
        if (baseline <= 0) {
          warnings.push(`unit ${unit}: the ${signal} baseline is ${baseline}, so its relative rule cannot be evaluated.`);
          continue;
        }
      }
      const level = overLevel(rule.threshold, baseline);
      for (const run of overRuns(values, (v) => isOver(rule.threshold, v, level), rules.persistence)) {
        unitBreakpoints.push({
          unit,
          signal,
          cells: rule.cells,
          start: periodLabel(series.firstPeriod + run.first, scheme),
          end: periodLabel(series.firstPeriod + run.last, scheme),
          periods: run.periods,
          peak: run.peak,
          level,
          baseline: rule.threshold.kind === 'relative' ? baseline : null,
          ruleVersion: rules.version,
        });
      }
    }
    breakpoints.push(...unitBreakpoints);
    signals.push(...signalRows(series, scheme));
    if (options.changePoints !== false) {
      changePoints.push(...unitChangePoints(series, scheme, rules, unitBreakpoints, options.changePointPenalty));
    }
  }

  return {
    period: scheme.kind,
    ...(scheme.kind === 'sprint' ? { sprintAnchor: scheme.sprintAnchor } : {}),
    ruleVersion: rules.version,
    rules,
    n: events.length,
    units,
    breakpoints,
    signals,
    baselines,
    changePoints,
    diagnostics: { converged: true, iterations: 0, warnings },
  };
}

function signalRows(series: UnitSignalSeries, scheme: PeriodScheme): SignalRow[] {
  const rows: SignalRow[] = new Array(series.periods);
  for (let p = 0; p < series.periods; p++) {
    const row: Record<string, unknown> = { unit: series.unit, period: periodLabel(series.firstPeriod + p, scheme) };
    for (const s of SIGNALS) {
      const v = series.values[s][p];
      row[s] = Number.isNaN(v) ? null : v;
    }
    row.conflictIncidents = series.conflictIncidents[p];
    rows[p] = row as SignalRow;
  }
  return rows;
}

function unitChangePoints(
  series: UnitSignalSeries,
  scheme: PeriodScheme,
  rules: BreakpointRuleSet,
  breakpoints: readonly Breakpoint[],
  penalty: number | undefined,
): ChangePoint[] {
  const out: ChangePoint[] = [];
  const all: [SignalName | 'conflictIncidents', Float64Array][] = [
    ...SIGNALS.map((s) => [s, series.values[s]] as [SignalName, Float64Array]),
    ['conflictIncidents', series.conflictIncidents],
  ];
  for (const [signal, values] of all) {
    const found = detectMeanShifts(values, { minSegment: rules.persistence, penalty });
    for (let j = 1; j < found.segments.length; j++) {
      const prev = found.segments[j - 1];
      const seg = found.segments[j];
      const start = periodLabel(series.firstPeriod + seg.start, scheme);
      const end = periodLabel(series.firstPeriod + seg.end, scheme);
      const shift = seg.mean - prev.mean;
      out.push({
        unit: series.unit,
        signal,
        period: start,
        before: prev.mean,
        after: seg.mean,
        shift,
        direction: shift >= 0 ? 'up' : 'down',
        periodsBefore: prev.n,
        periodsAfter: seg.n,
        standardizedShift: shift / found.sigma,
        coveredByRule: breakpoints.some((b) => b.signal === signal && b.start <= end && b.end >= start),
      });
    }
  }
  return out;
}
