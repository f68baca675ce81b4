/**
 * The smallest samples the analyses of a publication need. Below them an analysis is not
 * computed at all: its place in the result states the minimum and the n it had ("small samples
 * are said, not computed"), so no unstable estimate, negative Bartlett χ² or Heywood loading
 * reaches a report.
 * - EFA and parallel analysis: at least 5 respondents per item and at least 100 (Gorsuch,
 *   1983, Factor Analysis, 2nd ed.; MacCallum, Widaman, Zhang & Hong, 1999,
 *   doi:10.1037/1082-989X.4.1.84, show smaller samples recover structure only with high
 *   communalities, which a new instrument cannot assume).
 * - CFA: the same rule over the model's items (Kline, 2016, Principles and Practice of SEM,
 *   4th ed., ch. 9: N:q of at least 5 and N ≥ 100).
 * - Measurement invariance: the CFA rule in every group compared.
 * - Reliability (alpha, omega): at least 30 respondents (Charter, 2003,
 *   J. Gen. Psychol. 130(2), 117–129: alpha's sampling error is too wide below that).
 * - ICC(1), ICC(2) and the aggregation F test: at least 2 published units.
 */
export interface SampleRequirement {
  /** Smallest n the analysis needs. */
  readonly minimum: number;
  /** The rule in words, for the report. */
  readonly rule: string;
}

/** An analysis left out for its sample: what it needed and what it had. */
export interface SkippedAnalysis {
  readonly skipped: true;
  readonly reason: string;
  readonly minimum: number;
  readonly n: number;
}

export function factorAnalysisRequirement(items: number): SampleRequirement {
  return { minimum: Math.max(100, 5 * items), rule: `at least 5 respondents per item and at least 100 (${items} items: n ≥ ${Math.max(100, 5 * items)})` };
}

export function reliabilityRequirement(): SampleRequirement {
  return { minimum: 30, rule: 'at least 30 respondents' };
}

export function agreementRequirement(): SampleRequirement {
  return { minimum: 2, rule: 'at least 2 published units' };
}

/** The skipped entry for an analysis whose sample `n` is below `requirement`, or null when it may run. */
export function belowRequirement(what: string, n: number, requirement: SampleRequirement): SkippedAnalysis | null {
  if (n >= requirement.minimum) return null;
  return { skipped: true, reason: `${what} needs ${requirement.rule}; this sample has ${n}.`, minimum: requirement.minimum, n };
}

/** Narrows an analysis entry to the computed case. */
export function isSkipped(x: unknown): x is SkippedAnalysis {
  return typeof x === 'object' && x !== null && (x as { skipped?: unknown }).skipped === true;
}
