import { impliedMoments, type ImpliedMoments } from '../implied_moments.js';
import { groupMatrices, modelStructure, type GroupMatrices, type ModelStructure } from '../model_matrices.js';
import type { ParameterRow, ParameterTable } from '../parameter_table.js';

/**
 * How the latent responses y* of ordered indicators are scaled (lavaan's `parameterization`):
 * `delta` fixes the scale factors Δ = 1/sd(y*) (to 1 in a single group) and leaves the residual
 * variances as what remains, θ = Δ⁻² − diag(ΛΦΛᵀ); `theta` fixes the residual variances (to 1) and
 * Δ follows from the implied variances.
 */
export type OrdinalParameterization = 'delta' | 'theta';

/** A threshold (`x | t1`) or scale-factor (`x ~*~ x`) parameter of one group. */
export interface OrdinalParameter {
  readonly variable: number;
  readonly group: number;
  /** Threshold number k (1-based); 0 for a scale factor. */
  readonly k: number;
  /** 1-based index into the full parameter vector, or 0 when fixed at `value`. */
  free: number;
  value: number;
  /** Equality label across groups ("" when none). */
  label: string;
}

/**
 * A model for ordered indicators: the continuous structure of the parameter table (loadings,
 * latent (co)variances, regressions) with each ordered indicator's residual variance and intercept
 * fixed, plus thresholds and scale factors. Free parameters 1..structure.nFree are the table's,
 * then come the free thresholds and scale factors.
 */
export interface OrdinalModel {
  readonly structure: ModelStructure;
  readonly table: ParameterTable;
  readonly parameterization: OrdinalParameterization;
  readonly categories: readonly number[];
  /** Per group: thresholds in variable order (k inner), as the statistics order them. */
  readonly thresholds: readonly (readonly OrdinalParameter[])[];
  /** Per group: one scale factor per variable. */
  readonly scales: readonly (readonly OrdinalParameter[])[];
  readonly nFree: number;
  readonly nStatistics: number;
}

/** What `ordinalModel` takes besides the table. */
export interface OrdinalModelOptions {
  readonly parameterization?: OrdinalParameterization;
  /** Thresholds equal across groups (semTools/lavaan group.equal = "thresholds"). */
  readonly equalThresholds?: boolean;
  /**
   * Free in groups after the first: the scale factors (delta) or residual variances (theta), as
   * identification needs once thresholds and loadings are equal (Wu & Estabrook, 2016).
   */
  readonly freeScales?: boolean;
  /** Free intercepts of the ordered indicators in groups after the first (Wu & Estabrook's thresholds-only step). */
  readonly freeIntercepts?: boolean;
  /**
   * Ordered indicators released from equal thresholds (partial invariance): their thresholds are free
   * in every group and, as in the configural model, their intercept is 0 and their scale factor (delta)
   * or residual variance (theta) fixed in every group.
   */
  readonly releasedThresholds?: readonly string[];
  /** Ordered indicators whose intercept is free outside the first group although intercepts are held equal (partial invariance). */
  readonly releasedIntercepts?: readonly string[];
}

/**
 * Builds the ordinal model of lavaan's `ordered = TRUE` fits (lavaan 0.6.14, lav_partable with
 * categorical data): for every ordered indicator the intercept is fixed to 0, the residual variance is
 * fixed (theta: 1) or derived (delta), the scale factor is 1, and K − 1 thresholds are free in each
 * group. `categories[i]` is the number of categories of the table's i-th observed variable.
 */
