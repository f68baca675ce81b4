import type { Diagnostics } from '../diagnostics.js';
import type { MissingPolicy } from '../data/covariance.js';
import type { ItemScale } from '../items/keyed_items.js';
import { prepareItemSet, type ItemSetOptions } from '../items/item_set.js';
import { itemStatistics, itemWarnings, type ItemStatistics } from '../items/item_analysis.js';
import { alphaStandardError } from './alpha_standard_error.js';
import { averageInterItemR } from './average_inter_item_r.js';
import { cronbachAlpha, standardizedAlpha } from './cronbach_alpha.js';
import { feldtInterval, type ConfidenceInterval } from './feldt_interval.js';

export interface ScaleReliabilityOptions extends ItemSetOptions {
  /** Coverage of the confidence intervals (default 0.95). */
  readonly level?: number;
}

/** The reliability of one scale: alpha in its forms, and the item table behind it. */
export interface ScaleReliability {
  /** Complete rows used (listwise only; left out under pairwise deletion). */
  readonly n?: number;
  /** Rows given, before deletion. */
  readonly nRows: number;
  readonly nItems: number;
  readonly missing: MissingPolicy;
  readonly scale: ItemScale;
  readonly reverse: readonly string[];
  /** Raw alpha, from the covariance matrix. */
  readonly alpha: number;
  /** Standardized alpha, from the correlation matrix. */
  readonly alphaStd: number;
  readonly averageR: number;
  /** Asymptotic standard error of raw alpha. */
  readonly alphaSe: number;
  /** Feldt's F-distribution interval for raw alpha. */
  readonly alphaCi: ConfidenceInterval;
  readonly items: readonly ItemStatistics[];
  readonly diagnostics: Diagnostics;
}

/**
 * Internal-consistency reliability of a scale, as psych::alpha 2.2.9 computes it: the items are
 * keyed (`reverse` on the stated or observed scale), then rows with a missing item are dropped
 * (`listwise`) or every covariance uses the rows where both items are answered (`pairwise`, and
 * correlations are that covariance matrix rescaled, psych's cov2cor). Reports raw alpha
 * (Cronbach, 1951, doi:10.1007/BF02310555), standardized alpha, the average inter-item
 * correlation, alpha's asymptotic standard error and Feldt's (1965, doi:10.1007/BF02289499)
 * interval with psych's n (the rows given, after listwise deletion when that applies), and the
 * item table of `itemStatistics`.
 */
export function scaleReliability(data: readonly (readonly number[])[], options: ScaleReliabilityOptions): ScaleReliability {
  const { level = 0.95 } = options;
  const set = prepareItemSet(data, options);
  const p = set.items.length;
  const alpha = cronbachAlpha(set.cov);
  // psych::alpha takes its n from the rows it was given: all of them under pairwise deletion.
  const nForInterval = set.missing === 'listwise' ? set.n : set.nRows;
  const items = itemStatistics(set);
  return {
    ...(set.missing === 'listwise' ? { n: set.n } : {}),
    nRows: set.nRows,
    nItems: p,
    missing: set.missing,
    scale: set.scale,
    reverse: set.reverse,
    alpha,
    alphaStd: standardizedAlpha(set.cor),
    averageR: averageInterItemR(set.cor),
    alphaSe: alphaStandardError(set.cov, nForInterval),
    alphaCi: feldtInterval(alpha, nForInterval, p, level),
    items,
    diagnostics: { converged: true, iterations: 0, warnings: itemWarnings(items) },
  };
}
