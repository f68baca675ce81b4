import type { Cell, DimensionName } from '../sei_model.js';
import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';

/**
 * The part of a unit-wave score (shared/CONTRACT.md `score`, `scoreUnits`) that drift and
 * diagnosis read. `UnitScore` from analysis/scoring satisfies it, and so does each entry of
 * `seici score --json`'s `units`.
 */
export interface UnitWaveScore {
  readonly unit: string;
  readonly wave: string;
  readonly n?: number;
  readonly cells: Readonly<Record<Cell, number>>;
  readonly z: Readonly<Record<DimensionName, number>>;
  readonly misalignment: number;
  readonly dominant: DimensionName | null;
}

export interface DriftOptions {
  /**
   * The coherence capacity: the largest rise in M from the unit's baseline that it is
   * taken to absorb; a larger rise flags drift. Default 0.5, the modest dispersion
   * (≈ 0.5 SD) at which shared/DESIGN.md expects performance to peak.
   */
  readonly capacity?: number;
  /** Wave order; default the order in which waves first appear in the scores. */
  readonly waves?: readonly string[];
  /** The baseline wave; default the first wave. A unit without it uses its own first wave. */
  readonly baselineWave?: string;
}

/** One unit's misalignment across waves. */
export interface UnitDrift {
  readonly unit: string;
  readonly baselineWave: string;
  readonly baseline: number;
  readonly history: readonly {
    readonly wave: string;
    readonly misalignment: number;
    /** M − M at the baseline wave. */
    readonly change: number;
    readonly dominant: DimensionName | null;
  }[];
  readonly latestWave: string;
  /** M at the latest wave − M at the baseline (the rise compared with the capacity). */
  readonly change: number;
  /** Least-squares slope of M on the wave's position (0, 1, 2, … in wave order); null with one wave. */
  readonly trend: number | null;
  /** True when `change` exceeds the coherence capacity. */
  readonly drifting: boolean;
  /** The dominant dimension wave by wave, and how often it changed. */
  readonly dominance: readonly (DimensionName | null)[];
  readonly dominanceChanges: number;
  /** The dimension dominant in every wave, when there is one. */
  readonly persistentDominant: DimensionName | null;
}

export interface DriftAnalysis {
  readonly capacity: number;
  readonly waves: readonly string[];
  readonly baselineWave: string;
  readonly units: readonly UnitDrift[];
  readonly diagnostics: Diagnostics;
}

/**
 * Drift of each unit's misalignment M = SD(zS, zR, zT) across waves (shared/DESIGN.md
 * "Drift = change in M from the unit's baseline wave"): M per wave, its change from the
 * baseline wave, the trend (ordinary least-squares slope of M on wave position, so waves a
 * unit missed keep their place), a drift flag when the rise M(latest) − M(baseline) exceeds
 * the coherence capacity, and the history of the dominant dimension (largest z). A unit that
 * lacks the baseline wave is measured from its own first wave (the warning says which).
 * Unit-waves with a missing M are skipped. Units are sorted by name. The trend equals R's
 * `coef(lm(M ~ position))[2]` (test/fixtures/r/dynamics-time-trend.R); drift per wave equals
 * `scoreUnits`' `drift` (shared/CONTRACT.md `score`, step 5).
 */
export function unitDrift(scores: readonly UnitWaveScore[], options: DriftOptions = {}): DriftAnalysis {
  const capacity = options.capacity ?? 0.5;
  if (!(capacity >= 0) || !Number.isFinite(capacity)) {
    throw new InputError('capacity', `capacity must be a number ≥ 0; got ${options.capacity}.`);
  }
  const waves = options.waves ? [...options.waves] : [...new Set(scores.map((s) => s.wave))];
  const position = new Map(waves.map((w, i) => [w, i]));
  const baselineWave = options.baselineWave ?? waves[0] ?? '';
  if (scores.length > 0 && !position.has(baselineWave)) {
    throw new InputError('baselineWave', `baselineWave "${baselineWave}" is not one of the waves (${waves.join(', ')}).`);
  }
  const byUnit = new Map<string, UnitWaveScore[]>();
  for (const s of scores) {
    if (!position.has(s.wave)) throw new InputError('waves', `unit ${s.unit} has wave "${s.wave}", which waves does not list.`);
    if (!Number.isFinite(s.misalignment)) continue;
    let list = byUnit.get(s.unit);
    if (list === undefined) byUnit.set(s.unit, (list = []));
    if (list.some((x) => x.wave === s.wave)) throw new InputError('scores', `unit ${s.unit} has two scores for wave ${s.wave}.`);
    list.push(s);
  }
  const warnings: string[] = [];
  const units: UnitDrift[] = [];
  for (const unit of [...byUnit.keys()].sort()) {
    const list = byUnit.get(unit)!.sort((a, b) => position.get(a.wave)! - position.get(b.wave)!);
    const base = list.find((s) => s.wave === baselineWave) ?? list[0];
    if (base.wave !== baselineWave) warnings.push(`unit ${unit} has no score in ${baselineWave}; its drift is measured from ${base.wave}.`);
    const from = list.indexOf(base);
    const history = list.slice(from).map((s) => ({
      wave: s.wave,
      misalignment: s.misalignment,
      change: s.misalignment - base.misalignment,
      dominant: s.dominant,
    }));
    const latest = history[history.length - 1];
    const dominance = history.map((h) => h.dominant);
    let dominanceChanges = 0;
    for (let i = 1; i < dominance.length; i++) if (dominance[i] !== dominance[i - 1]) dominanceChanges++;
    units.push({
      unit,
      baselineWave: base.wave,
      baseline: base.misalignment,
      history,
      latestWave: latest.wave,
      change: latest.change,
      trend: slope(history.map((h) => position.get(h.wave)!), history.map((h) => h.misalignment)),
      drifting: latest.change > capacity,
      dominance,
      dominanceChanges,
      persistentDominant: dominanceChanges === 0 ? dominance[0] : null,
    });
  }
  return { capacity, waves, baselineWave, units, diagnostics: { converged: true, iterations: 0, warnings } };
}

/** Ordinary least-squares slope of y on x; null for fewer than two distinct x. */
function slope(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}
