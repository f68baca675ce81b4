import { cholesky, choleskySolve, inverse } from './dense.js';
import type { ModelStructure } from './model_matrices.js';
import { addGradient, type ModelEvaluation } from './objective.js';
import { addPatternInformation, type SortedDescriptors } from './observed_information.js';
import { patternFactors } from './pattern_factors.js';
import { missingPatterns } from './sample_statistics.js';

/** The pieces of robust ML inference (lavaan's estimator = "MLR") for complete data. */
export interface RobustMl {
  /** Sandwich covariance of the estimates, A⁻¹BA⁻¹/N (q × q). */
  readonly covariance: Float64Array;
  /** The Yuan–Bentler (Mplus) scaling factor c of the χ² (χ²_scaled = χ²/c); NaN when df = 0. */
  readonly scalingFactor: number;
  /** tr(A₁⁻¹B₁) summed over groups: the saturated model's part of the trace. */
  readonly traceH1: number;
}

/**
 * Robust ML for complete data as lavaan 0.6.14 does it for estimator = "MLR" (Huber–White
 * standard errors and the Yuan–Bentler χ² in its Mplus form; Yuan & Bentler, 2000,
 * doi:10.1111/0081-1750.00078; Savalei, 2010, doi:10.1080/10705510903439003):
 * - casewise scores sᵢ = ∂ℓᵢ/∂θ = −½∂Fᵢ/∂θ with Fᵢ = ln|Σ| + dᵢᵀΣ⁻¹dᵢ (dᵢ = yᵢ − μ̂, or yᵢ − ȳ
 *   without a mean structure), B = (1/N)Σᵢ sᵢsᵢᵀ (lavaan's first-order information);
 * - A = `information`, the observed information per observation (lavaan's information =
 *   "observed"); Cov(θ̂) = A⁻¹BA⁻¹/N;
 * - c = [Σ_g tr(A₁g⁻¹B₁g) − tr(A⁻¹B)]/df, where A₁g and B₁g are the saturated model's
 *   information and first-order information in group g, evaluated at the sample moments
 *   (lavaan's h1.information = "unstructured" for this test; `saturatedTrace`).
 * `rows[g]` are group g's rows on the model's observed variables. Under full-information ML
 * (rows with missing values; lavaan's missing = "ml" with MLR) each case contributes the score of
 * its observed part, and the saturated part of the trace is `saturatedTraceMissing` at the EM
 * estimates `h1Moments`. With fixed exogenous covariates (`exogenous`, their indices; fixed.x)
 * lavaan leaves the covariates' own means and (co)variances out of the saturated information and
 * scores (x.idx), so the saturated trace is taken on the other entries (`fixedEntries`).
 */
