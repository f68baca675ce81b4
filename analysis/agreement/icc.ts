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
  let n = 0;
  let grand = 0;
  for (const rows of members) {
    for (let k = 0; k < rows.length; k++) grand += scores[rows[k]];
    n += rows.length;
  }
  grand /= n;
  let ssb = 0;
  let ssw = 0;
  for (const rows of members) {
    if (rows.length === 0) continue;
    let s = 0;
    for (let k = 0; k < rows.length; k++) s += scores[rows[k]];
    const m = s / rows.length;
    ssb += rows.length * (m - grand) * (m - grand);
    for (let k = 0; k < rows.length; k++) ssw += (scores[rows[k]] - m) * (scores[rows[k]] - m);
  }
  const units = members.filter((r) => r.length > 0).length;
  const df1 = units - 1;
  const df2 = n - units;
  const msb = df1 > 0 ? ssb / df1 : NaN;
  const msw = df2 > 0 ? ssw / df2 : NaN;
  const F = msb / msw;
  const k = n / units;
  return {
    n,
    units,
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
