import { devianceTerm, stirlingError } from './log_gamma.js';

/** The regularized incomplete beta function at one point: I_x(a, b) and 1 − I_x(a, b). */
export interface IncompleteBeta {
  readonly lower: number;
  readonly upper: number;
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b)/B(a, b) and its complement, for
 * a, b > 0 and 0 ≤ x ≤ 1, given x and y = 1 − x separately so that a caller who knows y exactly
 * (as the t and F distributions do) loses nothing to 1 − x. The continued fraction of
 * Press et al. (2007, Numerical Recipes §6.4) by Lentz's method, on I_x(a, b) when
 * x < (a + 1)/(a + b + 2) and on I_y(b, a) otherwise, times the prefix xᵃyᵇ/(a·B(a, b)) written
 * as a binomial density with Stirling errors and deviance terms (Loader, 2000), so that the small
 * tail keeps about 1e-14 relative accuracy even for large a and b.
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): IncompleteBeta {
  if (!(a > 0 && b > 0) || Number.isNaN(x) || Number.isNaN(y)) return { lower: NaN, upper: NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  if (x < (a + 1) / (a + b + 2)) {
    const lower = Math.min(1, prefix(x, y, a, b) * fraction(x, a, b));
    return { lower, upper: 1 - lower };
  }
  const upper = Math.min(1, prefix(y, x, b, a) * fraction(y, b, a));
  return { lower: 1 - upper, upper };
}

/**
 * xᵃyᵇ/(a·B(a, b)) = (b/n)·Γ(n+1)/(Γ(a+1)Γ(b+1))·xᵃyᵇ with n = a + b, the binomial density
 * exp(δ(n) − δ(a) − δ(b) − D(a, nx) − D(b, ny))·√(n/(2πab)).
 */
function prefix(x: number, y: number, a: number, b: number): number {
  const n = a + b;
  const log = stirlingError(n) - stirlingError(a) - stirlingError(b) - devianceTerm(a, n * x) - devianceTerm(b, n * y);
  return (b / n) * Math.exp(log) * Math.sqrt(n / (2 * Math.PI * a * b));
}

/** The continued fraction 1/(1 + d₁/(1 + d₂/(1 + …))) of I_x(a, b) (Numerical Recipes' betacf). */
function fraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}
