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

/** R's default sample quantile (type 7) of ascending `sorted` values; NaN when there are none. */
export function quantileType7(sorted: readonly number[], prob: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Uniform numbers in [0, 1) from a seeded 32-bit generator (the "mulberry32" construction:
 * a Weyl sequence scrambled by multiply-xorshift steps; period 2^32).
 */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
