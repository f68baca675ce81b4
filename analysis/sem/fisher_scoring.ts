import { expectedInformation } from './expected_information.js';
import { blockOrder, factorInformation, type InformationFactor } from './information_factor.js';
import type { ModelStructure } from './model_matrices.js';
import { evaluateModel, type EstimationData, type ModelEvaluation } from './objective.js';

/** Where the optimiser ended. */
export interface OptimizerResult {
  readonly x: Float64Array;
  readonly evaluation: ModelEvaluation;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
}

/**
 * Minimises the ML discrepancy by Fisher scoring: θ ← θ − t (2I)⁻¹∇F with the expected
 * information I of expectedInformation and a backtracking (Armijo) step t ≤ 1 that keeps
 * Σ positive definite and F decreasing (Lee & Jennrich, 1979, doi:10.1007/BF02293971;
 * Fisher scoring is lavaan's optimizer = "GN" alternative to nlminb). Stops when the
 * Newton decrement ∇Fᵀ(2I)⁻¹∇F falls below `tolerance` or the step no longer changes θ.
 * A singular information is ridged (Levenberg–Marquardt) so that the search continues. When
 * scoring converges only linearly (three unit steps in a row that shrink the decrement by less
 * than a factor 5), the iterations continue as BFGS on a Hessian approximation started at 2I.
 * `information` replaces the expected information (e.g. by a cheaper stand-in with thousands of
 * missing-data patterns); the search and its stopping rule are unchanged.
 */
export function fisherScoring(
  model: ModelStructure,
  data: EstimationData,
  x0: Float64Array,
  {
    maxIterations = 500,
    tolerance = 1e-16,
    information = (ev: ModelEvaluation) => expectedInformation(model, data, ev),
  }: { maxIterations?: number; tolerance?: number; information?: (ev: ModelEvaluation) => Float64Array } = {},
): OptimizerResult | null {
  let x = Float64Array.from(x0);
  let ev = evaluateModel(model, data, x, true);
  if (!ev) return null;
  const q = model.nFree;
  const order = blockOrder(model);
  let iterations = 0;
  let converged = false;
  let message = 'iteration limit reached';
  // When scoring converges only linearly (the expected information is far from the Hessian, as
  // near a boundary or under missing data), switch to BFGS updates of a Hessian approximation
  // that starts from 2I: superlinear convergence from a well-scaled start.
  let hessian: Float64Array | null = null;
  let previousDecrement = Infinity;
  let slow = 0;
  let lastStep: Float64Array | null = null;
  let lastGradient: Float64Array | null = null;
  for (; iterations < maxIterations; iterations++) {
    let info: Float64Array;
    if (hessian) {
      const s = lastStep!;
      const y = new Float64Array(q);
      let sy = 0;
      for (let k = 0; k < q; k++) {
        y[k] = ev.gradient![k] - lastGradient![k];
        sy += s[k] * y[k];
      }
      const bs = new Float64Array(q);
      for (let i = 0; i < q; i++) {
        let v = 0;
        for (let j = 0; j < q; j++) v += hessian[i * q + j] * s[j];
        bs[i] = v;
      }
      let sbs = 0;
      for (let k = 0; k < q; k++) sbs += s[k] * bs[k];
      if (sy > 1e-12 * sbs && sbs > 0) {
        for (let i = 0; i < q; i++)
          for (let j = 0; j < q; j++) hessian[i * q + j] += (y[i] * y[j]) / sy - (bs[i] * bs[j]) / sbs;
      }
      info = new Float64Array(q * q);
      for (let k = 0; k < q * q; k++) info[k] = 0.5 * hessian[k];
    } else info = information(ev);
    let factor: InformationFactor | null = factorInformation(info, q, order, 2);
    for (let ridge = 1e-10; !factor && ridge < 1e6; ridge *= 100) {
      const hr = Float64Array.from(info);
      let scale = 0;
      for (let k = 0; k < q; k++) scale = Math.max(scale, info[k * q + k]);
      for (let k = 0; k < q; k++) hr[k * q + k] += ridge * Math.max(scale, 1);
      factor = factorInformation(hr, q, order, 2);
    }
    if (!factor) {
      message = 'the information matrix cannot be factored';
      break;
    }
    const grad = ev.gradient!;
    const step = factor.solve(grad);
    let decrement = 0;
    for (let k = 0; k < q; k++) decrement += grad[k] * step[k];
    if (decrement < tolerance) {
      converged = true;
      message = 'converged';
      break;
    }
    let t = 1;
    let next: ModelEvaluation | null = null;
    const xn = new Float64Array(q);
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let k = 0; k < q; k++) xn[k] = x[k] - t * step[k];
      // the full step is usually taken: its gradient comes with the same pass over the data
      next = evaluateModel(model, data, xn, t === 1);
      if (next && next.f <= ev.f - 1e-4 * t * decrement) {
        if (t !== 1) next = evaluateModel(model, data, xn, true);
        break;
      }
      next = null;
      t /= 2;
    }
    if (!next) {
      // no decrease along the scoring direction: at the optimum to machine precision
      converged = decrement < 1e-10;
      message = converged ? 'converged' : 'the line search found no decrease';
      break;
    }
    const change = Math.abs(ev.f - next.f);
    if (!hessian) {
      slow = t === 1 && decrement > 0.2 * previousDecrement ? slow + 1 : 0;
      previousDecrement = decrement;
      if (slow >= 3) {
        hessian = new Float64Array(q * q);
        for (let k = 0; k < q * q; k++) hessian[k] = 2 * info[k];
      }
    }
    lastStep = new Float64Array(q);
    for (let k = 0; k < q; k++) lastStep[k] = xn[k] - x[k];
    lastGradient = ev.gradient;
    x = xn;
    ev = next;
    if (change === 0 && t < 1e-6) {
      converged = true;
      message = 'converged';
      iterations++;
      break;
    }
  }
  return { x, evaluation: ev, iterations, converged, message };
}
