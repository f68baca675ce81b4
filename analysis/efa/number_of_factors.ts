import type { Diagnostics } from '../diagnostics.js';
import type { NumericColumns } from '../data/columns.js';
import { factorAnalysis } from './factor_analysis.js';
import { itemRetention, type ItemRetention, type RetentionCriteria } from './item_retention.js';
import { minimumAveragePartial, type MinimumAveragePartial } from './minimum_average_partial.js';
import { parallelAnalysisWithCorrelation, type ParallelAnalysis, type ParallelAnalysisOptions } from './parallel_analysis.js';

export interface NumberOfFactorsOptions extends ParallelAnalysisOptions, RetentionCriteria {
  readonly items: readonly string[];
  /** Largest number of partialled components for MAP (default min(8, p − 1), psych::VSS's n = 8). */
  readonly maxFactors?: number;
}

/** How many factors to retain, by parallel analysis and MAP, with the retention table of that solution. */
export interface NumberOfFactors {
  readonly n: number;
  readonly parallel: ParallelAnalysis;
  readonly map: MinimumAveragePartial;
  /** The parallel-analysis number of factors (at least 1), used for the retention table. */
  readonly nfactors: number;
  /** Items of a minres/oblimin solution with `nfactors` factors, judged by the retention criteria. */
  readonly retention: ItemRetention[];
  readonly diagnostics: Diagnostics;
}

/**
 * Number-of-factors report for scale development: Horn's parallel analysis (`parallelAnalysis`),
 * Velicer's MAP (`minimumAveragePartial`) on the same correlation matrix, and the item-retention table
 * (`itemRetention`) of a minres, oblimin-rotated solution with the parallel-analysis number of factors.
 * `data` is column-stored (the CSV reader's columns) or rows × items; the data are read once, for
 * the parallel analysis, whose observed correlation matrix MAP and the retention fit share.
 */
export function numberOfFactors(data: NumericColumns | readonly (readonly number[])[], options: NumberOfFactorsOptions): NumberOfFactors {
  const { items } = options;
  const { parallel, r } = parallelAnalysisWithCorrelation(data, options);
  const map = minimumAveragePartial(r, options.maxFactors ?? Math.min(8, items.length - 1));
  const nfactors = Math.min(Math.max(parallel.nfactors, 1), items.length - 1);
  const fa = factorAnalysis(r, nfactors, { method: options.method ?? 'minres', rotate: 'oblimin', n: parallel.n });
  const warnings = [...parallel.diagnostics.warnings, ...fa.diagnostics.warnings];
  if (parallel.nfactors === 0) warnings.push('parallel analysis found no factor above chance; the retention table uses one factor.');
  return {
    n: parallel.n,
    parallel,
    map,
    nfactors,
    retention: itemRetention(items, fa.loadings, fa.communalities, options),
    diagnostics: { converged: parallel.diagnostics.converged && fa.diagnostics.converged, iterations: parallel.iterations, warnings },
  };
}
