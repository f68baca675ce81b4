import type { ImpliedMoments } from './implied_moments.js';
import { Mat, type MatrixEntry, type ModelStructure } from './model_matrices.js';

/**
 * Standardized values of one parameter: `stdLv` rescales latent variables to unit variance,
 * `stdAll` rescales observed variables too (λ·sd(f)/sd(x), β·sd(x)/sd(y), ψ/(sd·sd),
 * θ/√(σ_ii σ_jj), ν/sd(x), α/sd(f)), with model-implied variances (Bollen, 1989, ch. 7).
 * Matches lavaan::standardizedSolution type "std.lv" and "std.all" (lavaan 0.6.14).
 */
export function standardizedValue(
  model: ModelStructure,
  e: MatrixEntry,
  value: number,
  implied: ImpliedMoments,
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
      return { stdLv: value, stdAll: value / (sdOv(e.i) * sdOv(e.j)) };
    case Mat.Psi:
      return { stdLv: value / (sdLvOnly(e.i) * sdLvOnly(e.j)), stdAll: value / (sdLv(e.i) * sdLv(e.j)) };
    case Mat.Nu:
      return { stdLv: value, stdAll: value / sdOv(e.i) };
    case Mat.Alpha:
      return { stdLv: value / sdLvOnly(e.i), stdAll: value / sdLv(e.i) };
  }
}
