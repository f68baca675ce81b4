import type { ImpliedMoments } from './implied_moments.js';
import { Mat, type GroupMatrices, type MatrixEntry, type ModelStructure } from './model_matrices.js';

/**
 * Standardized values of one parameter: `stdLv` rescales latent variables to unit variance,
 * `stdAll` rescales observed variables too (λ·sd(f)/sd(x), β·sd(x)/sd(y), ψ/(sd·sd),
 * θ_ii/σ_ii, ν/sd(x), α/sd(f)), with model-implied variances (Bollen, 1989, ch. 7); a
 * residual covariance becomes a residual correlation θ_ij/√(θ_ii θ_jj) (ψ likewise).
 * Matches lavaan::standardizedSolution type "std.lv" and "std.all" (lavaan 0.6.14).
 */
export function standardizedValue(
  model: ModelStructure,
  e: MatrixEntry,
  value: number,
  implied: ImpliedMoments,
  mats: GroupMatrices,
): { stdLv: number; stdAll: number } {
  const { p, m } = model;
  const M = implied.latentCov;
  const S = implied.sigma;
  const sdLv = (j: number) => Math.sqrt(M[j * m + j]);
  const isLatent = (j: number) => model.phantomOf[j] < 0;
  const sdLvOnly = (j: number) => (isLatent(j) ? sdLv(j) : 1);
  const sdOv = (i: number) => Math.sqrt(S[i * p + i]);
  switch (e.mat) {
    case Mat.Lambda:
      return { stdLv: value * sdLv(e.j), stdAll: (value * sdLv(e.j)) / sdOv(e.i) };
    case Mat.Beta:
      return {
        stdLv: (value * sdLvOnly(e.j)) / sdLvOnly(e.i),
        stdAll: (value * sdLv(e.j)) / sdLv(e.i),
      };
    case Mat.Theta:
      if (e.i !== e.j) return { stdLv: value, stdAll: value / Math.sqrt(mats.theta[e.i * p + e.i] * mats.theta[e.j * p + e.j]) };
      return { stdLv: value, stdAll: value / (sdOv(e.i) * sdOv(e.j)) };
    case Mat.Psi:
      if (e.i !== e.j) {
        const r = value / Math.sqrt(mats.psi[e.i * m + e.i] * mats.psi[e.j * m + e.j]);
        return { stdLv: isLatent(e.i) && isLatent(e.j) ? r : value / (sdLvOnly(e.i) * sdLvOnly(e.j)), stdAll: r };
      }
      return { stdLv: value / (sdLvOnly(e.i) * sdLvOnly(e.j)), stdAll: value / (sdLv(e.i) * sdLv(e.j)) };
    case Mat.Nu:
      return { stdLv: value, stdAll: value / sdOv(e.i) };
    case Mat.Alpha:
      return { stdLv: value / sdLvOnly(e.i), stdAll: value / sdLv(e.i) };
  }
}
