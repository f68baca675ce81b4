/**
 * Standard normal density, distribution function and quantile function in double precision.
 *
 * Φ uses the Taylor series Φ(x) = ½ + φ(x) Σ x^{2n+1}/(1·3···(2n+1)) for |x| ≤ 3 (Marsaglia, 2004,
 * doi:10.18637/jss.v011.i04) and the continued fraction of the Mills ratio in the tails (Abramowitz &
 * Stegun 26.2.14), so the lower tail keeps its relative accuracy. The quantile starts from
 * Abramowitz & Stegun 26.2.23 and is polished by Halley steps on Φ. Agree with R's pnorm/qnorm to
 * about 1e-15.
 */
const SQRT_2PI = Math.sqrt(2 * Math.PI);

export function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/** Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (Math.abs(x) <= 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 3; k < 500; k += 2) {
      term *= x2 / k;
      sum += term;
      if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
    }
    return 0.5 + normalDensity(x) * sum;
  }
  const upper = upperTail(Math.abs(x));
  return x > 0 ? 1 - upper : upper;
}

/** P(Z > t) for t > 0 by the continued fraction φ(t) / (t + 1/(t + 2/(t + 3/(t + ...)))). */
function upperTail(t: number): number {
  if (t > 40) return 0;
  let f = t;
  for (let k = 400; k >= 1; k--) f = t + k / f;
  return normalDensity(t) / f;
}

/** The p-quantile of the standard normal distribution, Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -normalQuantile(1 - p); // 1 − p is exact for p in [0.5, 1]
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 8; i++) {
    // Halley step on Φ(x) − p
    const d = (normalCdf(x) - p) / normalDensity(x);
    const step = d / (1 + (x * d) / 2);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
