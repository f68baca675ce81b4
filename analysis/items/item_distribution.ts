import { isNumericColumns, type NumericColumns } from '../data/columns.js';

/** How one item's answers are spread: count, mean, SD, and the shares at the scale's ends. */
export interface ItemDistribution {
  /** Answers given (non-missing values). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 divisor); NaN with fewer than 2 answers. */
  readonly sd: number;
  /** Share of answers at the scale minimum. */
  readonly floor: number;
  /** Share of answers at the scale maximum. */
  readonly ceiling: number;
}

/**
 * The distribution of column `j` of `data` over its answered (non-NaN) values:
 * mean x̄ = Σx/n, SD s = √(Σ(x − x̄)²/(n − 1)), floor = #{x = min}/n and ceiling = #{x = max}/n
 * for the scale bounds `min` and `max`. Floor and ceiling effects: a large share of answers at an
 * end of the scale hides differences between respondents (Terwee et al., 2007, flag 15 %;
 * doi:10.1016/j.jclinepi.2006.03.012). Mean and SD match psych::alpha 2.2.9's item.stats
 * (`mean`, `sd`, with na.rm = TRUE), and `n` its `n`. `data`: one column per item, or rows × items.
 */
export function itemDistribution(
  data: NumericColumns | readonly (readonly number[])[],
  j: number,
  scale: { readonly min: number; readonly max: number },
): ItemDistribution {
  let n = 0;
  let sum = 0;
  let atMin = 0;
  let atMax = 0;
  const x = isNumericColumns(data) ? data.columns[j].subarray(0, data.length) : data.map((row) => row[j]);
  for (const v of x) {
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    if (v === scale.min) atMin++;
    if (v === scale.max) atMax++;
  }
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (const v of x) {
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN,
    floor: n > 0 ? atMin / n : NaN,
    ceiling: n > 0 ? atMax / n : NaN,
  };
}
