import type { Diagnostics } from '../diagnostics.js';
import type { NumericColumns } from '../data/columns.js';
import { InputError } from '../errors.js';
import type { MissingPolicy } from '../data/covariance.js';
import type { ItemScale } from '../items/keyed_items.js';
import { prepareItemSet, type ItemSetOptions } from '../items/item_set.js';
import { itemStatistics, itemWarnings, type ItemStatistics } from '../items/item_analysis.js';
import { alphaStandardError } from './alpha_standard_error.js';
import { averageInterItemR } from './average_inter_item_r.js';
import { cronbachAlpha, standardizedAlpha } from './cronbach_alpha.js';
import { feldtInterval, type ConfidenceInterval } from './feldt_interval.js';
import type { BootstrapInterval } from './bootstrap_interval.js';
import { omegaBootstrapInterval } from './omega_bootstrap.js';
import { oneFactorOmegaOfRows } from './omega_total.js';

export interface ScaleReliabilityOptions extends ItemSetOptions {
  /** Coverage of the confidence intervals (default 0.95). */
  readonly level?: number;
  /** Bootstrap resamples for omega total's interval (default 1000; 0 leaves the interval out). */
  readonly bootstrap?: number;
  /** Seed of the bootstrap (default 1). */
  readonly seed?: number;
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
  /** Omega total of a one-factor ML model (listwise only). */
  readonly omegaTotal?: number;
  /** Seeded percentile bootstrap interval for omega total (listwise only, unless bootstrap is 0). */
  readonly omegaTotalCi?: BootstrapInterval;
  /** The one-factor model behind omega total: loadings λ and residual variances θ per item, in the items' metric. */
  readonly omegaModel?: { readonly loadings: Record<string, number>; readonly residualVariances: Record<string, number> };
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
 * item table of `itemStatistics`. Under listwise deletion also omega total from a one-factor
 * maximum-likelihood model of the N-divisor covariance matrix, unbounded as lavaan's (`oneFactorOmega`; McDonald, 1999)
 * with a seeded percentile bootstrap interval over the complete rows. `data`: one column per item
 * as the CSV reader stores it (never copied into rows), or rows × items.
 */
export function scaleReliability(data: NumericColumns | readonly (readonly number[])[], options: ScaleReliabilityOptions): ScaleReliability {
  const { level = 0.95, bootstrap = 1000, seed = 1 } = options;
  if (!(level > 0 && level < 1)) throw new InputError('level', `level must be between 0 and 1; got ${level}.`);
  if (!Number.isInteger(bootstrap) || bootstrap < 0) {
    throw new InputError('bootstrap', `bootstrap must be a whole number of resamples, 0 or more; got ${bootstrap}.`);
  }
  if (!Number.isInteger(seed)) throw new InputError('seed', `seed must be a whole number; got ${seed}.`);
  const set = prepareItemSet(data, options);
  const p = set.items.length;
  const alpha = cronbachAlpha(set.cov);
  // psych::alpha takes its n from the rows it was given: all of them under pairwise deletion.
  const nForInterval = set.missing === 'listwise' ? set.n : set.nRows;
  const items = itemStatistics(set);
  const warnings = itemWarnings(items);
  let converged = true;
  let iterations = 0;
  let omega: Pick<ScaleReliability, 'omegaTotal' | 'omegaTotalCi' | 'omegaModel'> = {};
  if (set.missing === 'listwise' && p < 3) {
    warnings.push('omega total needs at least 3 items: a one-factor model of 2 items is not identified.');
  } else if (set.missing === 'listwise') {
    const model = oneFactorOmegaOfRows(set.data, set.items);
    converged = model.diagnostics.converged;
    iterations = model.diagnostics.iterations;
    for (const w of model.diagnostics.warnings) warnings.push(`omega's one-factor model: ${w}`);
    const byItem = (values: readonly number[]) => Object.fromEntries(set.items.map((it, j) => [it, values[j]]));
    omega = {
      omegaTotal: model.omegaTotal,
      omegaModel: { loadings: byItem(model.loadings), residualVariances: byItem(model.residualVariances) },
    };
    if (bootstrap > 0) {
      const ci = omegaBootstrapInterval(set.data, { replicates: bootstrap, seed, level });
      if (ci.valid < ci.replicates) {
        warnings.push(`omega's bootstrap: ${ci.replicates - ci.valid} of ${ci.replicates} resamples gave no omega and were left out.`);
      }
      omega = { ...omega, omegaTotalCi: ci };
    }
  }
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
    ...omega,
    items,
    diagnostics: { converged, iterations, warnings },
  };
}

