import { pseudoInverseSymmetric } from './linear_algebra.js';
import { factorOf, type CorrelationFactor } from './correlation_factor.js';

/**
 * Squared multiple correlation of each variable with all the others, SMC_i = 1 − 1 / (R⁻¹)_ii,
 * the classic lower bound to the communality used as starting value by factor extraction
 * (Guttman, 1956, doi:10.1007/BF02289161). Like psych::smc 2.2.9 it uses the pseudo-inverse
 * (so a singular R still gives values) and clips the results to [0, 1]. `factor`, R's Cholesky
 * factor and inverse when the caller has them ({@link CorrelationFactor}), saves factoring R again.
 */
export function squaredMultipleCorrelations(r: readonly (readonly number[])[], factor?: CorrelationFactor): number[] {
  const f = factorOf(r, factor);
  const p = r.length;
  // for a positive-definite R the pseudo-inverse is the inverse, which Cholesky gives faster
  const inv = f.clearlyPositiveDefinite ? f.inverse()! : null;
  const pinv = inv ? null : pseudoInverseSymmetric(r);
  const out = new Array<number>(p);
  for (let i = 0; i < p; i++) {
    const s = 1 - 1 / (inv ? inv[i * p + i] : pinv![i][i]);
    out[i] = Number.isFinite(s) ? Math.min(1, Math.max(0, s)) : 1;
  }
  return out;
}
