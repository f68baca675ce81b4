import { binomialCriticalCount } from '../math/binomial_distribution.js';

/**
 * Lawshe's (1975, doi:10.1111/j.1744-6570.1975.tb01393.x) content validity ratio of an item
 * judged "essential" by nₑ of N experts:
 *
 *   CVR = (nₑ − N/2) / (N/2),
 *
 * from −1 (nobody) through 0 (half) to +1 (everybody). Null when N = 0.
 */
export function contentValidityRatio(essential: number, experts: number): number | null {
  if (experts <= 0) return null;
  return (essential - experts / 2) / (experts / 2);
}

/**
 * The critical CVR for N experts at one-tailed level `alpha` (Ayre & Scally, 2014,
 * doi:10.1177/0748175613513808): the CVR of the smallest count nₑ whose exact binomial upper
 * tail under π = ½ is at most alpha, P(X ≥ nₑ | N, ½) ≤ alpha. Null when no count can reach
 * significance (N ≤ 4 at alpha = .05, since ½⁴ = .0625). R: `n_e <- qbinom(1 - alpha, N, .5) + 1`.
 */
export function criticalContentValidityRatio(experts: number, alpha = 0.05): number | null {
  const count = binomialCriticalCount(experts, alpha, 0.5);
  return count === null ? null : contentValidityRatio(count, experts);
}