export function ordinalModel(base: ParameterTable, categories: readonly number[], options: OrdinalModelOptions = {}): OrdinalModel {
  const parameterization = options.parameterization ?? 'delta';
  const rows: ParameterRow[] = base.rows.map((r) => ({ ...r }));
  const ordered = new Set(base.observed);
  const releasedThresholds = new Set(options.releasedThresholds ?? []);
  const releasedIntercepts = new Set(options.releasedIntercepts ?? []);
  for (const r of rows) {
    if (!ordered.has(r.lhs)) continue;
    const configural = releasedThresholds.has(r.lhs);
    if (r.op === '~~' && r.lhs === r.rhs) {
      const freeTheta = parameterization === 'theta' && options.freeScales && r.group > 0 && !configural;
      r.free = freeTheta ? -1 : 0;
      r.value = freeTheta ? NaN : parameterization === 'theta' ? 1 : 0;
      r.label = '';
    } else if (r.op === '~1') {
      const freeNu = (options.freeIntercepts || releasedIntercepts.has(r.lhs)) && r.group > 0 && !configural;
      r.free = freeNu ? -1 : 0;
      r.value = freeNu ? NaN : 0;
      if (!freeNu) r.label = '';
    }
  }
  // renumber the free parameters (rows sharing a label share one)
  let nFree = 0;
  const byOld = new Map<number, number>();
  const byLabel = new Map<string, number>();
  for (const r of rows) {
    if (r.free === 0) continue;
    if (r.free === -1) {
      r.free = ++nFree;
      continue;
    }
    const seen = byOld.get(r.free) ?? (r.label !== '' ? byLabel.get(r.label) : undefined);
    if (seen !== undefined) {
      r.free = seen;
      continue;
    }
    const idx = ++nFree;
    byOld.set(r.free, idx);
    if (r.label !== '') byLabel.set(r.label, idx);
    r.free = idx;
  }
  const table: ParameterTable = { ...base, rows, nFree };
  const structure = modelStructure(table);
  let next = nFree;
  const thresholds: OrdinalParameter[][] = [];
  const scales: OrdinalParameter[][] = [];
  const firstGroupThreshold = new Map<string, number>();
  for (let g = 0; g < base.groups; g++) {
    const th: OrdinalParameter[] = [];
    categories.forEach((K, i) => {
      for (let k = 1; k < K; k++) {
        const key = `${i}|${k}`;
        let free: number;
        if (options.equalThresholds && g > 0 && !releasedThresholds.has(base.observed[i])) free = firstGroupThreshold.get(key)!;
        else {
          free = ++next;
          if (g === 0) firstGroupThreshold.set(key, free);
        }
        const tied = options.equalThresholds && !releasedThresholds.has(base.observed[i]);
        th.push({ variable: i, group: g, k, free, value: NaN, label: tied ? `.th.${key}` : '' });
      }
    });
    thresholds.push(th);
    scales.push(
      categories.map((_, i) => {
        const freeScale = parameterization === 'delta' && options.freeScales && g > 0 && !releasedThresholds.has(base.observed[i]);
        return { variable: i, group: g, k: 0, free: freeScale ? ++next : 0, value: 1, label: '' };
      }),
    );
  }
  const p = categories.length;
  const nTh = categories.reduce((a, K) => a + K - 1, 0);
  return { structure, table, parameterization, categories, thresholds, scales, nFree: next, nStatistics: nTh + (p * (p - 1)) / 2 };
}

/** One group's model-implied statistics and the matrices behind them. */
export interface OrdinalImplied {
  /** Thresholds then correlations, in the order of OrdinalGroupSample.statistics. */
  readonly statistics: Float64Array;
  readonly mats: GroupMatrices;
  /** The implied moments of y*, with the residual variances of the delta parameterization filled in. */
  readonly implied: ImpliedMoments;
  /** Scale factors Δ_i = 1/sd(y*_i). */
  readonly scale: Float64Array;
  /** The implied correlations of y*, ΔΣΔ with a unit diagonal (p × p). */
  readonly correlation: Float64Array;
}

/**
 * The implied thresholds and polychoric correlations of group g (lavaan's computeTH and the
 * correlation part of computeSigmaHat): τ*_ik = Δ_i(τ_ik − μ_i) and ρ*_ij = Δ_iΔ_jσ_ij, with
 * Σ = ΛMΛᵀ + Θ, μ = ν + ΛAα; under delta θ_ii = Δ_i⁻² − (ΛMΛᵀ)_ii, under theta Δ_i = σ_ii^{-1/2}.
 * Null when the structural part cannot be evaluated (I − B singular) or a y* variance is not positive.
 */
export function ordinalImplied(model: OrdinalModel, g: number, x: ArrayLike<number>): OrdinalImplied | null {
  const { structure } = model;
  const { p } = structure;
  const mats = groupMatrices(structure, g, x);
  const value = (q: OrdinalParameter) => (q.free > 0 ? x[q.free - 1] : q.value);
  const scale = new Float64Array(p);
  if (model.parameterization === 'delta') {
    for (let i = 0; i < p; i++) scale[i] = value(model.scales[g][i]);
  }
  const implied = impliedMoments(mats, p, structure.m);
  if (!implied) return null;
  if (model.parameterization === 'delta') {
    for (let i = 0; i < p; i++) {
      const theta = 1 / (scale[i] * scale[i]) - implied.sigma[i * p + i];
      mats.theta[i * p + i] = theta;
      implied.sigma[i * p + i] += theta;
    }
  } else {
    for (let i = 0; i < p; i++) {
      const v = implied.sigma[i * p + i];
      if (!(v > 0)) return null;
      scale[i] = 1 / Math.sqrt(v);
    }
  }
  const statistics = new Float64Array(model.nStatistics);
  let k = 0;
  for (const t of model.thresholds[g]) statistics[k++] = scale[t.variable] * (value(t) - implied.mu[t.variable]);
  const correlation = new Float64Array(p * p);
  for (let i = 0; i < p; i++) correlation[i * p + i] = 1;
  for (let j = 0; j < p - 1; j++) {
    for (let i = j + 1; i < p; i++) {
      const r = scale[i] * scale[j] * implied.sigma[i * p + j];
      correlation[i * p + j] = correlation[j * p + i] = r;
      statistics[k++] = r;
    }
  }
  return { statistics, mats, implied, scale, correlation };
}
