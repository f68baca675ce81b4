import type { Evaluated } from '../quasi_newton.js';

/**
 * The observed information of a model whose objective is F = −log L / N: the Hessian of −log L,
 * N·∂²F/∂θ∂θᵀ, by Richardson-style central differences of the analytic gradient,
 * H_·j = [g(θ − 2h e_j) − 8g(θ − h e_j) + 8g(θ + h e_j) − g(θ + 2h e_j)] / (12h), h = 10⁻⁶,
 * then symmetrised, as lavaan's lav_model_hessian computes it (lavaan 0.6.14, the default
 * "observed" information of two-level ML). Null when the gradient is unavailable at some
 * step (an infeasible point).
 */
export function observedInformationTwoLevel(
  objective: (x: Float64Array, wantGradient: boolean) => Evaluated | null,
  x: Float64Array,
  n: number,
  h = 1e-6,
): Float64Array | null {
  const q = x.length;
  const hess = new Float64Array(q * q);
  const xs = Float64Array.from(x);
  const grad = (j: number, step: number) => {
    xs[j] = x[j] + step;
    const ev = objective(xs, true);
    xs[j] = x[j];
    return ev?.gradient ?? null;
  };
  for (let j = 0; j < q; j++) {
    const gl2 = grad(j, -2 * h);
    const gl = grad(j, -h);
    const gr = grad(j, h);
    const gr2 = grad(j, 2 * h);
    if (!gl2 || !gl || !gr || !gr2) return null;
    for (let i = 0; i < q; i++) hess[i * q + j] = (gl2[i] - 8 * gl[i] + 8 * gr[i] - gr2[i]) / (12 * h);
  }
  for (let i = 0; i < q; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (hess[i * q + j] + hess[j * q + i]) * n;
      hess[i * q + j] = v;
      hess[j * q + i] = v;
    }
  for (let i = 0; i < q; i++) hess[i * q + i] *= n;
  return hess;
}
