/** Conventional thresholds for justifying aggregation of individual answers to the unit. */
export interface AggregationCriteria {
  /** rwg(j) at or above which a unit's members agree (James et al., 1984: .70). */
  readonly minRwgJ: number;
  /** Significance level of the ANOVA F test for between-unit variance. */
  readonly alpha: number;
  /** ICC(2) at or above which unit means are reliable (Bliese, 2000: .70); below it is noted, not fatal. */
  readonly minIcc2: number;
}

export const DEFAULT_AGGREGATION_CRITERIA: AggregationCriteria = { minRwgJ: 0.7, alpha: 0.05, minIcc2: 0.7 };

/** The sample-level evidence: ICCs and the F test of the one-way ANOVA. */
export interface SampleEvidence {
  readonly icc1: number;
  readonly icc2: number;
  readonly p: number;
}

/** Whether one unit's answers may be averaged into a unit score, and why (not). */
export interface AggregationVerdict {
  /** rwg(j) ≥ minRwgJ; null when rwg(j) is undefined (fewer than two respondents). */
  readonly agreement: boolean | null;
  /** ICC(1) > 0 with a significant F test; null when the sample has no ANOVA. */
  readonly betweenUnits: boolean | null;
  /** Both hold. */
  readonly justified: boolean;
  readonly reasons: readonly string[];
}

/**
 * The per-unit aggregation verdict of the consensus model (Chan, 1998; Bliese, 2000;
 * LeBreton & Senter, 2008, doi:10.1177/1094428106296642): aggregation is justified when the
 * unit's members agree (rwg(j) ≥ .70) and units differ (ICC(1) > 0, F significant at α).
 * A low ICC(2) is reported among the reasons but does not by itself forbid aggregation.
 */
export function aggregationVerdict(
  rwgj: number,
  sample: SampleEvidence | undefined,
  criteria: AggregationCriteria = DEFAULT_AGGREGATION_CRITERIA,
): AggregationVerdict {
  const reasons: string[] = [];
  let agreement: boolean | null = null;
  if (Number.isNaN(rwgj)) reasons.push('rwg(j) is undefined for fewer than two complete respondents');
  else {
    agreement = rwgj >= criteria.minRwgJ;
    if (!agreement) reasons.push(`rwg(j) ${rwgj.toFixed(2)} is below ${criteria.minRwgJ}`);
  }
  let betweenUnits: boolean | null = null;
  if (sample === undefined || Number.isNaN(sample.p) || Number.isNaN(sample.icc1)) {
    reasons.push('no between-unit ANOVA is available (fewer than two units or no within-unit variance)');
  } else {
    betweenUnits = sample.icc1 > 0 && sample.p < criteria.alpha;
    if (!betweenUnits) reasons.push(`units do not differ (ICC(1) ${sample.icc1.toFixed(3)}, F test p ${sample.p.toPrecision(2)})`);
    if (sample.icc2 < criteria.minIcc2) reasons.push(`unit means are not reliable (ICC(2) ${sample.icc2.toFixed(2)} < ${criteria.minIcc2})`);
  }
  return { agreement, betweenUnits, justified: agreement === true && betweenUnits === true, reasons };
}
