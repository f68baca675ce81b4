/** LeBreton & Senter's (2008) verbal bands for rwg-type agreement. */
export type AgreementStrength = 'lack of agreement' | 'weak' | 'moderate' | 'strong' | 'very strong';

/**
 * The verbal band of an rwg(j) value (LeBreton & Senter, 2008, Table 6,
 * doi:10.1177/1094428106296642): .00–.30 lack of agreement, .31–.50 weak, .51–.70 moderate,
 * .71–.90 strong, .91–1.00 very strong. Bands are closed above (a value of .70 is moderate).
 * Null for an undefined value.
 */
export function agreementStrength(rwg: number): AgreementStrength | null {
  if (Number.isNaN(rwg)) return null;
  if (rwg <= 0.3) return 'lack of agreement';
  if (rwg <= 0.5) return 'weak';
  if (rwg <= 0.7) return 'moderate';
  if (rwg <= 0.9) return 'strong';
  return 'very strong';
}
