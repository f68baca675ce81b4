import { cholesky, choleskyLogDet, inverse } from './dense.js';
import { entryDescriptors } from './expected_information.js';
import type { ModelStructure } from './model_matrices.js';
import type { ModelEvaluation } from './objective.js';
import { basis } from './observed_information.js';
import { fixedEntries, keptInverse, restrict, saturatedInformationMissing, saturatedScores, vechIndex } from './robust_ml.js';

/** The FIML-corrected test statistics of a model and of its baseline (lavaan's lav_fit_fiml_corrected). */
export interface FimlCorrectedTest {
  /** T̃: the ML χ² of the FIML estimates against the EM saturated moments, as if those were complete-data moments. */
  readonly chisq: number;
  readonly df: number;
  /** ĉ = k/df, the scaling factor of T̃ (version "V3", the one lavaan uses when a scaled test exists). */
  readonly scalingFactor: number;
  /** T̃ and ĉ of the independence (baseline) model, every variable with its own FIML mean and variance. */
  readonly baselineChisq: number;
  readonly baselineDf: number;
  readonly baselineScalingFactor: number;
}

/** One group's EM estimates of the saturated model (lavaan's h1 under missing = "ml"). */
type Moments = { readonly mean: Float64Array; readonly cov: Float64Array };

/**
 * The corrected test on which lavaan 0.6.14 builds cfi.robust, tli.robust and rmsea.robust (with
 * its interval and close-fit p-value) under full-information ML with a scaled test (missing = "ml",
 * estimator = "MLR"): the FIML-C "V3" correction of Zhang & Savalei (2023,
 * doi:10.1080/10705511.2022.2154214), after Brosseau-Liard, Savalei & Li (2012,
 * doi:10.1080/00273171.2012.715252) and Savalei (2018, doi:10.1080/10705511.2017.1366321).
 * With x̃, S̃ the EM saturated moments of group g (n_g rows, f_g = n_g/N):
 * - T̃ = Σ_g n_g[ln|Σ̂_g| − ln|S̃_g| + tr(S̃_gΣ̂_g⁻¹) − p + (x̃_g − μ̂_g)ᵀΣ̂_g⁻¹(x̃_g − μ̂_g)] at the FIML
 *   estimates θ̂ (lavaan refits the parameter table to S̃ and x̃ without optimising);
 * - in the saturated parameters (μ, vech Σ) of each group: W_g the observed information under
 *   missing data and J_g the mean outer product of the casewise scores, both at the EM estimates
 *   (h1.information = "unstructured"), W̃_g the complete-data information at S̃
 *   (blockdiag(S̃⁻¹, ½D'(S̃⁻¹⊗S̃⁻¹)D)); Δ_g = ∂(μ_g, vech Σ_g)/∂θᵀ at θ̂;
 * - with hats for the f_g-weighted block diagonals, E = ΔᵀŴΔ (the "h1" observed information),
 *   U = Ŵ − ŴΔE⁻¹ΔᵀŴ and Γ̂ = Ŵ⁻¹ĴŴ⁻¹: k = tr(UŴ⁻¹W̃̂Ŵ⁻¹UΓ̂), ĉ = k/df.
 * Since Ŵ⁻¹U = I − ΔE⁻¹ΔᵀŴ and ŴΓ̂Ŵ = Ĵ, k expands to
 *   k = Σ_g tr(W̃_g W_g⁻¹J_gW_g⁻¹) − 2 tr(E⁻¹ Σ_g f_gΔ_gᵀJ_gW_g⁻¹W̃_gΔ_g) + tr(E⁻¹BE⁻¹C),
 * B = Σ_g f_gΔ_gᵀJ_gΔ_g, C = Σ_g f_gΔ_gᵀW̃_gΔ_g, which needs W_g⁻¹ but never a matrix spanning
 * several groups, and J_g enters only through the casewise scores sᵢ (J_g = (1/n_g)Σᵢ sᵢsᵢᵀ).
 * The baseline is the same computation with Δ selecting each group's means and variances.
 * With fixed exogenous covariates (`exogenous`, their indices among the observed variables; fixed.x)
 * lavaan zeroes the rows and columns of W_g and J_g that belong to the covariates' own means and
 * (co)variances (x.idx in lav_mvnorm_missing_information_observed_samplestats and
 * lav_mvnorm_missing_scores_mu_vech_sigma) and inverts W_g on the rest
 * (lav_matrix_symmetric_inverse skips zero rows): since then Ŵ⁺U = P − ΔE⁻¹ΔᵀŴ with P the
 * projection on the kept entries, the expansion above holds with every matrix restricted to
 * them. The baseline then frees only the other variables' means and variances, and its T̃ holds
 * the covariates' block at S̃_xx (ln|S̃_xx| + k in place of their Σ ln s_jj + (S̃_jj + …)/s_jj).
 * `rows[g]` are group g's rows on the model's observed variables (NaN missing; with fixed.x no
 * covariate is missing); `h1[g]` their EM moments. Null when a matrix on the way is singular
 * (lavaan then reports NA).
 */
