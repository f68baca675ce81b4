import { createRequire } from 'node:module';

const { jStat } = createRequire(import.meta.url)('jstat') as { jStat: { lowRegGamma(a: number, x: number): number; gammaln(x: number): number } };

/**
 * Distribution function of the non-central χ² with `df` degrees of freedom and
 * non-centrality `ncp`: P(X ≤ x) = Σ_j Pois(j; ncp/2) · P(χ²_{df+2j} ≤ x), summed outward
 * from the Poisson mode until the terms vanish (Johnson, Kotz & Balakrishnan, 1995, ch. 29).
 * Matches R's pchisq(x, df, ncp) to about 1e-12; ncp = 0 gives the central χ².
 */
export function pchisq(x: number, df: number, ncp = 0): number {
  if (!(x > 0)) return 0;
  if (!Number.isFinite(x)) return 1;
  if (ncp <= 0) return jStat.lowRegGamma(df / 2, x / 2);
  const half = ncp / 2;
  const mode = Math.floor(half);
  const logPois = (j: number) => -half + j * Math.log(half) - jStat.gammaln(j + 1);
  let total = 0;
  for (let j = mode; ; j++) {
    const w = Math.exp(logPois(j));
    const term = w * jStat.lowRegGamma(df / 2 + j, x / 2);
    total += term;
    if (w < 1e-17 && j > mode + 5) break;
  }
  for (let j = mode - 1; j >= 0; j--) {
    const w = Math.exp(logPois(j));
    total += w * jStat.lowRegGamma(df / 2 + j, x / 2);
    if (w < 1e-17) break;
  }
  return Math.min(1, total);
}

/** Upper tail of the central χ²: P(X > x). */
export function chisqUpperTail(x: number, df: number): number {
  if (df <= 0) return NaN;
  if (!(x > 0)) return 1;
  return 1 - jStat.lowRegGamma(df / 2, x / 2);
}

/** Root of a monotone function on [lo, hi] by bisection (tolerance on the argument). */
export function bisect(f: (v: number) => number, lo: number, hi: number, tol = 1e-10): number {
  let flo = f(lo);
  for (let i = 0; i < 200 && hi - lo > tol * Math.max(1, Math.abs(lo)); i++) {
    const mid = 0.5 * (lo + hi);
    const fm = f(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid;
      flo = fm;
    } else hi = mid;
  }
  return 0.5 * (lo + hi);
}