export function robustMl(
  model: ModelStructure,
  evaluation: ModelEvaluation,
  rows: readonly (readonly (readonly number[])[])[],
  information: Float64Array,
  df: number,
  h1Moments?: readonly { readonly mean: Float64Array; readonly cov: Float64Array }[],
  exogenous: readonly number[] = [],
): RobustMl | null {
  const incomplete = rows.some((group) => group.some((y) => y.some((v) => Number.isNaN(v))));
  const { p } = model;
  const q = model.nFree;
  const N = rows.reduce((s, r) => s + r.length, 0);
  const b = new Float64Array(q * q);
  const s = new Float64Array(q);
  const G = new Float64Array(p * p);
  const gMu = new Float64Array(p);
  let traceH1 = 0;
  for (let g = 0; g < rows.length; g++) {
    const { implied, discrepancy } = evaluation.groups[g];
    const v = discrepancy.sigmaInverse ?? inverse(implied.sigma, p);
    if (!v) return null;
    const n = rows[g].length;
    // without a mean structure the residuals are about the sample mean (μ saturated)
    const centre = new Float64Array(p);
    if (model.meanstructure) centre.set(implied.mu);
    else for (const y of rows[g]) for (let j = 0; j < p; j++) centre[j] += y[j] / n;
    traceH1 += saturatedPart(rows[g], p, model.meanstructure, incomplete ? h1Moments![g] : null, exogenous);
    for (const y of rows[g]) {
      caseGradient(y, v, centre, p, G, gMu, model.meanstructure);
      s.fill(0);
      addGradient(model, g, implied, G, gMu, -0.5, s);
      for (let a = 0; a < q; a++) {
        const sa = s[a];
        if (sa === 0) continue;
        for (let c = 0; c <= a; c++) b[a * q + c] += sa * s[c];
      }
    }
  }
  for (let a = 0; a < q; a++)
    for (let c = 0; c <= a; c++) {
      b[a * q + c] /= N;
      b[c * q + a] = b[a * q + c];
    }
  const aInv = inverse(information, q);
  if (!aInv) return null;
  // A⁻¹BA⁻¹/N and tr(A⁻¹B)
  const ab = new Float64Array(q * q);
  for (let i = 0; i < q; i++)
    for (let k = 0; k < q; k++) {
      const x = aInv[i * q + k];
      if (x === 0) continue;
      for (let j = 0; j < q; j++) ab[i * q + j] += x * b[k * q + j];
    }
  let traceH0 = 0;
  for (let i = 0; i < q; i++) traceH0 += ab[i * q + i];
  const covariance = new Float64Array(q * q);
  for (let i = 0; i < q; i++)
    for (let k = 0; k < q; k++) {
      const x = ab[i * q + k];
      if (x === 0) continue;
      for (let j = 0; j < q; j++) covariance[i * q + j] += (x * aInv[k * q + j]) / N;
    }
  return { covariance, scalingFactor: df > 0 ? (traceH1 - traceH0) / df : NaN, traceH1 };
}

/**
 * The Yuan–Bentler (Mplus) scaling factor of the baseline (independence) model's χ², as lavaan
 * reports baseline.chisq.scaling.factor for MLR: every variable with its own variance (and mean)
 * in each group, so A and B are diagonal and, per group and variable,
 * tr(A⁻¹B) = (1/n_j)Σᵢ[½(zᵢ² − 1)² (+ zᵢ² with means)], zᵢ² = (yᵢ − ȳ)²/s² over the n_j rows that
 * observe the variable (fixed exogenous covariates, `exogenous`, have no free moments in the
 * baseline and add nothing); the saturated part is `saturatedTrace` (or `saturatedTraceMissing` at the
 * EM estimates `h1Moments` under full-information ML), as for the model; `traceH1`, the model's
 * RobustMl.traceH1 over the same rows, saves computing it again.
 */
export function baselineScalingFactor(
  rows: readonly (readonly (readonly number[])[])[],
  p: number,
  meanstructure: boolean,
  df: number,
  h1Moments?: readonly { readonly mean: Float64Array; readonly cov: Float64Array }[],
  traceH1?: number,
  exogenous: readonly number[] = [],
): number {
  let trace = traceH1 ?? 0;
  rows.forEach((group, g) => {
    // each variable's own (available-case) mean and variance: the baseline's estimates, FIML or not
    const count = new Float64Array(p);
    const mean = new Float64Array(p);
    const variance = new Float64Array(p);
    for (const y of group) for (let j = 0; j < p; j++) if (!Number.isNaN(y[j])) {
      count[j]++;
      mean[j] += y[j];
    }
    for (let j = 0; j < p; j++) mean[j] /= count[j];
    for (const y of group) for (let j = 0; j < p; j++) if (!Number.isNaN(y[j])) variance[j] += (y[j] - mean[j]) ** 2;
    for (let j = 0; j < p; j++) variance[j] /= count[j];
    let h0 = 0;
    for (const y of group)
      for (let j = 0; j < p; j++) {
        if (Number.isNaN(y[j]) || exogenous.includes(j)) continue;
        const z2 = (y[j] - mean[j]) ** 2 / variance[j];
        h0 += (0.5 * (z2 - 1) ** 2 + (meanstructure ? z2 : 0)) / count[j];
      }
    trace -= h0;
    if (traceH1 !== undefined) return;
    const incomplete = group.some((y) => y.some((v) => Number.isNaN(v)));
    trace += saturatedPart(group, p, meanstructure, incomplete ? h1Moments![g] : null, exogenous);
  });
  return trace / df;
}