export function fimlCorrectedTest(
  model: ModelStructure,
  evaluation: ModelEvaluation,
  rows: readonly (readonly (readonly number[])[])[],
  h1: readonly Moments[],
  df: number,
  baselineDf: number,
  exogenous: readonly number[] = [],
): FimlCorrectedTest | null {
  const { p } = model;
  const q = model.nFree;
  const dim = p + (p * (p + 1)) / 2;
  const fixed = fixedEntries(p, exogenous);
  const N = rows.reduce((s, r) => s + r.length, 0);
  const E = new Float64Array(q * q);
  const B = new Float64Array(q * q);
  const C = new Float64Array(q * q);
  const T2 = new Float64Array(q * q);
  let chisq = 0;
  let baselineChisq = 0;
  let term1 = 0;
  let baselineK = 0;
  for (let g = 0; g < rows.length; g++) {
    const group = rows[g];
    const n = group.length;
    const fg = n / N;
    const { mean, cov } = h1[g];
    const { implied } = evaluation.groups[g];
    const lS = cholesky(cov, p);
    const lSigma = cholesky(implied.sigma, p);
    if (!lS || !lSigma) return null;
    const v = inverse(cov, p);
    const sigmaInv = inverse(implied.sigma, p);
    if (!v || !sigmaInv) return null;
    chisq += n * mlDiscrepancy(mean, cov, choleskyLogDet(lS, p), implied.mu, sigmaInv, choleskyLogDet(lSigma, p), p);
    baselineChisq += n * independenceDiscrepancy(group, mean, cov, choleskyLogDet(lS, p), p, exogenous);

    const w = saturatedInformationMissing(group, p, { mean, cov });
    if (!w) return null;
    restrict(w, fixed, dim);
    const wInv = keptInverse(w, fixed, dim);
    if (!wInv) return null;
    const delta = jacobian(model, g, implied);
    for (const r of fixed) delta.fill(0, r * q, (r + 1) * q);
    // E and C: Δᵀ W Δ and Δᵀ W̃ Δ, weighted by f_g
    addCongruence(E, delta, w, dim, q, fg);
    const wcDelta = new Float64Array(dim * q);
    const column = new Float64Array(dim);
    const image = new Float64Array(dim);
    for (let a = 0; a < q; a++) {
      for (let r = 0; r < dim; r++) column[r] = delta[r * q + a];
      completeInformationTimes(v, column, p, image);
      for (let r = 0; r < dim; r++) wcDelta[r * q + a] = image[r];
    }
    for (let a = 0; a < q; a++)
      for (let c = 0; c < q; c++) {
        let t = 0;
        for (let r = 0; r < dim; r++) t += delta[r * q + a] * wcDelta[r * q + c];
        C[a * q + c] += fg * t;
      }

    // per case: s (score), y = W⁻¹s, W̃y, and their images under Δᵀ
    const base = baselineIndices(p, exogenous);
    const nb = base.length;
    const bB = new Float64Array(nb * nb);
    const bT2 = new Float64Array(nb * nb);
    const y = new Float64Array(dim);
    const wy = new Float64Array(dim);
    const t = new Float64Array(q);
    const u = new Float64Array(q);
    const scores = saturatedScores(group, p, mean, cov, (s) => {
      for (const r of fixed) s[r] = 0;
      y.fill(0);
      for (let a = 0; a < dim; a++) {
        const sa = s[a];
        if (sa === 0) continue;
        const row = a * dim;
        for (let c = 0; c < dim; c++) y[c] += wInv[row + c] * sa;
      }
      completeInformationTimes(v, y, p, wy);
      let quad = 0;
      for (let a = 0; a < dim; a++) quad += y[a] * wy[a];
      term1 += quad / n;
      transposeTimes(delta, s, dim, q, t);
      transposeTimes(delta, wy, dim, q, u);
      for (let a = 0; a < q; a++) {
        const ta = t[a] / N;
        if (ta === 0) continue;
        for (let c = 0; c < q; c++) {
          B[a * q + c] += ta * t[c];
          T2[a * q + c] += ta * u[c];
        }
      }
      for (let a = 0; a < nb; a++) {
        const sa = s[base[a]] / N;
        if (sa === 0) continue;
        for (let c = 0; c < nb; c++) {
          bB[a * nb + c] += sa * s[base[c]];
          bT2[a * nb + c] += sa * wy[base[c]];
        }
      }
    });
    if (!scores) return null;

    // the baseline's blocks: its parameters are group g's means and variances only
    const bE = new Float64Array(nb * nb);
    const bC = new Float64Array(nb * nb);
    const unit = new Float64Array(dim);
    for (let c = 0; c < nb; c++) {
      unit.fill(0);
      unit[base[c]] = 1;
      completeInformationTimes(v, unit, p, image);
      for (let a = 0; a < nb; a++) {
        bE[a * nb + c] = fg * w[base[a] * dim + base[c]];
        bC[a * nb + c] = fg * image[base[a]];
      }
    }
    const bEInv = inverse(bE, nb);
    if (!bEInv) return null;
    baselineK += tracePair(bEInv, bT2, nb, -2) + traceSandwich(bEInv, bB, bC, nb);
  }
  const eInv = inverse(E, q);
  if (!eInv) return null;
  const k = term1 + tracePair(eInv, T2, q, -2) + traceSandwich(eInv, B, C, q);
  return {
    chisq,
    df,
    scalingFactor: k / df,
    baselineChisq,
    baselineDf,
    baselineScalingFactor: (term1 + baselineK) / baselineDf,
  };
}

