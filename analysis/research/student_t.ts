import { fUpperTail } from '../agreement/f_test.js';
import { fQuantile } from '../reliability/f_distribution.js';

/**
 * Student's t distribution through the F distribution the library already has: T² ~ F(1, df),
 * so P(|T| > t) = P(F(1, df) > t²) (the regularized incomplete beta of `fUpperTail`) and the
 * two-sided quantile is √F⁻¹(2p − 1; 1, df). Matches R's `pt` and `qt` (jStat's incomplete beta
 * and its inverse, to about 1e-10 for the degrees of freedom of regressions).
 */

/** P(|T| > |t|) for T ~ t(df): the two-sided p-value of a t statistic, as `2 * pt(-abs(t), df)`. */
export function tTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  return fUpperTail(t * t, 1, df);
}

/** P(T > t) for T ~ t(df), as `pt(t, df, lower.tail = FALSE)`. */
export function tUpperTail(t: number, df: number): number {
  const half = tTwoSided(t, df) / 2;
  return t >= 0 ? half : 1 - half;
}

/** The p-quantile of t(df), as `qt(p, df)`. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  const q = Math.sqrt(fQuantile(Math.abs(2 * p - 1), 1, df));
  return p > 0.5 ? q : -q;
}