/**
 * One group's saturated part of the trace: `saturatedTrace` at the sample moments for complete
 * rows, `saturatedTraceMissing` at the EM moments `h1` otherwise; with fixed exogenous covariates
 * the latter on the entries fixed.x leaves free (for complete rows at the sample moments, where
 * the observed information of the saturated model is the complete-data one, block diagonal in μ
 * and Σ, so leaving the means out without a mean structure is exact).
 */
function saturatedPart(
  rows: readonly (readonly number[])[],
  p: number,
  meanstructure: boolean,
  h1: { readonly mean: Float64Array; readonly cov: Float64Array } | null,
  exogenous: readonly number[],
): number {
  if (exogenous.length === 0) return h1 ? saturatedTraceMissing(rows, p, h1) : saturatedTrace(rows, p, meanstructure);
  return saturatedTraceMissing(rows, p, h1 ?? sampleMoments(rows, p), fixedEntries(p, exogenous, h1 !== null || meanstructure));
}

/** Mean and covariance (divisor n) of complete rows. */
function sampleMoments(rows: readonly (readonly number[])[], p: number): { mean: Float64Array; cov: Float64Array } {
  const n = rows.length;
  const mean = new Float64Array(p);
  for (const y of rows) for (let j = 0; j < p; j++) mean[j] += y[j] / n;
  const cov = new Float64Array(p * p);
  for (const y of rows)
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) cov[j * p + k] += ((y[j] - mean[j]) * (y[k] - mean[k])) / n;
  return { mean, cov };
}

/**
 * tr(A₁⁻¹B₁) of one group's saturated model at the sample moments (lavaan's h1.information =
 * "unstructured", which the Mplus form of the test uses), per observation: with rᵢ =
 * (yᵢ − ȳ)ᵀS⁻¹(yᵢ − ȳ) (S with divisor n) the covariance part is (1/n)Σᵢ ½(rᵢ² − 2rᵢ + p), the
 * dual norm of the casewise score ½(S⁻¹ddᵀS⁻¹ − S⁻¹) under the information ½tr(S⁻¹XS⁻¹Y), and
 * a mean structure adds (1/n)Σᵢ rᵢ = p.
 */
export function saturatedTrace(rows: readonly (readonly number[])[], p: number, meanstructure: boolean): number {
  const n = rows.length;
  const { mean, cov } = sampleMoments(rows, p);
  const l = cholesky(cov, p);
  if (!l) return NaN;
  let trace = 0;
  const d = new Float64Array(p);
  for (const y of rows) {
    for (let j = 0; j < p; j++) d[j] = y[j] - mean[j];
    const sol = choleskySolve(l, p, d);
    let r = 0;
    for (let j = 0; j < p; j++) r += d[j] * sol[j];
    trace += 0.5 * (r * r - 2 * r + p) + (meanstructure ? r : 0);
  }
  return trace / n;
}

/**
 * ∂Fᵢ/∂Σ and ∂Fᵢ/∂μ of one case, Fᵢ = ln|Σ_oo| + d_oᵀΣ_oo⁻¹d_o on its observed variables o
 * (d = y − μ), embedded in p × p and p with zeros elsewhere: G = V_o − V_o d dᵀV_o, g = −2V_o d.
 * `v` is Σ⁻¹ for a complete case (then V_o = v without inverting again).
 */
function caseGradient(y: readonly number[], v: Float64Array, centre: Float64Array, p: number, G: Float64Array, gMu: Float64Array, meanstructure: boolean): void {
  G.fill(0);
  gMu.fill(0);
  const obs: number[] = [];
  for (let j = 0; j < p; j++) if (!Number.isNaN(y[j])) obs.push(j);
  const k = obs.length;
  let vo: Float64Array;
  if (k === p) vo = v;
  else {
    // Σ_oo⁻¹ from Σ = v⁻¹: invert v, take the block, invert it
    const sigma = SIGMA_CACHE.get(v) ?? inverse(v, p)!;
    SIGMA_CACHE.set(v, sigma);
    const sub = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) sub[a * k + c] = sigma[obs[a] * p + obs[c]];
    vo = inverse(sub, k)!;
  }
  const d = obs.map((j) => y[j] - centre[j]);
  const vd = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let t = 0;
    for (let c = 0; c < k; c++) t += vo[a * k + c] * d[c];
    vd[a] = t;
  }
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < k; c++) G[obs[a] * p + obs[c]] = vo[a * k + c] - vd[a] * vd[c];
    if (meanstructure) gMu[obs[a]] = -2 * vd[a];
  }
}

