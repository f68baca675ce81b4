/**
 * R's default sample quantile (`quantile(x, prob, type = 7)`, Hyndman & Fan, 1996,
 * doi:10.2307/2684934): linear interpolation between the order statistics at h = (m − 1)·prob.
 * `sorted` must be ascending; NaN when it is empty. The one quantile of seici's resampling code.
 */
export function quantileType7(sorted: readonly number[], prob: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
