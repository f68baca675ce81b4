/** A distribution function that gives both tails at a point, each accurate where it is small. */
export type Tails = (x: number) => { readonly lower: number; readonly upper: number };

/**
 * The p-quantile of a continuous distribution on (0, ∞): the x with P(X ≤ x) = p (or, with
 * `upperTail`, P(X > x) = p), solved on the tail that is small (so that quantiles near 1 keep their
 * accuracy) by bracketing from `start` and bisection on ln x down to the last bit. Used by the χ²,
 * F and t quantiles; only as accurate as `tails`.
 */
export function positiveQuantile(tails: Tails, p: number, start: number, upperTail = false): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === (upperTail ? 1 : 0)) return 0;
  if (p === (upperTail ? 0 : 1)) return Infinity;
  // the probability of the small tail, given exactly either way
  const useLower = upperTail ? p > 0.5 : p < 0.5;
  const target = upperTail ? (useLower ? 1 - p : p) : useLower ? p : 1 - p;
  // g(x) increases in x: lower(x) − p, or (1 − p) − upper(x)
  const g = (x: number) => {
    const t = tails(x);
    return useLower ? t.lower - target : target - t.upper;
  };
  let lo = start > 0 && Number.isFinite(start) ? start : 1;
  let hi = lo;
  while (g(lo) > 0 && lo > 1e-300) lo /= 2;
  while (g(hi) < 0 && hi < 1e300) hi *= 2;
  if (g(hi) < 0) return Infinity;
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let i = 0; i < 400; i++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    if (g(Math.exp(m)) < 0) a = m;
    else b = m;
  }
  return Math.exp(0.5 * (a + b));
}
