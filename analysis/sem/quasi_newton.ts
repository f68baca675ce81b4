import type { OptimizerResult } from './fisher_scoring.js';
import type { ModelStructure } from './model_matrices.js';
import { evaluateModel, type EstimationData } from './objective.js';

/** An objective value with its gradient (null when not asked for). */
export interface Evaluated {
  readonly f: number;
  readonly gradient: Float64Array | null;
}

/** A minimiser's end point for any objective. */
export interface MinimizerResult<E extends Evaluated> {
  readonly x: Float64Array;
  readonly evaluation: E;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
}

/**
 * Minimises the ML discrepancy by BFGS with the analytic gradient and a backtracking line
 * search that keeps Σ positive definite (Nocedal & Wright, 2006, ch. 6; lavaan's default
 * nlminb is a quasi-Newton method too). The fallback when Fisher scoring stalls, e.g. when
 * the expected information is nearly singular along the way. The inverse-Hessian
 * approximation starts as a scaled identity.
 */
export function quasiNewton(
  model: ModelStructure,
  data: EstimationData,
  x0: Float64Array,
  options: { maxIterations?: number; gradientTolerance?: number } = {},
): OptimizerResult | null {
  return minimizeQuasiNewton((x, grad) => evaluateModel(model, data, x, grad), x0, options);
}

/**
 * The BFGS minimiser behind quasiNewton for any objective with an analytic gradient
 * (`objective(x, wantGradient)`, null where x is infeasible, e.g. a non-positive-definite
 * implied matrix); the two-level estimator uses it too. `initialInverseHessian` (q×q) replaces
 * the scaled identity as the first inverse-Hessian approximation, e.g. the inverse of a
 * finite-difference Hessian when restarting from a point near the optimum. With
 * `functionTolerance` > 0 it also stops, converged, once a step lowers f by less than
 * functionTolerance·|f| while the largest gradient entry is below 10⁻⁵ (nlminb's relative
 * function convergence, for objectives whose gradient cannot reach `gradientTolerance`).
 */
export function minimizeQuasiNewton<E extends Evaluated>(
  objective: (x: Float64Array, wantGradient: boolean) => E | null,
  x0: Float64Array,
  {
    maxIterations = 5000,
    gradientTolerance = 1e-9,
    initialInverseHessian,
    functionTolerance = 0,
  }: { maxIterations?: number; gradientTolerance?: number; initialInverseHessian?: Float64Array; functionTolerance?: number } = {},
): MinimizerResult<E> | null {
  const q = x0.length;
  let x = Float64Array.from(x0);
  let ev: E | null = objective(x, true);
  if (!ev) return null;
  const h = new Float64Array(q * q);
  let g = ev.gradient!;
  const gnorm0 = Math.sqrt(g.reduce((a, b) => a + b * b, 0));
  const scale = gnorm0 > 0 ? Math.min(1, 0.1 / gnorm0) : 1;
  if (initialInverseHessian) h.set(initialInverseHessian);
  else for (let k = 0; k < q; k++) h[k * q + k] = scale;
  let iterations = 0;
  let converged = false;
  let message = 'iteration limit reached';
  const d = new Float64Array(q);
  const xn = new Float64Array(q);
  for (; iterations < maxIterations; iterations++) {
    let gmax = 0;
    for (let k = 0; k < q; k++) gmax = Math.max(gmax, Math.abs(g[k]));
    if (gmax < gradientTolerance) {
      converged = true;
      message = 'converged';
      break;
    }
    for (let i = 0; i < q; i++) {
      let s = 0;
      for (let j = 0; j < q; j++) s -= h[i * q + j] * g[j];
      d[i] = s;
    }
    let slope = 0;
    for (let k = 0; k < q; k++) slope += g[k] * d[k];
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      h.fill(0);
      for (let k = 0; k < q; k++) h[k * q + k] = scale;
      for (let k = 0; k < q; k++) d[k] = -scale * g[k];
      slope = -scale * g.reduce((a, b) => a + b * b, 0);
    }
    let t = 1;
    let next: E | null = null;
    for (let halvings = 0; halvings < 50; halvings++) {
      for (let k = 0; k < q; k++) xn[k] = x[k] + t * d[k];
      const trial = objective(xn, false);
      if (trial && trial.f <= ev.f + 1e-4 * t * slope) {
        next = objective(xn, true);
        break;
      }
      t /= 2;
    }
    if (!next) {
      message = 'the line search found no decrease';
      converged = gmax < 1e-6;
      break;
    }
    if (functionTolerance > 0 && ev.f - next.f <= functionTolerance * Math.abs(ev.f) && gmax < 1e-5) {
      x = Float64Array.from(xn);
      ev = next;
      iterations++;
      converged = true;
      message = 'relative function convergence';
      break;
    }
    const gn = next.gradient!;
    const s = new Float64Array(q);
    const y = new Float64Array(q);
    let sy = 0;
    for (let k = 0; k < q; k++) {
      s[k] = xn[k] - x[k];
      y[k] = gn[k] - g[k];
      sy += s[k] * y[k];
    }
    if (sy > 1e-16) {
      // H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ
      const rho = 1 / sy;
      const hy = new Float64Array(q);
      for (let i = 0; i < q; i++) {
        let v = 0;
        for (let j = 0; j < q; j++) v += h[i * q + j] * y[j];
        hy[i] = v;
      }
      let yhy = 0;
      for (let k = 0; k < q; k++) yhy += y[k] * hy[k];
      for (let i = 0; i < q; i++)
        for (let j = 0; j < q; j++) h[i * q + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
    }
    x = Float64Array.from(xn);
    ev = next;
    g = gn;
  }
  return { x, evaluation: ev, iterations, converged, message };
}
