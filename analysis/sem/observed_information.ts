import type { ModelStructure } from './model_matrices.js';
import { evaluateModel, type EstimationData } from './objective.js';

/**
 * Observed information per observation, ½·∂²F/∂θ∂θᵀ, by forward differences of the analytic
 * gradient (step 1e-6·max(1, |θ_k|); truncation error about 1e-6 relative), symmetrised. lavaan uses the observed information
 * (information = "observed", observed.information = "hessian") for standard errors under
 * missing = "ml", computing the Hessian the same way from its analytic gradient
 * (lav_model_hessian). Null when a perturbed point leaves the admissible region.
 */
export function observedInformation(model: ModelStructure, data: EstimationData, x: Float64Array): Float64Array | null {
  const q = model.nFree;
  const h = new Float64Array(q * q);
  const xp = Float64Array.from(x);
  const at = evaluateModel(model, data, x, true);
  if (!at) return null;
  for (let k = 0; k < q; k++) {
    const step = 1e-6 * Math.max(1, Math.abs(x[k]));
    xp[k] = x[k] + step;
    const up = evaluateModel(model, data, xp, true);
    xp[k] = x[k];
    if (!up) return null;
    for (let j = 0; j < q; j++) h[j * q + k] = (up.gradient![j] - at.gradient![j]) / step;
  }
  for (let a = 0; a < q; a++)
    for (let b = 0; b < a; b++) {
      const v = 0.25 * (h[a * q + b] + h[b * q + a]);
      h[a * q + b] = v;
      h[b * q + a] = v;
    }
  for (let a = 0; a < q; a++) h[a * q + a] *= 0.5;
  return h;
}
