import { incompleteBeta } from './incomplete_beta.js';
import { positiveQuantile } from './invert_distribution.js';

/**
 * Both tails of Student's t distribution with `df` > 0 degrees of freedom at t: the tail beyond
 * |t| is ½·I_x(df/2, ½) with x = df/(df + t²) and 1 − x = t²/(df + t²) (`incompleteBeta`).
 * Matches R's `pt(t, df)` and its upper tail to about 1e-14 relative.
 */
export function tTails(t: number, df: number): { lower: number; upper: number } {
  if (!(df > 0) || Number.isNaN(t)) return { lower: NaN, upper: NaN };
  if (t === Infinity) return { lower: 1, upper: 0 };
  if (t === -Infinity) return { lower: 0, upper: 1 };
  const den = df + t * t;
  const ib = incompleteBeta(df / den, df / 2, 0.5, (t * t) / den);
  const beyond = 0.5 * ib.lower;
  const inside = 0.5 + 0.5 * ib.upper;
  return t < 0 ? { lower: beyond, upper: inside } : { lower: inside, upper: beyond };
}

/** P(T ≤ t). R's `pt(t, df)`. */
export function tCdf(t: number, df: number): number {
  return tTails(t, df).lower;
}

/** Two-sided p-value of a t statistic, 2·P(T > |t|) (R's `2 * pt(-abs(t), df)`). */
export function tTwoSided(t: number, df: number): number {
  return 2 * tTails(-Math.abs(t), df).lower;
}

/** The p-quantile of t(df), from the positive half by symmetry. R's `qt(p, df)`. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0) || Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0.5) return 0;
  // |q| is the positive t whose upper tail is the smaller of p and 1 − p (both exact)
  const s = positiveQuantile((t) => tTails(t, df), Math.min(p, 1 - p), 1, true);
  return p < 0.5 ? -s : s;
}