const SIGMA_CACHE = new WeakMap<Float64Array, Float64Array>();

/**
 * Casewise scores of the saturated model in (μ, vech Σ) on each row's observed variables, summed
 * and per row: u_μ = V_o d_o and u_σjk = ½(V_o d_o d_oᵀV_o − V_o)_jk, doubled off the diagonal
 * (σ_jk is one parameter that Σ holds twice); zero where j or k is missing.
 */
export function saturatedScores(rows: readonly (readonly number[])[], p: number, mean: Float64Array, cov: Float64Array, each?: (u: Float64Array) => void): Float64Array | null {
  const dim = p + (p * (p + 1)) / 2;
  const total = new Float64Array(dim);
  const u = new Float64Array(dim);
  const byPattern = new Map<string, Float64Array | null>();
  for (const y of rows) {
    const obs: number[] = [];
    for (let j = 0; j < p; j++) if (!Number.isNaN(y[j])) obs.push(j);
    const key = obs.join(',');
    const k = obs.length;
    let vo = byPattern.get(key);
    if (vo === undefined) {
      const sub = new Float64Array(k * k);
      for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) sub[a * k + c] = cov[obs[a] * p + obs[c]];
      vo = inverse(sub, k);
      byPattern.set(key, vo);
    }
    if (!vo) return null;
    const d = obs.map((j) => y[j] - mean[j]);
    const vd = new Float64Array(k);
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) vd[a] += vo[a * k + c] * d[c];
    u.fill(0);
    for (let a = 0; a < k; a++) u[obs[a]] = vd[a];
    for (let a = 0; a < k; a++)
      for (let c = a; c < k; c++) {
        const m = 0.5 * (vd[a] * vd[c] - vo[a * k + c]);
        u[p + vechIndex(obs[a], obs[c], p)] = a === c ? m : 2 * m;
      }
    for (let i = 0; i < dim; i++) total[i] += u[i];
    each?.(u);
  }
  return total;
}

/** Position of (j, k), j ≤ k, in the row-wise upper-triangle vech of a p × p matrix. */
export function vechIndex(j: number, k: number, p: number): number {
  const a = Math.min(j, k);
  const b = Math.max(j, k);
  return a * p - (a * (a - 1)) / 2 + (b - a);
}

/**
 * tr(A₁⁻¹B₁) of one group's saturated model under full-information ML at its EM estimates
 * (lavaan's h1.information = "unstructured" with missing = "ml"): B₁ the mean outer product of
 * the casewise scores of `saturatedScores`, A₁ the observed information of the saturated model in
 * (μ, vech Σ), analytically: the pattern-wise Hessian of `observedInformation` with the identity
 * as basis (Σ and μ are linear in their own elements, so there is no second-order term).
 * Entries in `fixed` (see `fixedEntries`) are left out of both: the trace is taken on the rest.
 */
export function saturatedTraceMissing(rows: readonly (readonly number[])[], p: number, h1: { readonly mean: Float64Array; readonly cov: Float64Array }, fixed: readonly number[] = []): number {
  const n = rows.length;
  const dim = p + (p * (p + 1)) / 2;
  const b1 = new Float64Array(dim * dim);
  saturatedScores(rows, p, h1.mean, h1.cov, (u) => {
    for (const r of fixed) u[r] = 0;
    for (let a = 0; a < dim; a++) {
      const ua = u[a] / n;
      if (ua === 0) continue;
      const row = a * dim;
      for (let c = 0; c <= a; c++) b1[row + c] += ua * u[c];
    }
  });
  for (let a = 0; a < dim; a++) for (let c = 0; c < a; c++) b1[c * dim + a] = b1[a * dim + c];
  const a1 = saturatedInformationMissing(rows, p, h1);
  const inv = a1 && keptInverse(a1, fixed, dim);
  if (!inv) return NaN;
  let trace = 0;
  for (let a = 0; a < dim; a++) for (let c = 0; c < dim; c++) trace += inv[a * dim + c] * b1[c * dim + a];
  return trace;
}

