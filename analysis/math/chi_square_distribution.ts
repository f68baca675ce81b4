import { incompleteGamma } from './incomplete_gamma.js';
import { positiveQuantile } from './invert_distribution.js';
import { poissonDensity } from './log_gamma.js';

/**
 * Both tails of the central χ² distribution with `df` > 0 degrees of freedom at x:
 * P(X ≤ x) = P(df/2, x/2) and P(X > x) = Q(df/2, x/2) (`incompleteGamma`), each accurate to about
 * 1e-14 relative where it is small. Matches R's `pchisq(x, df)` and `pchisq(x, df, lower.tail = FALSE)`.
 */
export function chiSquareTails(x: number, df: number): { lower: number; upper: number } {
  if (!(df > 0)) return { lower: NaN, upper: NaN };
  return incompleteGamma(df / 2, x / 2);
}

/** P(X ≤ x) for X ~ χ²(df). R's `pchisq(x, df)`. */
export function chiSquareCdf(x: number, df: number): number {
  return chiSquareTails(x, df).lower;
}

/** P(X > x) for X ~ χ²(df): the p-value of a χ² test. R's `pchisq(x, df, lower.tail = FALSE)`. */
export function chiSquareUpperTail(x: number, df: number): number {
  return chiSquareTails(x, df).upper;
}

/** The χ²(df) density at x > 0, (df/2x)·(x/2)^{df/2}e^{−x/2}/Γ(df/2 + 1). R's `dchisq`. */
export function chiSquareDensity(x: number, df: number): number {
  if (!(x > 0)) return 0;
  return ((df / 2) / x) * poissonDensity(df / 2, x / 2);
}

/**
 * The p-quantile of χ²(df), started at the Wilson–Hilferty approximation and solved on the small
 * tail (`positiveQuantile`). Matches R's `qchisq(p, df)` to about 1e-14 relative.
 */
export function chiSquareQuantile(p: number, df: number): number {
  if (!(df > 0)) return NaN;
  const h = 2 / (9 * df);
  const z = p > 0 && p < 1 ? wilsonHilfertyZ(p) : 0;
  const start = df * Math.max(1e-3, 1 - h + z * Math.sqrt(h)) ** 3;
  return positiveQuantile((x) => chiSquareTails(x, df), p, start);
}

/** A rough normal quantile for the start value (Abramowitz & Stegun 26.2.23). */
function wilsonHilfertyZ(p: number): number {
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  const z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  return p < 0.5 ? -z : z;
}
