/** What to do with an item after the expert panel. */
export type ContentVerdict = 'keep' | 'revise' | 'drop';

/** The indices a verdict is drawn from (null where the panel gave no such input). */
export interface VerdictEvidence {
  readonly iCvi: number | null;
  readonly cvr: number | null;
  readonly cvrCritical: number | null;
  /** Experts who gave `essential` (the N of the CVR). */
  readonly essentialN: number;
  readonly psa: number | null;
}

/** The thresholds of the verdict rules (defaults below). */
export interface VerdictCriteria {
  /** I-CVI above this keeps the item (.79). */
  readonly keepAbove: number;
  /** I-CVI at or above this (and not above keepAbove) calls for revision (.70); below it, drop. */
  readonly reviseFrom: number;
  /** p_sa below this turns a keep into a revise (.50). */
  readonly minPsa: number;
}

export const DEFAULT_VERDICT_CRITERIA: VerdictCriteria = { keepAbove: 0.79, reviseFrom: 0.7, minPsa: 0.5 };

const f = (x: number) => x.toFixed(2);

/**
 * The panel's verdict on one item (shared/CONTRACT.md `content-validity`):
 * - from the I-CVI (Zamanzadeh et al., 2015, doi:10.15171/jcs.2015.017): keep when I-CVI > .79,
 *   revise when .70 ≤ I-CVI ≤ .79, drop below .70;
 * - a keep becomes a revise when the item's CVR is below its exact critical value (Lawshe, 1975;
 *   Ayre & Scally, 2014) or when fewer than half of the sorters placed it in its intended cell,
 *   p_sa < .50 (Anderson & Gerbing, 1991).
 * `reasons` states every rule that applied, with the numbers. An item nobody rated for relevance
 * gets no verdict (null) and says so.
 */
export function itemVerdict(
  e: VerdictEvidence,
  criteria: VerdictCriteria = DEFAULT_VERDICT_CRITERIA,
): { verdict: ContentVerdict | null; reasons: string[] } {
  const reasons: string[] = [];
  if (e.iCvi === null) return { verdict: null, reasons: ['no expert rated its relevance, so it has no I-CVI and no verdict'] };
  let verdict: ContentVerdict;
  if (e.iCvi > criteria.keepAbove) {
    verdict = 'keep';
    reasons.push(`I-CVI ${f(e.iCvi)} is above ${f(criteria.keepAbove)}`);
  } else if (e.iCvi >= criteria.reviseFrom) {
    verdict = 'revise';
    reasons.push(`I-CVI ${f(e.iCvi)} is between ${f(criteria.reviseFrom)} and ${f(criteria.keepAbove)}`);
  } else {
    verdict = 'drop';
    reasons.push(`I-CVI ${f(e.iCvi)} is below ${f(criteria.reviseFrom)}`);
  }
  if (e.cvr !== null) {
    if (e.cvrCritical === null) {
      reasons.push(`CVR ${f(e.cvr)} cannot be tested: with ${e.essentialN} expert${e.essentialN === 1 ? '' : 's'} judging essentiality no count reaches significance`);
    } else if (e.cvr < e.cvrCritical) {
      reasons.push(`CVR ${f(e.cvr)} is below its critical value ${f(e.cvrCritical)} for N = ${e.essentialN}`);
      if (verdict === 'keep') verdict = 'revise';
    }
  }
  if (e.psa !== null && e.psa < criteria.minPsa) {
    reasons.push(`p_sa ${f(e.psa)} is below ${f(criteria.minPsa)}: most sorters placed it outside its intended cell`);
    if (verdict === 'keep') verdict = 'revise';
  }
  return { verdict, reasons };
}
