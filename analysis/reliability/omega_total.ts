import type { Diagnostics } from '../diagnostics.js';
import { covariance } from '../data/covariance.js';
import { extractFactors } from '../efa/extract_factors.js';

/**
 * Omega total of a one-factor (congeneric) model: ω = (Σλ)² / ((Σλ)² + Σθ), the share of the
 * sum score's variance due to the common factor, with λ the loadings and θ the residual variances
 * in the items' own metric. McDonald (1999), Test Theory: A Unified Treatment, ch. 6;
 * Raykov (1997), doi:10.1177/01466216970214001.
 */
export function omegaFromLoadings(loadings: readonly number[], residualVariances: readonly number[]): number {
  let sumLoadings = 0;
  let sumResiduals = 0;
  for (const l of loadings) sumLoadings += l;
  for (const t of residualVariances) sumResiduals += t;
  const common = sumLoadings * sumLoadings;
  return common / (common + sumResiduals);
}

/** A one-factor maximum-likelihood model and its omega total. */
export interface OneFactorOmega {
  readonly omegaTotal: number;
  /** λ, in the items' metric. */
  readonly loadings: number[];
  /** θ, in the items' metric. */
  readonly residualVariances: number[];
  readonly diagnostics: Diagnostics;
}

/**
 * Omega total from a one-factor maximum-likelihood factor model of the item covariance matrix
 * (N divisor): `extractFactors(cov, 1, { method: 'ml' })`, then `omegaFromLoadings`. Equal to
 * lavaan 0.6.14's `cfa("g =~ x1 + ... + xp", std.lv = TRUE)` loadings and residual variances put
 * into the formula (ML is scale invariant, so fitting the correlation matrix and rescaling gives
 * the same solution), except in Heywood cases, where standardized uniquenesses are held at
 * 0.005 as psych::fa does and lavaan lets them go negative; that case is a warning in
 * `diagnostics`. McDonald (1999); Raykov (1997), doi:10.1177/01466216970214001.
 */
export function oneFactorOmega(cov: readonly (readonly number[])[]): OneFactorOmega {
  const fit = extractFactors(cov, 1, { method: 'ml' });
  const loadings = fit.loadings.map((row) => row[0]);
  const residualVariances = [...fit.uniquenesses];
  return {
    omegaTotal: omegaFromLoadings(loadings, residualVariances),
    loadings,
    residualVariances,
    diagnostics: fit.diagnostics,
  };
}

/** `oneFactorOmega` of the rows of complete `data`, with the N-divisor covariance matrix. */
export function oneFactorOmegaOfRows(data: readonly (readonly number[])[]): OneFactorOmega {
  return oneFactorOmega(covariance(data, { missing: 'listwise', divisor: 'n' }).cov);
}
