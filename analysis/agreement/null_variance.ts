import { InputError } from '../errors.js';

/** The shapes of null (no-agreement) response distributions that rwg can be compared with. */
export const NULL_DISTRIBUTIONS = ['uniform', 'slight-skew', 'moderate-skew', 'heavy-skew', 'triangular', 'normal'] as const;
export type NullDistribution = (typeof NULL_DISTRIBUTIONS)[number];

/**
 * Expected variance of the uniform (rectangular) null over A response options:
 * σ²E = (A² − 1) / 12 (James, Demaree & Wolf, 1984, doi:10.1037/0021-9010.69.1.85).
 * multilevel::rwg's `ranvar` for A = 5 is this value, 2.
 */
export function uniformNullVariance(scalePoints: number): number {
  if (!Number.isInteger(scalePoints) || scalePoints < 2) {
    throw new InputError('scalePoints', `scalePoints must be a whole number of at least 2; got ${scalePoints}.`);
  }
  return (scalePoints * scalePoints - 1) / 12;
}

/**
 * Published variances of the non-uniform nulls, by number of response options (5–11):
 * LeBreton & Senter (2008), Table 3, doi:10.1177/1094428106296642 (the same table ships in
 * LeBreton's WGA package). The 5-point rows follow from the response proportions of James et al.
 * (1984): slight skew .05/.15/.20/.35/.25 → 1.34, moderate .00/.10/.15/.40/.35 → 0.90,
 * heavy .00/.00/.10/.40/.50 → 0.44, triangular .11/.22/.34/.22/.11 → 1.32,
 * normal .07/.24/.38/.24/.07 → 1.04.
 */
const PUBLISHED: Readonly<Record<number, Readonly<Record<Exclude<NullDistribution, 'uniform'>, number>>>> = {
  5: { 'slight-skew': 1.34, 'moderate-skew': 0.9, 'heavy-skew': 0.44, triangular: 1.32, normal: 1.04 },
  6: { 'slight-skew': 1.85, 'moderate-skew': 1.26, 'heavy-skew': 0.69, triangular: 1.45, normal: 1.25 },
  7: { 'slight-skew': 2.9, 'moderate-skew': 2.14, 'heavy-skew': 1.39, triangular: 2.1, normal: 1.4 },
  8: { 'slight-skew': 3.47, 'moderate-skew': 2.79, 'heavy-skew': 2.35, triangular: 2.81, normal: 1.73 },
  9: { 'slight-skew': 5.66, 'moderate-skew': 4.73, 'heavy-skew': 3.16, triangular: 3.0, normal: 1.58 },
  10: { 'slight-skew': 6.3, 'moderate-skew': 5.09, 'heavy-skew': 3.46, triangular: 2.89, normal: 1.45 },
  11: { 'slight-skew': 7.31, 'moderate-skew': 6.32, 'heavy-skew': 4.02, triangular: 3.32, normal: 1.4 },
};

/**
 * The expected error variance σ²E of a null response distribution over A options: the exact
 * uniform value (A² − 1)/12, or LeBreton & Senter's (2008) published value for a skewed,
 * triangular or normal null (available for 5 to 11 options).
 */
export function nullVariance(scalePoints: number, distribution: NullDistribution = 'uniform'): number {
  if (distribution === 'uniform') return uniformNullVariance(scalePoints);
  if (!(NULL_DISTRIBUTIONS as readonly string[]).includes(distribution)) {
    throw new InputError('null', `null must be one of ${NULL_DISTRIBUTIONS.join(', ')}; got "${distribution}".`);
  }
  const row = PUBLISHED[scalePoints];
  if (row === undefined) {
    throw new InputError(
      'scalePoints',
      `the ${distribution} null is published only for 5 to 11 response options; got ${scalePoints}.`,
    );
  }
  return row[distribution];
}
