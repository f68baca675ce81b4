import { chiSquareUpperTail } from '../math/chi_square_distribution.js';
import { logDeterminant } from './linear_algebra.js';
import { factorOf, type CorrelationFactor } from './correlation_factor.js';

/**
 * Bartlett's test that a correlation matrix is the identity (Bartlett, 1951,
 * doi:10.1111/j.2044-8317.1951.tb00299.x): χ² = −ln|R| (n − 1 − (2p + 5)/6), df = p(p − 1)/2.
 * Matches psych::cortest.bartlett 2.2.9. `factor`: R's Cholesky factor, when the caller has it.
 */
export function bartlettSphericity(r: readonly (readonly number[])[], n: number, factor?: CorrelationFactor): { chisq: number; df: number; p: number } {
  const p = r.length;
  const f = factorOf(r, factor);
  const log = f.l ? f.logDeterminant : logDeterminant(r).log;
  const chisq = -log * (n - 1 - (2 * p + 5) / 6);
  const df = (p * (p - 1)) / 2;
  return { chisq, df, p: chiSquareUpperTail(chisq, df) };
}