/** n·F_ML per observation of a group: ln|Σ| − ln|S| + tr(SΣ⁻¹) − p + (x̄ − μ)ᵀΣ⁻¹(x̄ − μ). */
function mlDiscrepancy(mean: Float64Array, cov: Float64Array, logDetS: number, mu: Float64Array, sigmaInv: Float64Array, logDetSigma: number, p: number): number {
  let trace = 0;
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) trace += cov[j * p + k] * sigmaInv[k * p + j];
  let quad = 0;
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) quad += (mean[j] - mu[j]) * sigmaInv[j * p + k] * (mean[k] - mu[k]);
  return logDetSigma - logDetS + trace - p + quad;
}

/**
 * The same discrepancy for the independence model at its FIML estimates, which are each
 * variable's available-case mean and variance (divisor: the rows observing it), since the
 * likelihood of a diagonal Σ factors over variables. Fixed exogenous covariates keep their block
 * at the saturated moments S̃_xx (the sample moments of complete covariates), which adds
 * ln|S̃_xx| + tr(S̃_xxS̃_xx⁻¹) = ln|S̃_xx| + k.
 */
function independenceDiscrepancy(group: readonly (readonly number[])[], mean: Float64Array, cov: Float64Array, logDetS: number, p: number, exogenous: readonly number[]): number {
  let f = -logDetS - p;
  const k = exogenous.length;
  if (k > 0) {
    const sxx = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sxx[a * k + b] = cov[exogenous[a] * p + exogenous[b]];
    const l = cholesky(sxx, k);
    f += (l ? choleskyLogDet(l, k) : NaN) + k;
  }
  for (let j = 0; j < p; j++) {
    if (exogenous.includes(j)) continue;
    let count = 0;
    let m = 0;
    for (const y of group) if (!Number.isNaN(y[j])) {
      count++;
      m += y[j];
    }
    m /= count;
    let s2 = 0;
    for (const y of group) if (!Number.isNaN(y[j])) s2 += (y[j] - m) ** 2;
    s2 /= count;
    f += Math.log(s2) + (cov[j * p + j] + (mean[j] - m) ** 2) / s2;
  }
  return f;
}

/**
 * Δ_g = ∂(μ, vech Σ)/∂θᵀ (dim × q) in `saturatedScores`' order, from the entry descriptors: an
 * entry adds h(z_u z_vᵀ + z_v z_uᵀ) to Σ̇ and c·z_w to μ̇ for columns z of Z = [I | ΛM | ΛA];
 * entries sharing a free parameter (equal labels) add up.
 */
