import { incompleteBeta } from './incomplete_beta.js';
import { positiveQuantile } from './invert_distribution.js';

/**
 * Both tails of the F distribution with df1 and df2 degrees of freedom at f ≥ 0:
 * P(F ≤ f) = I_x(df1/2, df2/2) with x = df1·f/(df1·f + df2) and 1 − x = df2/(df1·f + df2) formed
 * without subtraction (`incompleteBeta`). Matches R's `pf(f, df1, df2)` and its upper tail to about
 * 1e-14 relative.
 */
export function fTails(f: number, df1: number, df2: number): { lower: number; upper: number } {
  if (!(df1 > 0 && df2 > 0) || Number.isNaN(f)) return { lower: NaN, upper: NaN };
  if (f <= 0) return { lower: 0, upper: 1 };
  if (f === Infinity) return { lower: 1, upper: 0 };
  const den = df1 * f + df2;
  return incompleteBeta((df1 * f) / den, df1 / 2, df2 / 2, df2 / den);
}

/** P(F ≤ f). R's `pf(f, df1, df2)`. */
export function fCdf(f: number, df1: number, df2: number): number {
  return fTails(f, df1, df2).lower;
}

/** P(F > f): the p-value of an F test. R's `pf(f, df1, df2, lower.tail = FALSE)`. */
export function fUpperTail(f: number, df1: number, df2: number): number {
  return fTails(f, df1, df2).upper;
}

/** The p-quantile of F(df1, df2), solved on the small tail. R's `qf(p, df1, df2)`. */
export function fQuantile(p: number, df1: number, df2: number): number {
  if (!(df1 > 0 && df2 > 0)) return NaN;
  return positiveQuantile((f) => fTails(f, df1, df2), p, 1);
}
