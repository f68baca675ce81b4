/**
 * The median of the numbers: the middle value, or the mean of the two middle values of an
 * even count (R's `median`). NaN for none. Sorts a copy.
 */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const m = n >> 1;
  return n % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
