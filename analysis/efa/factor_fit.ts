import { smoothCorrelation } from '../data/smooth_correlation.js';
import { chiSquareUpperTail } from '../math/chi_square_distribution.js';
import { factorOf, type CorrelationFactor } from './correlation_factor.js';
import { cholesky, choleskyInverse, choleskyLogDeterminant, clearlyPositiveDefinite, logDeterminant, outerProduct, solve, transposedProduct, type Matrix } from './linear_algebra.js';
import { CHOLESKY_KERNEL_ORDER_COLD, cholesky as choleskyFlat, choleskyInverse as choleskyInverseFlat, choleskyLogDet } from '../math/cholesky.js';
import { choleskyKernel } from '../math/cholesky_kernel.js';
import { MATRIX_SUMS_KERNEL_ORDER, matrixSumsKernel, type MatrixSumsCode } from '../math/matrix_sums_kernel.js';

/** psych's likelihood-based fit statistics of a factor model. */
export interface FactorFit {
  /** F = tr(M⁻¹R) − ln|M⁻¹R| − p, M the model's implied correlation matrix. */
  readonly objective: number;
  /** psych's STATISTIC: F (n − 1 − (2p + 5)/6 − 2k/3), floored at 0. */
  readonly chisq: number;
  readonly df: number;
  readonly pValue: number;
  /** RMSEA[1]: √max(χ²/(df n) − 1/(n − 1), 0). */
  readonly rmsea: number;
  /** Tucker-Lewis index from the per-df objectives of the model and the null model. */
  readonly tli: number;
  /** χ² − df ln n. */
  readonly bic: number;
  /** Root mean square of the off-diagonal residuals, √(Σ res² / (p(p − 1))). */
  readonly rms: number;
  readonly nullChisq: number;
  readonly nullDf: number;
}

/**
 * psych's fit statistics for a k-factor model with loadings Λ (p × k; any rotation with Φ = I, e.g.
 * the unrotated ones: only ΛΛ′ matters) of the p × p correlation matrix R from n observations: the
 * ML discrepancy F between R and M = ΛΛ′ with unit diagonal (both smoothed if not positive
 * definite), Bartlett's corrected χ² = F (n − 1 − (2p + 5)/6 − 2k/3) with df = p(p − 1)/2 − pk +
 * k(k − 1)/2, RMSEA = √max(χ²/(df n) − 1/(n − 1), 0), TLI = (M₀ − M_m)/(M₀ − 1/ν) with
 * M₀ = 2F₀/(p(p − 1)), M_m = F/df, ν the χ² multiplier, and BIC = χ² − df ln n (Tucker & Lewis,
 * 1973, doi:10.1007/BF02291170; Steiger & Lind, 1980). Matches psych::fa.stats 2.2.9 (`STATISTIC`,
 * `dof`, `RMSEA[1]`, `TLI`, `BIC`). `factor`: R's Cholesky factor, when the caller has it.
 *
 * M = ΛΛ′ + D with D = diag(r_ii − h²_i). When every d_i is comfortably positive (≥ 1e-4; psych's
 * minres and ML keep them ≥ .005) M is positive definite with every Cholesky pivot ≥ min d_i, and
 * M⁻¹ and |M| come from the k × k matrix A = I + Λ′D⁻¹Λ (Woodbury; Sylvester's determinant
 * identity): tr(M⁻¹R) = Σ r_ii/d_i − tr(A⁻¹ B′RB) with B = D⁻¹Λ, ln|M| = Σ ln d_i + ln|A|, in
 * O(p²k) instead of a p-order factorisation and inverse. Otherwise (a Heywood case) M is factored
 * (and smoothed, as psych smooths it, when it is not positive definite).
 */
