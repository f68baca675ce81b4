import type { Regression } from './regression.js';
import { tTwoSided } from '../math/t_distribution.js';

export interface LinearContrast {
  readonly est: number;
  readonly se: number;
  readonly t: number;
  readonly df: number;
  /** Two-sided, from t with the model's residual df. */
  readonly p: number;
}

/**
 * A linear combination L'β of a regression's coefficients with SE √(L'VL) from the classical
 * covariance V, t = L'β/SE and a two-sided p from t(n − p), as
 * `multcomp::glht(fit, linfct = L)` or the algebra `L %*% vcov(fit) %*% L` give it.
 * `weights` maps term names to their entries of L (other entries 0).
 */
export function linearContrast(r: Regression, weights: Readonly<Record<string, number>>): LinearContrast {
  const idx = r.terms.map((t) => weights[t.term] ?? 0);
  let est = 0;
  let v = 0;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] === 0) continue;
    est += idx[i] * r.terms[i].est;
    for (let j = 0; j < idx.length; j++) if (idx[j] !== 0) v += idx[i] * idx[j] * r.covariance[i][j];
  }
  const se = Math.sqrt(v);
  const t = est / se;
  return { est, se, t, df: r.dfResidual, p: tTwoSided(t, r.dfResidual) };
}
