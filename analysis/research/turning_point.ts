import { normalQuantile } from '../math/normal_distribution.js';
import { coefficient, termIndex, type Regression } from './regression.js';
import { tTails } from '../math/t_distribution.js';

export interface TurningPoint {
  readonly est: number;
  /** Delta-method SE from the classical covariance. */
  readonly se: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

export interface SlopeAt {
  readonly at: number;
  readonly est: number;
  readonly se: number;
  readonly t: number;
}

export interface LindMehlumTest {
  /** min(t at the lower bound, −t at the upper bound). */
  readonly t: number;
  /** P(T > t) with the model's residual df (n − 3). */
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
  readonly slopeLower: SlopeAt;
  readonly slopeUpper: SlopeAt;
}

/**
 * The turning point of y = b₀ + b₁x + b₂x², x* = −b₁/(2b₂), with the delta-method SE
 * √(g'Vg) with g the gradient of x* in (b₁, b₂), (−1/(2b₂), b₁/(2b₂²)), and the normal interval x* ± z·SE.
 * `linear` and `square` name the two terms. Checked against R by the numerical gradient of the
 * same function (test/fixtures/r/research-references.R).
 */
export function turningPoint(r: Regression, linear: string, square: string, level = 0.95): TurningPoint {
  const b1 = coefficient(r, linear).est;
  const b2 = coefficient(r, square).est;
  const i = termIndex(r, linear);
  const j = termIndex(r, square);
  const V = r.covariance;
  const g1 = -1 / (2 * b2);
  const g2 = b1 / (2 * b2 * b2);
  const se = Math.sqrt(g1 * g1 * V[i][i] + 2 * g1 * g2 * V[i][j] + g2 * g2 * V[j][j]);
  const est = -b1 / (2 * b2);
  const z = normalQuantile((1 + level) / 2);
  return { est, se, ciLower: est - z * se, ciUpper: est + z * se };
}

/** The slope b₁ + 2b₂x of the quadratic at x with its SE √(V₁₁ + 4x²V₂₂ + 4xV₁₂) and t. */
export function slopeAt(r: Regression, linear: string, square: string, x: number): SlopeAt {
  const i = termIndex(r, linear);
  const j = termIndex(r, square);
  const V = r.covariance;
  const est = r.terms[i].est + 2 * r.terms[j].est * x;
  const se = Math.sqrt(V[i][i] + 4 * x * x * V[j][j] + 4 * x * V[i][j]);
  return { at: x, est, se, t: est / se };
}

/**
 * Lind & Mehlum's (2010, doi:10.1111/j.1468-0084.2009.00569.x) test of an inverted U on
 * [lower, upper]: H₁ that the slope is positive at `lower` and negative at `upper`, an
 * intersection-union test whose statistic is the smaller of the two one-sided t values,
 * p = P(T(df) > t). Stata's `utest` computes the same statistic; matches R's hand computation in
 * shared/oracle/research.R.
 */
export function lindMehlum(r: Regression, linear: string, square: string, lower: number, upper: number): LindMehlumTest {
  const lo = slopeAt(r, linear, square, lower);
  const hi = slopeAt(r, linear, square, upper);
  const t = Math.min(lo.t, -hi.t);
  return { t, p: tTails(t, r.dfResidual).upper, lower, upper, slopeLower: lo, slopeUpper: hi };
}