export function factorFit(r: readonly (readonly number[])[], loadings: readonly (readonly number[])[], n: number, factor?: CorrelationFactor): FactorFit {
  const p = r.length;
  const k = loadings[0].length;
  const lam = new Float64Array(p * k);
  for (let i = 0; i < p; i++) for (let j = 0; j < k; j++) lam[i * k + j] = loadings[i][j];
  // residuals of the off-diagonal: R − ΛΛ′
  const rms = Math.sqrt((2 * residualSquares(r, lam, p, k)) / (p * (p - 1)));
  // R smoothed when not positive definite (psych smooths it by default)
  const f = factorOf(r, factor);
  const rr = f.clearlyPositiveDefinite ? { a: r as Matrix, logDet: f.logDeterminant } : smoothedLogDet(r.map((row) => row.slice()));
  const df = (p * (p - 1)) / 2 - p * k + (k * (k - 1)) / 2;
  const logDetR = rr.logDet;
  const objective = woodburyDiscrepancy(rr.a, lam, p, k, logDetR) ?? discrepancy(modelMatrix(r, lam, p, k), rr.a, logDetR);
  const nu = n - 1 - (2 * p + 5) / 6 - (2 * k) / 3;
  let chisq = objective * nu;
  if (chisq < 0) chisq = 0;
  const f0 = p - logDetR - p;
  const mNull = (f0 * 2) / (p * (p - 1));
  const mModel = objective / df;
  const tli = (mNull - mModel) / (mNull - 1 / nu);
  const rmsea = df > 0 ? Math.sqrt(Math.max(chisq / (df * n) - 1 / (n - 1), 0)) : NaN;
  return {
    objective,
    chisq,
    df,
    pValue: df > 0 ? chiSquareUpperTail(chisq, df) : NaN,
    rmsea,
    tli,
    bic: df > 0 ? chisq - df * Math.log(n) : NaN,
    rms,
    nullChisq: f0 * (n - 1 - (2 * p + 5) / 6),
    nullDf: (p * (p - 1)) / 2,
  };
}

/**
 * Σ_{i > j} (r_ij − Σ_m λ_im λ_jm)² (`lam` p × k row-major), the terms added row by row: by the matrix-sums
 * kernel from its order (p²k/2 multiply-adds that a command runs once, cold), else in JavaScript, the same sums.
 */
export function residualSquares(r: readonly (readonly number[])[], lam: Float64Array, p: number, k: number, code: MatrixSumsCode = 'auto'): number {
  const kernel = code === 'auto' && p >= MATRIX_SUMS_KERNEL_ORDER ? matrixSumsKernel() : null;
  if (kernel) {
    const w = kernel.workspace(p, k);
    for (let i = 0; i < p; i++) w.r.set(r[i], i * p);
    w.b.set(lam);
    kernel.residualSquares(p, k);
    return w.out[0];
  }
  let sum = 0;
  for (let i = 1; i < p; i++) {
    const ri = r[i];
    for (let j = 0; j < i; j++) {
      let c = 0;
      for (let m = 0; m < k; m++) c += lam[i * k + m] * lam[j * k + m];
      const e = ri[j] - c;
      sum += e * e;
    }
  }
  return sum;
}

/** Below this a uniqueness makes the Woodbury form lose digits (Σ r_ii/d_i cancels against the correction): M is factored instead. */
const WOODBURY_FLOOR = 1e-4;

/**
 * tr(M⁻¹R) − ln|M⁻¹R| − p for M = ΛΛ′ + D, D = diag(r_ii − h²_i) (`lam` p × k row-major), by the
 * Woodbury identity (see {@link factorFit}); null when some d_i is below {@link WOODBURY_FLOOR}.
 */
function woodburyDiscrepancy(r: Matrix, lam: Float64Array, p: number, k: number, logDetR: number): number | null {
  const dInv = new Float64Array(p);
  let logDetD = 0;
  let trace = 0;
  for (let i = 0; i < p; i++) {
    let h = 0;
    for (let m = 0; m < k; m++) h += lam[i * k + m] * lam[i * k + m];
    const d = r[i][i] - h;
    if (!(d >= WOODBURY_FLOOR)) return null;
    dInv[i] = 1 / d;
    logDetD += Math.log(d);
    trace += r[i][i] / d;
  }
  // B = D⁻¹Λ, A = I + Λ′D⁻¹Λ = I + Λ′B, C = R B, G = B′C
  const b = new Float64Array(p * k);
  for (let i = 0; i < p; i++) for (let m = 0; m < k; m++) b[i * k + m] = lam[i * k + m] * dInv[i];
  const a = transposedProduct(lam, b, p, k);
  for (let m = 0; m < k; m++) a[m * k + m] += 1;
  const c = thinProduct(r, b, p, k);
  const g = transposedProduct(b, c, p, k);
  const la = choleskyFlat(a, k);
  if (!la) return null;
  const aInv = choleskyInverseFlat(la, k);
  let correction = 0;
  for (let m = 0; m < k * k; m++) correction += aInv[m] * g[m];
  const logDetM = logDetD + choleskyLogDet(la, k);
  return trace - correction - (logDetR - logDetM) - p;
}

