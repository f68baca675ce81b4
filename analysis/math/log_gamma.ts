/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, nine terms; Lanczos, 1964,
 * doi:10.1137/0701008; Press et al., 2007, Numerical Recipes §6.1), with the reflection formula
 * below ½. Relative error about 1e-15. Matches R's `lgamma` for positive arguments.
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) s += LANCZOS[i] / (xx + i);
  const t = xx + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * The error of Stirling's formula, δ(n) = ln Γ(n+1) − (n + ½) ln n + n − ln √(2π), for n > 0:
 * its asymptotic series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹) above 15,
 * where it is exact to double precision, and the definition below (Loader, 2000, "Fast and
 * accurate computation of binomial probabilities"). With `devianceTerm` it evaluates densities
 * such as xᵃe⁻ˣ/Γ(a+1) without the cancellation of ln Γ at large arguments.
 */
export function stirlingError(n: number): number {
  if (n > 15) {
    const n2 = 1 / (n * n);
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - n2 / 1188) * n2) * n2) * n2) / n;
  }
  return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - 0.5 * Math.log(2 * Math.PI);
}

/**
 * The deviance term D(x, m) = x ln(x/m) + m − x ≥ 0 of a Poisson or binomial density, by its
 * series 2x Σ v^{2j+1}/(2j+1) − (x − m)v with v = (x − m)/(x + m) when x is near m, so that it
 * keeps its relative accuracy there (Loader, 2000). x ≥ 0, m > 0.
 */
export function devianceTerm(x: number, m: number): number {
  if (x === 0) return m;
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    const v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** The Poisson-type density mᵃe⁻ᵐ/Γ(a+1) for real a ≥ 0, m ≥ 0, as exp(−δ(a) − D(a, m))/√(2πa) (R's dpois_raw). */
export function poissonDensity(a: number, m: number): number {
  if (a === 0) return Math.exp(-m);
  if (m === 0) return 0;
  if (!Number.isFinite(m)) return 0;
  return Math.exp(-stirlingError(a) - devianceTerm(a, m)) / Math.sqrt(2 * Math.PI * a);
}
