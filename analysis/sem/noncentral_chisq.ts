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
  // P(a+1, y) = P(a, y) − e^{a ln y − y − lnΓ(a+1)}: walk out from the Poisson mode
  const half = ncp / 2;
  const y = x / 2;
  const a0 = df / 2;
  const mode = Math.floor(half);
  const logPois = (j: number) => -half + j * Math.log(half) - jStat.gammaln(j + 1);
  const start = jStat.lowRegGamma(a0 + mode, y);
  let total = 0;
  let p = start;
  for (let j = mode; ; j++) {
    const w = Math.exp(logPois(j));
    total += w * p;
    if (w < 1e-17 && j > mode + 5) break;
    const a = a0 + j;
    p -= Math.exp(a * Math.log(y) - y - jStat.gammaln(a + 1));
    if (p < 0) p = 0;
  }
  p = start;
  for (let j = mode - 1; j >= 0; j--) {
    const a = a0 + j;
    p += Math.exp(a * Math.log(y) - y - jStat.gammaln(a + 1));
    const w = Math.exp(logPois(j));
    total += w * Math.min(p, 1);
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
