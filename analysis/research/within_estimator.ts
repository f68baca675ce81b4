import { closedForm, type Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { leastSquares } from './least_squares.js';
import { clusterCovariance } from './ols_covariance.js';
import { tTwoSided } from '../math/t_distribution.js';

export type PanelEffect = 'individual' | 'twoways';

/** One slope of a panel model with its cluster-robust SE. */
export interface PanelTerm {
  readonly term: string;
  readonly est: number;
  /** Clustered by unit: plm's `vcovHC(method = "arellano", type = "sss")`. */
  readonly se: number;
  readonly t: number;
  /** Two-sided, from t with the model's residual df, as `lmtest::coeftest(fit, vcov)` gives it for a plm fit. */
  readonly p: number;
}

export interface WithinFit {
  /** Rows used. */
  readonly n: number;
  /** Units among them (the clusters). */
  readonly units: number;
  /** Waves among them. */
  readonly waves: number;
  readonly effect: PanelEffect;
  readonly terms: readonly PanelTerm[];
  /** 1 − RSS/TSS of the within-transformed outcome, plm's `r.squared["rsq"]`. */
  readonly r2Within: number;
  /** N − K − units (− (waves − 1) for two-way effects): plm's `df.residual`. */
  readonly dfResidual: number;
  readonly diagnostics: Diagnostics;
}

/**
 * The within (fixed-effects) estimator: y and every regressor are demeaned within units
 * (`individual`), or purged of unit and wave effects (`twoways`: demeaned within units, then
 * residualised on the unit-demeaned wave dummies, the Frisch–Waugh–Lovell route that is exact for
 * unbalanced panels), and the slopes are OLS on the transformed data without an intercept
 * (Wooldridge, 2010, Econometric Analysis of Cross Section and Panel Data, ch. 10). Standard
 * errors are clustered by unit with Stata's factor G/(G − 1)·(N − 1)/(N − K), K the slopes:
 * R's `plm(model = "within", effect = ...)` with `vcovHC(method = "arellano", type = "sss")`, the
 * same as the LSDV regression with unit (and wave) dummies and CR1 over the slopes.
 * Rows must be complete (the caller drops incomplete ones).
 */
export function withinEstimator(
  unit: readonly string[],
  wave: readonly string[],
  y: Float64Array,
  regressors: readonly Float64Array[],
  names: readonly string[],
  effect: PanelEffect,
  label = 'panel model',
): WithinFit {
  const n = y.length;
  const unitIds = ids(unit);
  const waveIds = ids(wave);
  const G = unitIds.count;
  const T = waveIds.count;
  const demean = (x: Float64Array) => demeanWithin(x, unitIds.id, G);
  let yt = demean(y);
  let xt = regressors.map(demean);
  if (effect === 'twoways' && T > 1) {
    const dummies: Float64Array[] = [];
    for (let w = 1; w < T; w++) dummies.push(demean(Float64Array.from(waveIds.id, (k) => (k === w ? 1 : 0))));
    const names = waveIds.labels.slice(1).map((w) => `wave ${w}`);
    const purge = (v: Float64Array) => leastSquares(dummies, names, v, `${label} (wave effects)`).residuals;
    yt = purge(yt);
    xt = xt.map(purge);
  }
  for (const [j, x] of xt.entries()) {
    let ss = 0;
    let so = 0;
    for (let i = 0; i < n; i++) {
      ss += x[i] * x[i];
      so += regressors[j][i] * regressors[j][i];
    }
    if (!(ss > 1e-20 * Math.max(so, 1e-300))) {
      throw new InputError(label, `${label}: ${names[j]} does not vary within units${effect === 'twoways' ? ' once wave effects are removed' : ''}, so the fixed effects absorb it.`);
    }
  }
  const fit = leastSquares(xt, names, yt, label);
  const V = clusterCovariance(fit, unitIds.id, label);
  const K = names.length;
  const dfResidual = n - K - G - (effect === 'twoways' ? T - 1 : 0);
  if (dfResidual <= 0) throw new InputError(label, `${label}: ${n} rows leave no residual degrees of freedom after ${G} unit effects and ${K} slopes.`);
  const terms = names.map((term, j): PanelTerm => {
    const est = fit.coefficients[j];
    const se = Math.sqrt(V[j * K + j]);
    const t = est / se;
    return { term, est, se, t, p: tTwoSided(t, dfResidual) };
  });
  let tss = 0;
  for (let i = 0; i < n; i++) tss += yt[i] * yt[i];
  const warnings: string[] = [];
  const singletons = unitIds.sizes.filter((s) => s === 1).length;
  if (singletons > 0) warnings.push(`${singletons} unit${singletons === 1 ? ' has' : 's have'} one row only and add nothing to the within estimate.`);
  return { n, units: G, waves: T, effect, terms, r2Within: 1 - fit.rss / tss, dfResidual, diagnostics: closedForm(warnings) };
}

function ids(labels: readonly string[]): { id: Int32Array; count: number; sizes: number[]; labels: string[] } {
  const map = new Map<string, number>();
  const id = new Int32Array(labels.length);
  const sizes: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    let k = map.get(labels[i]);
    if (k === undefined) {
      k = map.size;
      map.set(labels[i], k);
      sizes.push(0);
    }
    id[i] = k;
    sizes[k]++;
  }
  return { id, count: map.size, sizes, labels: [...map.keys()] };
}

function demeanWithin(x: Float64Array, id: Int32Array, groups: number): Float64Array {
  const sum = new Float64Array(groups);
  const count = new Float64Array(groups);
  for (let i = 0; i < x.length; i++) {
    sum[id[i]] += x[i];
    count[id[i]]++;
  }
  return Float64Array.from(x, (v, i) => v - sum[id[i]] / count[id[i]]);
}
