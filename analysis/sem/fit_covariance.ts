import { cholesky, choleskyLogDet } from './dense.js';
import { fisherScoring, type OptimizerResult } from './fisher_scoring.js';
import { groupMatrices, type GroupMatrices, type ModelStructure } from './model_matrices.js';
import { estimationData } from './objective.js';
import { quasiNewton } from './quasi_newton.js';
import type { GroupSample } from './sample_statistics.js';
import { startValues } from './start_values.js';

/** A single-group covariance-structure model fitted to a covariance matrix. */
export interface CovarianceFit {
  readonly model: ModelStructure;
  readonly x: Float64Array;
  readonly matrices: GroupMatrices;
  /** F_ML at the estimate (χ² = n·F). */
  readonly f: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly message: string;
}

/**
 * Fits a single-group model (`modelStructure` of its parameter table, built once by the caller)
 * without a mean structure to a covariance matrix `cov` (p × p,
 * row-major, divisor n, in the table's observed order) by maximum likelihood with the same
 * estimation steps as `fitSem` (start values, Fisher scoring, BFGS when scoring stalls), so
 * that a caller holding only a covariance matrix (a bootstrap resample, a reliability
 * model) gets lavaan's unbounded estimate, e.g. `lavaan::cfa(model, sample.cov = S,
 * sample.nobs = n, sample.cov.rescale = FALSE)`. Null when the start values give no
 * positive-definite implied matrix or `cov` is not positive definite. `fallback: false` skips the
 * BFGS fallback (for bootstrap resamples: one without a maximum should not cost seconds; it
 * ends unconverged after 100 scoring steps).
 */
export function fitCovariance(model: ModelStructure, cov: Float64Array, n: number, { fallback = true } = {}): CovarianceFit | null {
  const { p } = model;
  const l = cholesky(cov, p);
  if (!l) return null;
  const sample: GroupSample = { label: '', n, mean: new Float64Array(p), cov, logDetCov: choleskyLogDet(l, p) };
  const data = estimationData(model, [sample]);
  const x0 = startValues(model, [sample]);
  let opt: OptimizerResult | null = fisherScoring(model, data, x0, { maxIterations: 100 });
  if (fallback && (!opt || !opt.converged)) {
    const qn = quasiNewton(model, data, x0);
    if (qn && (!opt || qn.evaluation.f < opt.evaluation.f)) {
      const polished = fisherScoring(model, data, qn.x);
      const best = polished && polished.evaluation.f <= qn.evaluation.f ? polished : qn;
      opt = { ...best, iterations: (opt?.iterations ?? 0) + qn.iterations + (polished?.iterations ?? 0) };
    }
  }
  if (!opt) return null;
  return {
    model,
    x: opt.x,
    matrices: groupMatrices(model, 0, opt.x),
    f: opt.evaluation.f,
    converged: opt.converged,
    iterations: opt.iterations,
    message: opt.message,
  };
}
