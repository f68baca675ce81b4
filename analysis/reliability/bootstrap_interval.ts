import { quantileType7 } from '../math/quantile.js';
import { seededUniform } from '../math/random.js';

/** A percentile bootstrap interval and how it was obtained. */
export interface BootstrapInterval {
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly method: 'percentile bootstrap';
  /** Resamples drawn. */
  readonly replicates: number;
  /** Resamples whose statistic could be computed (finite); the interval uses only these. */
  readonly valid: number;
  readonly seed: number;
}

export interface BootstrapOptions {
  /** Resamples to draw (default 1000). */
  readonly replicates?: number;
  /** Seed of the random stream (default 1): the same seed gives the same interval. */
  readonly seed?: number;
  /** Coverage (default 0.95). */
  readonly level?: number;
}

/**
 * A seeded nonparametric percentile bootstrap interval (Efron & Tibshirani, 1993, An
 * Introduction to the Bootstrap, ch. 13; doi:10.1201/9780429246593): draw `replicates` samples
 * of n rows with replacement, compute `statistic` on each, and take the (1 − level)/2 and
 * (1 + level)/2 quantiles of the finite results (R's default `quantile`, type 7). A resample is
 * handed to `statistic` as how often each of the n rows was drawn, so that a statistic can weight
 * the rows instead of copying them. Rows are drawn with a 32-bit generator seeded by `seed`: an
 * interval is reproducible, though not R's random stream.
 */
export function bootstrapInterval(
  n: number,
  statistic: (counts: Uint32Array) => number,
  { replicates = 1000, seed = 1, level = 0.95 }: BootstrapOptions = {},
): BootstrapInterval {
  const random = seededUniform(seed);
  const values: number[] = [];
  const counts = new Uint32Array(n);
  for (let b = 0; b < replicates; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]++;
    const v = statistic(counts);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  return {
    lower: quantileType7(values, (1 - level) / 2),
    upper: quantileType7(values, (1 + level) / 2),
    level,
    method: 'percentile bootstrap',
    replicates,
    valid: values.length,
    seed,
  };
}