/**
 * C = R B (B p × k row-major), each c_im summed over j in order: by the Cholesky kernel's `thinProduct`
 * from its order (p²k multiply-adds that a command runs once, cold), else in JavaScript, the same sums.
 */
function thinProduct(r: Matrix, b: Float64Array, p: number, k: number): Float64Array {
  const kernel = p >= CHOLESKY_KERNEL_ORDER_COLD ? choleskyKernel() : null;
  if (kernel) {
    const w = kernel.workspace(p);
    for (let i = 0; i < p; i++) w.a.set(r[i], i * p);
    w.l.set(b);
    w.li.fill(0, 0, p * k);
    kernel.thinProduct(p, k);
    return w.li.slice(0, p * k);
  }
  const c = new Float64Array(p * k);
  for (let i = 0; i < p; i++) {
    const ri = r[i];
    const ci = i * k;
    for (let j = 0; j < p; j++) {
      const rij = ri[j];
      const bj = j * k;
      for (let m = 0; m < k; m++) c[ci + m] += rij * b[bj + m];
    }
  }
  return c;
}

/** M = ΛΛ′ with R's diagonal (`lam` p × k row-major), as rows. */
function modelMatrix(r: readonly (readonly number[])[], lam: Float64Array, p: number, k: number): Matrix {
  const m: Matrix = [];
  for (let i = 0; i < p; i++) {
    const row = new Array<number>(p);
    for (let j = 0; j < p; j++) {
      let c = 0;
      for (let q = 0; q < k; q++) c += lam[i * k + q] * lam[j * k + q];
      row[j] = i === j ? r[i][i] : c;
    }
    m.push(row);
  }
  return m;
}

/** R smoothed as psych smooths it (when it is not comfortably positive definite) and its log-determinant. */
function smoothedLogDet(a: Matrix): { a: Matrix; logDet: number } {
  const s = smoothedWithFactor(a);
  return { a: s.a, logDet: s.l ? choleskyLogDeterminant(s.l) : logDeterminant(s.a).log };
}

/** The matrix (smoothed when it is not comfortably positive definite) and its Cholesky factor, if any. */
function smoothedWithFactor(a: Matrix): { a: Matrix; l: Matrix | null } {
  const l = cholesky(a);
  if (clearlyPositiveDefinite(l)) return { a, l };
  const s = smoothCorrelation(a).r;
  return { a: s, l: cholesky(s) };
}

/** tr(M⁻¹R) − ln|M⁻¹R| − p with M smoothed when not positive definite (as psych smooths the model), by Cholesky when M is positive definite, else by LU. */
function discrepancy(model: Matrix, r: Matrix, logDetR: number): number {
  const { a: m, l: lm } = smoothedWithFactor(model);
  const p = m.length;
  if (clearlyPositiveDefinite(lm)) {
    const inv = choleskyInverse(lm);
    let tr = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) tr += inv[i][j] * r[j][i];
    return tr - (logDetR - choleskyLogDeterminant(lm)) - p;
  }
  const mInvR = solve(m, r);
  if (!mInvR) return NaN;
  let tr = 0;
  for (let i = 0; i < p; i++) tr += mInvR[i][i];
  return tr - (logDetR - logDeterminant(m).log) - p;
}

/** ΛΦΛ′ (Φ = I when omitted): the common part of the implied correlation matrix. */
export function commonPart(loadings: readonly (readonly number[])[], phi?: readonly (readonly number[])[]): number[][] {
  if (!phi) return outerProduct(loadings);
  const lp = loadings.map((row) => phi[0].map((_, j) => row.reduce((a, v, m) => a + v * phi[m][j], 0)));
  return lp.map((a) => loadings.map((b) => a.reduce((s, v, m) => s + v * b[m], 0)));
}
