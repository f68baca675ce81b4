/**
 * Brown & Hauenstein's (2005) awg for one item of one unit, doi:10.1177/1094428105275376:
 *   awg = 1 − 2s² / {[(H + L)M − M² − H·L] · k/(k − 1)},
 * the observed variance s² (n − 1) relative to the largest variance possible at the unit's mean
 * M on a scale from L to H with k raters. Undefined (NaN) when M lies so close to an end that
 * the maximum variance is not attainable, M < [L(k − 1) + H]/k or M > [H(k − 1) + L]/k; 1 when
 * every rater chose the same end point; NaN for fewer than two raters.
 * Matches multilevel::awg 2.7 (single item). `values` may be a reused typed-array buffer.
 */
export function awgItem(values: ArrayLike<number>, low: number, high: number): number {
  const k = values.length;
  if (k < 2) return NaN;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += values[i];
  const m = sum / k;
  let ss = 0;
  for (let i = 0; i < k; i++) ss += (values[i] - m) * (values[i] - m);
  const variance = ss / (k - 1);
  if (m === high || m === low) return 1;
  if (m < (low * (k - 1) + high) / k || m > (high * (k - 1) + low) / k) return NaN;
  return 1 - (2 * variance) / (((high + low) * m - m * m - high * low) * (k / (k - 1)));
}

/**
 * awg of a multi-item scale: the mean of the item awg values that are defined (Brown &
 * Hauenstein, 2005). Matches multilevel::awg 2.7 with several items (`na.rm = TRUE`).
 */
export function awgScale(itemValues: readonly (readonly number[])[], low: number, high: number): number {
  let sum = 0;
  let count = 0;
  for (const values of itemValues) {
    const a = awgItem(values, low, high);
    if (!Number.isNaN(a)) {
      sum += a;
      count++;
    }
  }
  return count === 0 ? NaN : sum / count;
}
