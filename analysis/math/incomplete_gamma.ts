import { poissonDensity } from './log_gamma.js';

/** The regularized incomplete gamma functions at one point: P(a, x) and Q(a, x) = 1 − P(a, x). */
export interface IncompleteGamma {
  readonly lower: number;
  readonly upper: number;
}

/**
 * Regularized incomplete gamma functions P(a, x) = γ(a, x)/Γ(a) and Q(a, x) = Γ(a, x)/Γ(a) for
 * a > 0, x ≥ 0: the series P = d · Σₙ xⁿ/((a+1)···(a+n)) for x < a + 1 and Legendre's continued
 * fraction Q = a·d/(x + 1 − a − 1(1−a)/(x + 3 − a − …)) by Lentz's method otherwise (Press et al.,
 * 2007, Numerical Recipes §6.2), with d = xᵃe⁻ˣ/Γ(a+1) from `poissonDensity`, so that whichever
 * tail is small keeps its relative accuracy (about 1e-14) far out. The other tail is 1 minus it.
 */
export function incompleteGamma(a: number, x: number): IncompleteGamma {
  if (!(a > 0) || Number.isNaN(x)) return { lower: NaN, upper: NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (x === Infinity) return { lower: 1, upper: 0 };
  const d = poissonDensity(a, x);
  if (x < a + 1) {
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 100000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    const lower = Math.min(1, d * sum);
    return { lower, upper: 1 - lower };
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let e = 1 / b;
  let h = e;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    e = an * e + b;
    if (Math.abs(e) < tiny) e = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    e = 1 / e;
    const del = e * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const upper = Math.min(1, a * d * h);
  return { lower: 1 - upper, upper };
}
