import { fQuantile } from '../math/f_distribution.js';

/** A confidence interval for a reliability coefficient. */
export interface ConfidenceInterval {
  readonly lower: number;
  readonly upper: number;
  /** Coverage, e.g. 0.95. */
  readonly level: number;
  readonly method: string;
}

/**
 * Feldt's (1965) confidence interval for Cronbach's alpha, from the F distribution of
 * (1 − α̂)/(1 − α) with n − 1 and (n − 1)(p − 1) degrees of freedom (n respondents, p items):
 * lower = 1 − (1 − α̂) F_{1−γ/2}, upper = 1 − (1 − α̂) F_{γ/2}, γ = 1 − level.
 * Feldt (1965), doi:10.1007/BF02289499. Matches psych::alpha.ci 2.2.9 (psych::alpha's `feldt`).
 */
export function feldtInterval(alpha: number, n: number, p: number, level = 0.95): ConfidenceInterval {
  const gamma = 1 - level;
  const df1 = n - 1;
  const df2 = (n - 1) * (p - 1);
  return {
    lower: 1 - (1 - alpha) * fQuantile(1 - gamma / 2, df1, df2),
    upper: 1 - (1 - alpha) * fQuantile(gamma / 2, df1, df2),
    level,
    method: 'feldt',
  };
}
