import { CELLS, DIMENSION_NAMES, DIMENSIONS, type Cell, type DimensionName } from '../sei_model.js';
import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { DEFAULT_RULES, type BreakpointRuleSet } from './rules.js';
import type { Breakpoint, ChangePoint } from './evaluate_breakpoints.js';
import type { DriftAnalysis, UnitDrift, UnitWaveScore } from './drift.js';
import { INTERVENTIONS, type Intervention } from './interventions.js';
import type { PerformanceRecord } from './performance_quality.js';

export interface DiagnosisInput {
  /** Unit-wave scores (visible units only: suppressed ones must not be passed). */
  readonly scores: readonly UnitWaveScore[];
  /** The wave diagnosed; default the last wave in `drift.waves`, else the last to appear. */
  readonly wave?: string;
  readonly drift?: DriftAnalysis;
  readonly breakpoints?: readonly Breakpoint[];
  readonly changePoints?: readonly ChangePoint[];
  /** Performance-quality outcomes: reported beside the diagnosis, never used to rank. */
  readonly performance?: readonly PerformanceRecord[];
  /** The rules whose cells a change point's signal implicates; default DEFAULT_RULES. */
  readonly rules?: BreakpointRuleSet;
}

export interface DiagnosisOptions {
  /** How many of the weakest cells to list (3). */
  readonly weakest?: number;
  /** Evidence weight of one breakpoint implicating a cell (1). */
  readonly breakpointWeight?: number;
  /** Evidence weight of one upward change point the rules missed (0.5). */
  readonly changePointWeight?: number;
  /** Evidence weight of drift, given to the cells of the unit's lowest dimension (0.5). */
  readonly driftWeight?: number;
}

/** A cell compared with the organisation in the diagnosed wave. */
export interface RelativeCell {
  readonly cell: Cell;
  readonly score: number;
  /** Mean and SD (n − 1) of the cell over the wave's units. */
  readonly organisationMean: number;
  readonly organisationSd: number;
  /** (score − mean) / SD; NaN when SD is 0 or there is one unit. */
  readonly z: number;
}

export interface RankedIntervention extends Intervention {
  /** The sum of the evidence weights below. */
  readonly score: number;
  readonly evidence: readonly string[];
}

export interface UnitDiagnosis {
  readonly unit: string;
  readonly wave: string;
  readonly cells: readonly RelativeCell[];
  /** The weakest cells below the organisation mean, weakest first. */
  readonly weakestCells: readonly RelativeCell[];
  readonly drift: UnitDrift | null;
  readonly breakpoints: readonly Breakpoint[];
  /** Upward shifts the rules did not catch. */
  readonly changePoints: readonly ChangePoint[];
  /** Each cell implicated by the unit's breakpoints, with how many implicate it. */
  readonly implicatedCells: readonly { readonly cell: Cell; readonly breakpoints: number }[];
  readonly interventions: readonly RankedIntervention[];
  /** Weak or implicated cells that no exemplar intervention addresses. */
  readonly uncoveredCells: readonly Cell[];
  /** The unit's latest value of each PQ measure (kept apart from the evidence). */
  readonly performance: Readonly<Record<string, { readonly period: string; readonly value: number }>>;
}

export interface DiagnosisResult {
  readonly wave: string;
  readonly units: readonly UnitDiagnosis[];
  readonly options: Required<DiagnosisOptions>;
  readonly diagnostics: Diagnostics;
}

/**
 * Diagnoses each unit in one wave: its cells relative to the organisation (z over the
 * wave's units), its weakest cells, its drift, its breakpoints and the cells they
 * implicate, the upward shifts its change points found beyond the rules, and the exemplar
 * interventions of shared/DESIGN.md ranked by the evidence for each.
 *
 * An intervention's score is the sum over the cells it addresses of
 *   max(0, −z) (how far the cell lies below the organisation)
 *   + breakpointWeight × (breakpoints implicating the cell)
 *   + changePointWeight × (upward change points the rules missed whose signal implicates it)
 *   + driftWeight × [the unit drifts and the cell belongs to its lowest-z dimension];
 * every term that contributes is written out as one line of evidence. Interventions with no
 * evidence are left out; ties keep DESIGN's order. PQ outcomes are listed, never scored
 * (they are the outcome the model predicts, not evidence of where it breaks).
 * This is a transparent heuristic of this project, not a published scoring rule.
 */
