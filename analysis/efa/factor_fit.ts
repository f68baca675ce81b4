import { smoothCorrelation } from '../data/smooth_correlation.js';
import { chiSquareUpperTail } from '../math/chi_square_distribution.js';
import { factorOf, type CorrelationFactor } from './correlation_factor.js';
import { cholesky, choleskyInverse, choleskyLogDeterminant, clearlyPositiveDefinite, logDeterminant, outerProduct, solve, type Matrix } from './linear_algebra.js';

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
 * psych's fit statistics for a k-factor model with loadings Λ (any rotation: only ΛΦΛ′ matters) of
 * the p × p correlation matrix R from n observations: the ML discrepancy F between R and M = ΛΦΛ′ with
 * unit diagonal (both smoothed if not positive definite), Bartlett's corrected χ² = F (n − 1 − (2p + 5)/6
 * − 2k/3) with df = p(p − 1)/2 − pk + k(k − 1)/2, RMSEA = √max(χ²/(df n) − 1/(n − 1), 0), TLI =
 * (M₀ − M_m)/(M₀ − 1/ν) with M₀ = 2F₀/(p(p − 1)), M_m = F/df, ν the χ² multiplier, and BIC = χ² − df ln n
 * (Tucker & Lewis, 1973, doi:10.1007/BF02291170; Steiger & Lind, 1980). Matches psych::fa.stats 2.2.9
 * (`STATISTIC`, `dof`, `RMSEA[1]`, `TLI`, `BIC`). `factor`: R's Cholesky factor, when the caller has it.
 */
export function factorFit(r: readonly (readonly number[])[], common: readonly (readonly number[])[], k: number, n: number, factor?: CorrelationFactor): FactorFit {
  const p = r.length;
  const model = common.map((row, i) => row.map((v, j) => (i === j ? r[i][i] : v)));
  let rms = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (i !== j) {
    const e = r[i][j] - common[i][j];
    rms += e * e;
  }
  rms = Math.sqrt(rms / (p * (p - 1)));
  // both matrices smoothed when not positive definite (psych smooths the model always and R by default);
  // one Cholesky factor each serves the check, the log-determinant and the inverse
  const mm = smoothedWithFactor(model);
  const lr = factorOf(r, factor).l;
  const rr = clearlyPositiveDefinite(lr) ? { a: r as Matrix, l: lr } : smoothedWithFactor(r.map((row) => row.slice()));
  const df = (p * (p - 1)) / 2 - p * k + (k * (k - 1)) / 2;
  const logDetR = rr.l ? choleskyLogDeterminant(rr.l) : logDeterminant(rr.a).log;
  const objective = discrepancy(mm.a, mm.l, rr.a, logDetR);
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

/** The matrix (smoothed when it is not comfortably positive definite) and its Cholesky factor, if any. */
function smoothedWithFactor(a: Matrix): { a: Matrix; l: Matrix | null } {
  const l = cholesky(a);
  if (clearlyPositiveDefinite(l)) return { a, l };
  const s = smoothCorrelation(a).r;
  return { a: s, l: cholesky(s) };
}

/** tr(M⁻¹R) − ln|M⁻¹R| − p, by Cholesky when M is positive definite, else by LU. */
function discrepancy(m: Matrix, lm: Matrix | null, r: Matrix, logDetR: number): number {
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