/**
 * The observed information per observation of one group's saturated model under full-information
 * ML at the moments `h1` (the EM estimates; lavaan's lav_mvnorm_missing_information_observed_samplestats),
 * in (μ, vech Σ) as `saturatedScores` orders them (dim × dim, both triangles). Null when some
 * pattern's covariance block is not positive definite.
 */
export function saturatedInformationMissing(rows: readonly (readonly number[])[], p: number, h1: { readonly mean: Float64Array; readonly cov: Float64Array }): Float64Array | null {
  const n = rows.length;
  const dim = p + (p * (p + 1)) / 2;
  const patterns = missingPatterns(rows, p);
  const f = patternFactors(h1.cov, p, patterns);
  if (!f) return null;
  const identity = new Float64Array(p * p);
  for (let i = 0; i < p; i++) identity[i * p + i] = 1;
  const a1 = new Float64Array(dim * dim);
  addPatternInformation(patterns, n, f, h1.mean, identity, p, saturatedDescriptors(p), 1, true, a1);
  for (let a = 0; a < dim; a++) for (let c = 0; c < a; c++) a1[c * dim + a] = a1[a * dim + c];
  return a1;
}

/** The saturated model's parameters as entry descriptors: μ_i (index i), then σ_jk, j ≤ k, at p + vechIndex(j, k). */
function saturatedDescriptors(p: number): SortedDescriptors {
  const dim = p + (p * (p + 1)) / 2;
  const d = {
    free: Int32Array.from({ length: dim }, (_, k) => k + 1),
    u: new Int32Array(dim).fill(-1),
    v: new Int32Array(dim).fill(-1),
    h: new Float64Array(dim),
    w: new Int32Array(dim).fill(-1),
    c: new Float64Array(dim),
    last: Int32Array.from({ length: dim }, (_, k) => k),
  };
  for (let i = 0; i < p; i++) {
    d.w[i] = i;
    d.c[i] = 1;
  }
  for (let j = 0; j < p; j++)
    for (let k = j; k < p; k++) {
      const e = p + vechIndex(j, k, p);
      d.u[e] = j;
      d.v[e] = k;
      d.h[e] = j === k ? 0.5 : 1;
    }
  return d;
}

/**
 * The entries of (μ, vech Σ) that fixed.x holds fixed: each covariate's mean and every σ_jk with
 * both j and k covariates (lavaan's eliminate.pstar.idx with type "all"); without a mean
 * structure (`means` false) every mean.
 */
export function fixedEntries(p: number, exogenous: readonly number[], means = true): number[] {
  const out: number[] = means ? [...exogenous] : Array.from({ length: p }, (_, j) => j);
  for (const j of exogenous) for (const k of exogenous) if (j <= k) out.push(p + vechIndex(j, k, p));
  return out.sort((a, b) => a - b);
}

/** Zero the rows and columns `fixed` of a symmetric n × n matrix, in place. */
export function restrict(w: Float64Array, fixed: readonly number[], n: number): void {
  for (const r of fixed) {
    w.fill(0, r * n, (r + 1) * n);
    for (let i = 0; i < n; i++) w[i * n + r] = 0;
  }
}

/** The inverse of a symmetric n × n matrix on the entries not in `fixed`, zero on those (a generalised inverse). */
export function keptInverse(w: Float64Array, fixed: readonly number[], n: number): Float64Array | null {
  if (fixed.length === 0) return inverse(w, n);
  const skip = new Set(fixed);
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => !skip.has(i));
  const m = kept.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = w[kept[a] * n + kept[b]];
  const inv = inverse(sub, m);
  if (!inv) return null;
  const out = new Float64Array(n * n);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) out[kept[a] * n + kept[b]] = inv[a * m + b];
  return out;
}
