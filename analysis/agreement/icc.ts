import { fUpperTail } from '../math/f_distribution.js';

/** One-way ANOVA of a score on unit membership, with the two ICCs it implies. */
export interface OneWayIcc {
  readonly n: number;
  readonly units: number;
  readonly msb: number;
  readonly msw: number;
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
  readonly icc1: number;
  readonly icc2: number;
}

/**
 * Writes the scores of unit `unit` into `out` (as long as the largest unit) and returns how many
 * there are; called twice per unit, in unit order.
 */
export type UnitScores = (unit: number, out: Float64Array) => number;

/**
 * ICC(1) and ICC(2) from a one-way random-effects ANOVA of `scores` on `groups`
 * (Bliese, 2000; Bartko, 1976, doi:10.1037/0033-2909.83.5.762):
 *   ICC(1) = (MSB − MSW) / (MSB + (k − 1)·MSW) with k = N/J (the mean unit size),
 *   ICC(2) = (MSB − MSW) / MSB,
 * and the F test F = MSB/MSW on (J − 1, N − J) degrees of freedom.
 * Matches multilevel::ICC1 and multilevel::ICC2 2.7 on `aov(score ~ as.factor(unit))`.
 * `members` lists each unit's indices into `scores` (arrays or typed arrays); every score they
 * name must be observed.
 */
export function oneWayIcc(scores: ArrayLike<number>, members: readonly ArrayLike<number>[]): OneWayIcc {
  let largest = 0;
  for (const rows of members) largest = Math.max(largest, rows.length);
  return oneWayIccByUnit(members.length, largest, (g, out) => {
    const rows = members[g];
    for (let k = 0; k < rows.length; k++) out[k] = scores[rows[k]];
    return rows.length;
  });
}

/**
 * {@link oneWayIcc} with each unit's scores written on demand into one buffer of `largest`
 * values, so that a caller with millions of respondents (`agreement`) keeps no score per row:
 * the grand mean in a first pass over the units, then each unit's mean and the two sums of
 * squares in a second, every sum taken in the same order as oneWayIcc's.
 */
export function oneWayIccByUnit(units: number, largest: number, scoresOf: UnitScores): OneWayIcc {
  const out = new Float64Array(largest);
  let n = 0;
  let grand = 0;
  for (let g = 0; g < units; g++) {
    const size = scoresOf(g, out);
    for (let k = 0; k < size; k++) grand += out[k];
    n += size;
  }
  grand /= n;
  let ssb = 0;
  let ssw = 0;
  let used = 0;
  for (let g = 0; g < units; g++) {
    const size = scoresOf(g, out);
    if (size === 0) continue;
    used++;
    let s = 0;
    for (let k = 0; k < size; k++) s += out[k];
    const m = s / size;
    ssb += size * (m - grand) * (m - grand);
    for (let k = 0; k < size; k++) ssw += (out[k] - m) * (out[k] - m);
  }
  const df1 = used - 1;
  const df2 = n - used;
  const msb = df1 > 0 ? ssb / df1 : NaN;
  const msw = df2 > 0 ? ssw / df2 : NaN;
  const F = msb / msw;
  const k = n / used;
  return {
    n,
    units: used,
    msb,
    msw,
    F,
    df1,
    df2,
    p: fUpperTail(F, df1, df2),
    icc1: (msb - msw) / (msb + (k - 1) * msw),
    icc2: (msb - msw) / msb,
  };
}
