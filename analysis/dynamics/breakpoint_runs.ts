/** A run of over periods in one series, in indices of the series. */
export interface OverRun {
  readonly first: number;
  readonly last: number;
  /** How many over periods (with a value) the run holds. */
  readonly periods: number;
  /** The largest value in the run. */
  readonly peak: number;
}

/**
 * The runs of at least `persistence` consecutive over periods in a series
 * (shared/CONTRACT.md `breakpoints`): walking the periods that have a value (NaN = none) in
 * order, an over period starts or extends a run, a period with a value that is not over
 * ends it, and a period without a value is skipped: it breaks no run and extends none.
 */
export function overRuns(
  values: ArrayLike<number>,
  over: (value: number) => boolean,
  persistence: number,
): OverRun[] {
  const runs: OverRun[] = [];
  let first = -1, last = -1, count = 0, peak = -Infinity;
  const close = () => {
    if (count >= persistence) runs.push({ first, last, periods: count, peak });
    first = -1;
    count = 0;
    peak = -Infinity;
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (over(v)) {
      if (count === 0) first = i;
      last = i;
      count++;
      if (v > peak) peak = v;
    } else if (count > 0) close();
  }
  if (count > 0) close();
  return runs;
}

/**
 * A unit's baseline for a signal: the median of its first `periods` values (NaN skipped);
 * with fewer values, the median of those there are; NaN when there are none.
 */
export function signalBaseline(values: ArrayLike<number>, periods: number): number {
  const taken: number[] = [];
  for (let i = 0; i < values.length && taken.length < periods; i++) if (!Number.isNaN(values[i])) taken.push(values[i]);
  if (taken.length === 0) return NaN;
  taken.sort((a, b) => a - b);
  const m = taken.length >> 1;
  return taken.length % 2 === 1 ? taken[m] : (taken[m - 1] + taken[m]) / 2;
}
