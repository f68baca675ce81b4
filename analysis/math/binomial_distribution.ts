import { logGamma } from './log_gamma.js';

/**
 * The binomial distribution B(n, p): its probability mass, its exact upper tail and the
 * critical count of a one-tailed exact test.
 *
 *   P(X = k) = C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ,   P(X ≥ k) = Σ_{j=k}^{n} P(X = j).
 *
 * Terms are summed from the far tail inwards in log space (log C(n, k) from log Γ), so the
 * tail keeps its relative accuracy for any n. Matches R's `dbinom(k, n, p)` and
 * `pbinom(k − 1, n, p, lower.tail = FALSE)` to about 1e-14 relative.
 */
export function binomialMass(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1)) return NaN;
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  const logChoose = logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≥ k) for X ~ B(n, p): R's `pbinom(k - 1, n, p, lower.tail = FALSE)`. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0 || !(p >= 0 && p <= 1) || Number.isNaN(k)) return NaN;
  const from = Math.max(0, Math.ceil(k));
  if (from > n) return 0;
  let sum = 0;
  for (let j = n; j >= from; j--) sum += binomialMass(j, n, p);
  return Math.min(1, sum);
}

/**
 * The critical count of the exact one-tailed binomial test of H₀: π = p against π > p at level
 * `alpha`: the smallest k with P(X ≥ k) ≤ alpha, or null when even k = n does not reach it
 * (pⁿ > alpha). Equals R's `qbinom(1 - alpha, n, p) + 1` (up to the tie where P(X ≥ k) equals
 * alpha exactly, which this function counts as significant).
 */
export function binomialCriticalCount(n: number, alpha: number, p = 0.5): number | null {
  if (!Number.isInteger(n) || n < 1 || !(alpha > 0 && alpha < 1) || !(p > 0 && p < 1)) return null;
  let tail = 0;
  let critical: number | null = null;
  for (let k = n; k >= 0; k--) {
    tail += binomialMass(k, n, p);
    if (tail <= alpha * (1 + 1e-12)) critical = k;
    else break;
  }
  return critical;
}
