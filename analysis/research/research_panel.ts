import { InputError } from '../errors.js';

/**
 * A unit-wave panel as the research commands read it: one row per unit and wave, the unit and
 * wave labels, and numeric columns (NaN for a missing value).
 */
export interface LongPanel {
  readonly unit: readonly string[];
  readonly wave: readonly string[];
  readonly columns: Readonly<Record<string, Float64Array>>;
  /** Names the source in error messages (e.g. "--csv panel.csv"). */
  readonly source?: string;
}

/** The variables of the model's three-wave design that come from T1. */
export const T1_VARIABLES = [
  'SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'dynamism',
  'visCoherence', 'visOutcome', 'leadershipDensity',
] as const;
/** The dynamics measured at T2. */
export const T2_VARIABLES = ['drift', 'rework'] as const;
/** The outcome measured at T3. */
export const T3_VARIABLES = ['PQ'] as const;

/** One row per unit: T1 predictors, T2 dynamics, T3 outcome (NaN where the unit lacks that wave or value). */
export interface ThreeWaveData {
  readonly waves: readonly [string, string, string];
  readonly units: readonly string[];
  readonly columns: Readonly<Record<string, Float64Array>>;
}

/** The distinct waves in order of first appearance. */
export function wavesInOrder(panel: LongPanel): string[] {
  return [...new Set(panel.wave)];
}

/**
 * The model's three-wave design (shared/DESIGN.md): SC, RC, TC, the levers, SxA, M, dynamism,
 * the visibility scales and leadership density from T1, drift and rework from T2, PQ from T3,
 * on one row per unit (units in order of first appearance). `waves` names T1, T2, T3; by default
 * the first three waves in the file's order. A unit-wave given twice is an input error.
 */
export function threeWaveData(panel: LongPanel, waves?: readonly string[]): ThreeWaveData {
  const order = wavesInOrder(panel);
  const source = panel.source ?? 'the panel';
  let chosen: string[];
  if (waves) {
    if (waves.length !== 3) throw new InputError('--waves', `--waves must name three waves (T1, T2, T3); got ${waves.length}.`);
    for (const w of waves) if (!order.includes(w)) throw new InputError('--waves', `--waves names wave "${w}", which ${source} does not have.`);
    if (new Set(waves).size !== 3) throw new InputError('--waves', '--waves must name three different waves.');
    chosen = [...waves];
  } else {
    if (order.length < 3) throw new InputError('--waves', `${source} has ${order.length} wave${order.length === 1 ? '' : 's'}; the three-wave design needs three.`);
    chosen = order.slice(0, 3);
  }
  const units = [...new Set(panel.unit)];
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const rowOf = chosen.map(() => new Int32Array(units.length).fill(-1));
  for (let r = 0; r < panel.unit.length; r++) {
    const k = chosen.indexOf(panel.wave[r]);
    if (k < 0) continue;
    const u = unitIndex.get(panel.unit[r])!;
    if (rowOf[k][u] >= 0) {
      throw new InputError('--csv', `${source}: row ${r + 1} repeats unit "${panel.unit[r]}" in wave "${panel.wave[r]}" (first given in row ${rowOf[k][u] + 1}).`);
    }
    rowOf[k][u] = r;
  }
  const columns: Record<string, Float64Array> = {};
  const take = (name: string, k: number) => {
    const src = panel.columns[name];
    if (!src) return;
    columns[name] = Float64Array.from(rowOf[k], (r) => (r < 0 ? NaN : src[r]));
  };
  for (const v of T1_VARIABLES) take(v, 0);
  for (const v of T2_VARIABLES) take(v, 1);
  for (const v of T3_VARIABLES) take(v, 2);
  return { waves: chosen as [string, string, string], units, columns };
}

/** The columns `vars` restricted to the units that have every one of them. */
export function completeUnits(data: ThreeWaveData, vars: readonly string[]): { units: string[]; columns: Record<string, Float64Array> } {
  const keep: number[] = [];
  for (let i = 0; i < data.units.length; i++) if (vars.every((v) => Number.isFinite(data.columns[v][i]))) keep.push(i);
  const columns: Record<string, Float64Array> = {};
  for (const v of vars) columns[v] = Float64Array.from(keep, (i) => data.columns[v][i]);
  return { units: keep.map((i) => data.units[i]), columns };
}

/** Throws an input error naming the first row that repeats a unit-wave. */
export function requireUniqueUnitWaves(panel: LongPanel): void {
  const seen = new Map<string, number>();
  for (let r = 0; r < panel.unit.length; r++) {
    const key = `${panel.unit[r]}\u0000${panel.wave[r]}`;
    const before = seen.get(key);
    if (before !== undefined) {
      throw new InputError('--csv', `${panel.source ?? 'the panel'}: row ${r + 1} repeats unit "${panel.unit[r]}" in wave "${panel.wave[r]}" (first given in row ${before + 1}).`);
    }
    seen.set(key, r);
  }
}
