import { InputError } from '../errors.js';

/**
 * The publication policy of seici: what may leave the analysis as a result. One value decides
 * it, the minimum group size k; every other rule follows from k:
 * - a respondent counts toward k only when valid (a score for every cell: at least half of each
 *   cell's items answered), and every published mean covers at least k valid respondents;
 * - a parent unit is published over all its descendants' respondents (a roll-up);
 * - complementary suppression: no published aggregate minus the published aggregates nested in
 *   it leaves 1 … k − 1 people;
 * - no two publications of the same unit-wave differ by 1 … k − 1 respondents (results are
 *   published only after a wave closes, and a republication must match or differ by ≥ k);
 * - a derived value (z, misalignment, drift, trends) uses only unit-waves publishable under the
 *   larger k of the waves it compares;
 * - a suppressed aggregate carries no score, no statistic and no respondent count.
 * The rules follow the practice of statistical disclosure control for frequency and magnitude
 * tables (Hundepool et al., 2012, Statistical Disclosure Control, Wiley, doi:10.1002/9781118348239,
 * ch. 4: minimum frequency rule and secondary suppression).
 */
export interface PublicationPolicy {
  /** The minimum group size k (at least {@link SMALLEST_MINIMUM_GROUP}). */
  readonly minGroupSize: number;
}

/** The smallest k accepted: with k = 2, one of two respondents knows the other's answers from the mean. */
export const SMALLEST_MINIMUM_GROUP = 3;

/** Why an aggregate is not published; none of the reasons carries a respondent count. */
export type SuppressionReason =
  /** Fewer than k valid respondents. */
  | 'below-minimum'
  /** Published, it would let a group of 1 … k − 1 people be derived by subtraction from another aggregate. */
  | 'complementary'
  /** Its respondent count differs from an earlier publication of the same unit-wave by 1 … k − 1. */
  | 'republication';

/** The policy for a minimum group size; refuses k below 3 or not a whole number. */
export function publicationPolicy(minGroupSize: number): PublicationPolicy {
  if (!Number.isInteger(minGroupSize) || minGroupSize < SMALLEST_MINIMUM_GROUP) {
    throw new InputError('minGroupSize', `minGroupSize must be a whole number of at least ${SMALLEST_MINIMUM_GROUP}; got ${minGroupSize}.`);
  }
  return { minGroupSize };
}

/** The text shown in place of a suppressed aggregate's results. */
export function suppressedText(policy: PublicationPolicy): string {
  return `fewer than ${policy.minGroupSize}`;
}
