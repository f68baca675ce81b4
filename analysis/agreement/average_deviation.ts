/**
 * Average deviation index AD of one item (Burke, Finkelstein & Dusig, 1999,
 * doi:10.1177/109442819921004): the mean absolute deviation of the raters' answers from
 * their mean (or median), AD = Σ|x − x̄| / k. NaN for fewer than two raters.
 * Matches multilevel::ad.m 2.7 for one item. `values` may be a reused typed-array buffer.
 */
export function averageDeviationItem(values: ArrayLike<number>, center: 'mean' | 'median' = 'mean'): number {
  const k = values.length;
  if (k < 2) return NaN;
  let c: number;
  if (center === 'mean') {
    let s = 0;
    for (let i = 0; i < k; i++) s += values[i];
    c = s / k;
  } else {
    const sorted = Array.from(values).sort((a, b) => a - b);
    c = k % 2 === 1 ? sorted[(k - 1) / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  }
  let dev = 0;
  for (let i = 0; i < k; i++) dev += Math.abs(values[i] - c);
  return dev / k;
}

/**
 * AD_M(J) of a J-item scale: the mean of the items' AD values (Burke et al., 1999).
 * Matches multilevel::ad.m 2.7 with several items.
 */
export function averageDeviationScale(itemValues: readonly (readonly number[])[], center: 'mean' | 'median' = 'mean'): number {
  if (itemValues.length === 0) return NaN;
  let s = 0;
  for (const values of itemValues) s += averageDeviationItem(values, center);
  return s / itemValues.length;
}

/**
 * Burke & Dunlap's (2002) practical cut-off for AD, c = A/6 for A response options
 * (doi:10.1177/1094428102005002002): AD at or below it indicates agreement (0.83 for 5 points).
 */
export function averageDeviationCutoff(scalePoints: number): number {
  return scalePoints / 6;
}