function jacobian(model: ModelStructure, g: number, implied: ModelEvaluation['groups'][number]['implied']): Float64Array {
  const { p, m } = model;
  const q = model.nFree;
  const dim = p + (p * (p + 1)) / 2;
  const nb = p + 2 * m;
  const z = basis(implied, p, m);
  const d = entryDescriptors(model, model.entries[g], implied);
  const delta = new Float64Array(dim * q);
  for (let e = 0; e < d.free.length; e++) {
    const col = d.free[e] - 1;
    const { h, c } = { h: d.h[e], c: d.c[e] };
    const u = d.u[e];
    const v = d.v[e];
    if (u >= 0)
      for (let j = 0; j < p; j++)
        for (let k = j; k < p; k++) {
          const val = h * (z[j * nb + u] * z[k * nb + v] + z[j * nb + v] * z[k * nb + u]);
          if (val !== 0) delta[(p + vechIndex(j, k, p)) * q + col] += val;
        }
    const w = d.w[e];
    if (model.meanstructure && w >= 0 && c !== 0) for (let i = 0; i < p; i++) delta[i * q + col] += c * z[i * nb + w];
  }
  return delta;
}

/**
 * out = W̃x for the complete-data information of the saturated model at Σ = V⁻¹: the μ part is
 * Vx_μ, and with X the symmetric matrix holding x_σjk at (j, k) and (k, j), the σ part is
 * ½(VXV)_jj on the diagonal and (VXV)_jk off it, so that xᵀW̃x = x_μᵀVx_μ + ½tr(VXVX).
 */
function completeInformationTimes(v: Float64Array, x: Float64Array, p: number, out: Float64Array): void {
  const X = new Float64Array(p * p);
  for (let j = 0; j < p; j++)
    for (let k = j; k < p; k++) {
      const val = x[p + vechIndex(j, k, p)];
      X[j * p + k] = val;
      X[k * p + j] = val;
    }
  const VX = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const a = v[i * p + k];
      if (a === 0) continue;
      for (let j = 0; j < p; j++) VX[i * p + j] += a * X[k * p + j];
    }
  for (let i = 0; i < p; i++) {
    let t = 0;
    for (let k = 0; k < p; k++) t += v[i * p + k] * x[k];
    out[i] = t;
  }
  for (let j = 0; j < p; j++)
    for (let k = j; k < p; k++) {
      let t = 0;
      for (let r = 0; r < p; r++) t += VX[j * p + r] * v[r * p + k];
      out[p + vechIndex(j, k, p)] = j === k ? 0.5 * t : t;
    }
}

/** acc += weight · ΔᵀWΔ for Δ (dim × q) and a symmetric W (dim × dim). */
function addCongruence(acc: Float64Array, delta: Float64Array, w: Float64Array, dim: number, q: number, weight: number): void {
  const wd = new Float64Array(dim * q);
  for (let r = 0; r < dim; r++)
    for (let s = 0; s < dim; s++) {
      const x = w[r * dim + s];
      if (x === 0) continue;
      for (let a = 0; a < q; a++) wd[r * q + a] += x * delta[s * q + a];
    }
  for (let r = 0; r < dim; r++)
    for (let a = 0; a < q; a++) {
      const x = delta[r * q + a];
      if (x === 0) continue;
      for (let c = 0; c < q; c++) acc[a * q + c] += weight * x * wd[r * q + c];
    }
}

/** out = Δᵀx for Δ (dim × q). */
function transposeTimes(delta: Float64Array, x: Float64Array, dim: number, q: number, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < dim; r++) {
    const xr = x[r];
    if (xr === 0) continue;
    for (let a = 0; a < q; a++) out[a] += delta[r * q + a] * xr;
  }
}

/** The independence model's free parameters in (μ, vech Σ): each mean μ_j and each variance σ_jj but the fixed covariates'. */
function baselineIndices(p: number, exogenous: readonly number[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < p; j++) if (!exogenous.includes(j)) out.push(j);
  for (let j = 0; j < p; j++) if (!exogenous.includes(j)) out.push(p + vechIndex(j, j, p));
  return out;
}

/** scale · tr(A·M) for n × n matrices. */
function tracePair(a: Float64Array, m: Float64Array, n: number, scale: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t += a[i * n + j] * m[j * n + i];
  return scale * t;
}

/** tr(A·B·A·C) for n × n matrices. */
function traceSandwich(a: Float64Array, b: Float64Array, c: Float64Array, n: number): number {
  const ab = new Float64Array(n * n);
  const ac = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) {
        ab[i * n + j] += x * b[k * n + j];
        ac[i * n + j] += x * c[k * n + j];
      }
    }
  return tracePair(ab, ac, n, 1);
}
