import { bivariateNormalUpper } from '../../data/bivariate_normal.js';
import { normalCdf, normalDensity } from '../../math/normal_distribution.js';

/**
 * The cells of a bivariate ordinal table under a standard bivariate normal with correlation ρ cut at
 * thresholds τ₁ (rows) and τ₂ (columns): the probabilities P_ab and their derivatives with respect to ρ
 * and to each threshold, all row-major over the nr × nc cells.
 */
export interface BivariateCells {
  readonly nr: number;
  readonly nc: number;
  readonly prob: Float64Array;
  /** ∂P_ab/∂ρ. */
  readonly dRho: Float64Array;
  /** ∂P_ab/∂τ₁ for the row's upper (index a) and lower (a − 1) threshold. */
  readonly dRowUpper: Float64Array;
  readonly dRowLower: Float64Array;
  /** ∂P_ab/∂τ₂ for the column's upper (b) and lower (b − 1) threshold. */
  readonly dColUpper: Float64Array;
  readonly dColLower: Float64Array;
}

/**
 * P_ab = F(a, b) − F(a−1, b) − F(a, b−1) + F(a−1, b−1) with F(k, l) = Φ₂(τ₁ₖ, τ₂ₗ; ρ) (τ₀ = −∞,
 * τ_K = +∞); ∂F/∂ρ = φ₂(τ₁ₖ, τ₂ₗ; ρ) and ∂F/∂τ₁ₖ = φ(τ₁ₖ)·Φ((τ₂ₗ − ρτ₁ₖ)/√(1 − ρ²)) (Olsson, 1979,
 * doi:10.1007/BF02296207). The derivatives are only computed when `derivatives` is set.
 */
export function bivariateCells(tau1: ArrayLike<number>, tau2: ArrayLike<number>, rho: number, derivatives = true): BivariateCells {
  const nr = tau1.length + 1;
  const nc = tau2.length + 1;
  // corners 0..nr (row cuts) × 0..nc (column cuts); index 0 = −∞, nr = +∞
  const cw = nc + 1;
  const F = new Float64Array((nr + 1) * cw);
  const phi2 = derivatives ? new Float64Array((nr + 1) * cw) : null;
  const d1 = derivatives ? new Float64Array((nr + 1) * cw) : null;
  const d2 = derivatives ? new Float64Array((nr + 1) * cw) : null;
  const s = Math.sqrt(1 - rho * rho);
  const norm = 1 / (2 * Math.PI * s);
  for (let k = 0; k <= nr; k++) {
    const x = k === 0 ? -Infinity : k === nr ? Infinity : tau1[k - 1];
    for (let l = 0; l <= nc; l++) {
      const y = l === 0 ? -Infinity : l === nc ? Infinity : tau2[l - 1];
      const at = k * cw + l;
      if (k === 0 || l === 0) continue; // F, φ₂ and the derivatives vanish at −∞
      const xf = k < nr;
      const yf = l < nc;
      if (xf && yf) F[at] = bivariateNormalUpper(-x, -y, rho);
      else if (xf) F[at] = normalCdf(x);
      else if (yf) F[at] = normalCdf(y);
      else F[at] = 1;
      if (!phi2 || !d1 || !d2) continue;
      if (xf && yf) {
        phi2[at] = norm * Math.exp(-(x * x - 2 * rho * x * y + y * y) / (2 * s * s));
        d1[at] = normalDensity(x) * normalCdf((y - rho * x) / s);
        d2[at] = normalDensity(y) * normalCdf((x - rho * y) / s);
      } else if (xf) d1[at] = normalDensity(x);
      else if (yf) d2[at] = normalDensity(y);
    }
  }
  const cells = nr * nc;
  const prob = new Float64Array(cells);
  const dRho = new Float64Array(derivatives ? cells : 0);
  const dRowUpper = new Float64Array(derivatives ? cells : 0);
  const dRowLower = new Float64Array(derivatives ? cells : 0);
  const dColUpper = new Float64Array(derivatives ? cells : 0);
  const dColLower = new Float64Array(derivatives ? cells : 0);
  for (let a = 0; a < nr; a++) {
    for (let b = 0; b < nc; b++) {
      const hh = (a + 1) * cw + (b + 1);
      const lh = a * cw + (b + 1);
      const hl = (a + 1) * cw + b;
      const ll = a * cw + b;
      const c = a * nc + b;
      prob[c] = F[hh] - F[lh] - F[hl] + F[ll];
      if (!phi2 || !d1 || !d2) continue;
      dRho[c] = phi2[hh] - phi2[lh] - phi2[hl] + phi2[ll];
      dRowUpper[c] = d1[hh] - d1[hl];
      dRowLower[c] = -(d1[lh] - d1[ll]);
      dColUpper[c] = d2[hh] - d2[lh];
      dColLower[c] = -(d2[hl] - d2[ll]);
    }
  }
  return { nr, nc, prob, dRho, dRowUpper, dRowLower, dColUpper, dColLower };
}
