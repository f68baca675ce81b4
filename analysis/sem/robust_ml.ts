import { cholesky, choleskySolve, inverse } from './dense.js';
import type { ModelStructure } from './model_matrices.js';
import { addGradient, type ModelEvaluation } from './objective.js';

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
 * `rows[g]` are group g's complete rows on the model's observed variables.
 */
export function robustMl(
  model: ModelStructure,
  evaluation: ModelEvaluation,
  rows: readonly (readonly (readonly number[])[])[],
  information: Float64Array,
  df: number,
): RobustMl | null {
  const { p } = model;
  const q = model.nFree;
  const N = rows.reduce((s, r) => s + r.length, 0);
  const b = new Float64Array(q * q);
  const s = new Float64Array(q);
  const G = new Float64Array(p * p);
  const gMu = new Float64Array(p);
  const d = new Float64Array(p);
  const vd = new Float64Array(p);
  let traceH1 = 0;
  for (let g = 0; g < rows.length; g++) {
    const { implied, discrepancy } = evaluation.groups[g];
    const v = discrepancy.sigmaInverse!;
    const n = rows[g].length;
    // without a mean structure the residuals are about the sample mean (μ saturated)
    const centre = new Float64Array(p);
    if (model.meanstructure) centre.set(implied.mu);
    else for (const y of rows[g]) for (let j = 0; j < p; j++) centre[j] += y[j] / n;
    traceH1 += saturatedTrace(rows[g], p, model.meanstructure);
    for (const y of rows[g]) {
      for (let j = 0; j < p; j++) d[j] = y[j] - centre[j];
      let r = 0;
      for (let i = 0; i < p; i++) {
        let t = 0;
        for (let j = 0; j < p; j++) t += v[i * p + j] * d[j];
        vd[i] = t;
        r += d[i] * t;
      }
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) G[i * p + j] = v[i * p + j] - vd[i] * vd[j];
      for (let i = 0; i < p; i++) gMu[i] = model.meanstructure ? -2 * vd[i] : 0;
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
 * tr(A⁻¹B) = (1/n)Σᵢ[½(zᵢ² − 1)² (+ zᵢ² with means)], zᵢ² = (yᵢ − ȳ)²/s²; the saturated part is
 * `saturatedTrace`, as for the model.
 */
export function baselineScalingFactor(rows: readonly (readonly (readonly number[])[])[], p: number, meanstructure: boolean, df: number): number {
  let trace = 0;
  for (const group of rows) {
    const n = group.length;
    const mean = new Float64Array(p);
    const variance = new Float64Array(p);
    for (const y of group) for (let j = 0; j < p; j++) mean[j] += y[j] / n;
    for (const y of group) for (let j = 0; j < p; j++) variance[j] += (y[j] - mean[j]) ** 2 / n;
    let h0 = 0;
    for (const y of group)
      for (let j = 0; j < p; j++) {
        const z2 = (y[j] - mean[j]) ** 2 / variance[j];
        h0 += 0.5 * (z2 - 1) ** 2 + (meanstructure ? z2 : 0);
      }
    trace += saturatedTrace(group, p, meanstructure) - h0 / n;
  }
  return trace / df;
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
  const mean = new Float64Array(p);
  for (const y of rows) for (let j = 0; j < p; j++) mean[j] += y[j] / n;
  const cov = new Float64Array(p * p);
  for (const y of rows)
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) cov[j * p + k] += ((y[j] - mean[j]) * (y[k] - mean[k])) / n;
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