export function diagnoseUnits(input: DiagnosisInput, options: DiagnosisOptions = {}): DiagnosisResult {
  const opts: Required<DiagnosisOptions> = {
    weakest: options.weakest ?? 3,
    breakpointWeight: options.breakpointWeight ?? 1,
    changePointWeight: options.changePointWeight ?? 0.5,
    driftWeight: options.driftWeight ?? 0.5,
  };
  for (const [name, v] of Object.entries(opts)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new InputError(name, `${name} must be a number ≥ 0; got ${v}.`);
  }
  const rules = input.rules ?? DEFAULT_RULES;
  const waves = input.drift?.waves ?? [...new Set(input.scores.map((s) => s.wave))];
  const wave = input.wave ?? waves[waves.length - 1];
  if (wave === undefined) throw new InputError('scores', 'scores must hold at least one unit-wave.');
  const current = input.scores.filter((s) => s.wave === wave);
  if (current.length === 0) throw new InputError('wave', `no unit has a score in wave "${wave}".`);

  const org = new Map<Cell, { mean: number; sd: number }>();
  for (const cell of CELLS) {
    const v = current.map((s) => s.cells[cell]).filter((x) => Number.isFinite(x));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : NaN;
    org.set(cell, { mean, sd });
  }
  const visible = new Set(current.map((s) => s.unit));
  const warnings: string[] = [];
  const hidden = new Set([...(input.breakpoints ?? []).map((b) => b.unit)].filter((u) => !visible.has(u)));
  if (hidden.size > 0) warnings.push(`${hidden.size} unit${hidden.size === 1 ? '' : 's'} with breakpoints but no visible score in ${wave} ${hidden.size === 1 ? 'is' : 'are'} not diagnosed.`);

  const units: UnitDiagnosis[] = [];
  for (const s of [...current].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0))) {
    const cells: RelativeCell[] = CELLS.map((cell) => {
      const { mean, sd } = org.get(cell)!;
      const score = s.cells[cell];
      return { cell, score, organisationMean: mean, organisationSd: sd, z: sd > 0 ? (score - mean) / sd : NaN };
    });
    const weakestCells = cells
      .filter((c) => c.z < 0)
      .sort((a, b) => a.z - b.z)
      .slice(0, opts.weakest);
    const drift = input.drift?.units.find((d) => d.unit === s.unit) ?? null;
    const breakpoints = (input.breakpoints ?? []).filter((b) => b.unit === s.unit);
    const changePoints = (input.changePoints ?? []).filter((c) => c.unit === s.unit && !c.coveredByRule && c.direction === 'up');
    const implicated = new Map<Cell, number>();
    for (const b of breakpoints) for (const c of b.cells) implicated.set(c, (implicated.get(c) ?? 0) + 1);
    const implicatedCells = CELLS.filter((c) => implicated.has(c)).map((cell) => ({ cell, breakpoints: implicated.get(cell)! }));

    const lowest = lowestDimension(s.z);
    const ranked: RankedIntervention[] = [];
    for (const iv of INTERVENTIONS) {
      let score = 0;
      const evidence: string[] = [];
      for (const cell of iv.cells) {
        const rc = cells.find((c) => c.cell === cell)!;
        if (rc.z < 0) {
          score += -rc.z;
          evidence.push(`${cell} is ${(-rc.z).toFixed(2)} SD below the organisation in ${wave} (${rc.score.toFixed(2)} vs ${rc.organisationMean.toFixed(2)}).`);
        }
        for (const b of breakpoints.filter((x) => x.cells.includes(cell))) {
          score += opts.breakpointWeight;
          evidence.push(`${b.signal} breakpoint ${b.start} to ${b.end} (${b.periods} periods, peak ${round(b.peak)}) implicates ${cell}.`);
        }
        for (const c of changePoints.filter((x) => changePointCells(x, rules).includes(cell))) {
          score += opts.changePointWeight;
          evidence.push(`${c.signal} shifted up from ${round(c.before)} to ${round(c.after)} from ${c.period}, below the breakpoint rules; it implicates ${cell}.`);
        }
        if (drift?.drifting && lowest !== null && DIMENSION_NAMES[cell[0] as 'S' | 'R' | 'T'] === lowest) {
          score += opts.driftWeight;
          evidence.push(`M rose by ${round(drift.change)} since ${drift.baselineWave}, beyond the capacity ${input.drift!.capacity}; ${cell} belongs to the lagging ${lowest} dimension.`);
        }
      }
      if (evidence.length > 0) ranked.push({ ...iv, score, evidence });
    }
    ranked.sort((a, b) => b.score - a.score);
    const covered = new Set(INTERVENTIONS.flatMap((i) => i.cells));
    const uncoveredCells = CELLS.filter((c) => !covered.has(c) && (implicated.has(c) || weakestCells.some((w) => w.cell === c)));

    units.push({
      unit: s.unit,
      wave,
      cells,
      weakestCells,
      drift,
      breakpoints,
      changePoints,
      implicatedCells,
      interventions: ranked,
      uncoveredCells,
      performance: latestPerformance(input.performance ?? [], s.unit),
    });
  }
  return { wave, units, options: opts, diagnostics: { converged: true, iterations: 0, warnings } };
}

/** The dimension with the smallest z (the one lagging behind), null when none is finite. */
function lowestDimension(z: Readonly<Record<DimensionName, number>>): DimensionName | null {
  let best: DimensionName | null = null;
  for (const d of DIMENSIONS) {
    const name = DIMENSION_NAMES[d];
    if (Number.isFinite(z[name]) && (best === null || z[name] < z[best])) best = name;
  }
  return best;
}

/** The cells a change point's signal implicates: its rule's, or R×C and R×A for conflict incidents (DESIGN's trust erosion). */
function changePointCells(c: ChangePoint, rules: BreakpointRuleSet): readonly Cell[] {
  return c.signal === 'conflictIncidents' ? ['RxC', 'RxA'] : rules.signals[c.signal].cells;
}

function latestPerformance(records: readonly PerformanceRecord[], unit: string): Record<string, { period: string; value: number }> {
  const out: Record<string, { period: string; value: number }> = {};
  for (const r of records) if (r.unit === unit) out[r.measure] = { period: r.period, value: r.value };
  return out;
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}
