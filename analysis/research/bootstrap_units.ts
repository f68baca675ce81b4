import { quantileType7 } from '../math/quantile.js';
import { seededUniform } from '../math/random.js';

/** Percentile limits of one bootstrapped statistic. */
export interface BootstrapLimits {
  readonly lower: number;
  readonly upper: number;
  /** Resamples on which the statistic could be computed. */
  readonly valid: number;
}

export interface UnitBootstrapOptions {
  /** Resamples (default 5000). */
  readonly replicates?: number;
  /** Seed of the random stream (default 1). */
  readonly seed?: number;
  /** Coverage (default 0.95). */
  readonly level?: number;
}

/**
 * The nonparametric percentile bootstrap over units (Efron & Tibshirani, 1993, ch. 13;
 * doi:10.1201/9780429246593) for several statistics computed on the same resamples, as
 * mediation and moderated mediation need (Preacher & Hayes, 2008, doi:10.3758/BRM.40.3.879).
 * Each resample draws n units with replacement and is handed to `statistic` as how often each
 * unit was drawn (frequency weights), so models are refitted without copying rows. Units are
 * drawn with the library's seeded generator of `bootstrapInterval` (reliability), and the limits
 * are R's type-7 quantiles of the finite values: reproducible for a seed, though not R's stream
 * (R's `boot`/`sample` limits agree within Monte Carlo error).
 */
export function bootstrapUnits(
  n: number,
  statistics: number,
  statistic: (counts: Uint32Array) => ArrayLike<number>,
  { replicates = 5000, seed = 1, level = 0.95 }: UnitBootstrapOptions = {},
): BootstrapLimits[] {
  const random = seededUniform(seed);
  const draws = Array.from({ length: statistics }, () => new Float64Array(replicates));
  const counts = new Uint32Array(n);
  for (let b = 0; b < replicates; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]++;
    const v = statistic(counts);
    for (let k = 0; k < statistics; k++) draws[k][b] = v[k];
  }
  return draws.map((d) => {
    const finite = Array.from(d).filter(Number.isFinite).sort((a, b) => a - b);
    return { lower: quantileType7(finite, (1 - level) / 2), upper: quantileType7(finite, (1 + level) / 2), valid: finite.length };
  });
}
