import { InputError } from '../errors.js';
import { inverse, multiply, solve, transpose, type Matrix } from './linear_algebra.js';
import { rotateVarimax } from './rotate_varimax.js';

/** An oblique rotation: pattern loadings, factor correlations Φ, and convergence of its iterative part. */
export interface ObliqueRotation {
  readonly loadings: Matrix;
  readonly phi: Matrix;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Promax rotation (Hendrickson & White, 1964, doi:10.1111/j.2044-8317.1964.tb00244.x) as psych 2.2.9
 * does it for rotate = "promax": rows are Kaiser-normalised, varimax-rotated, and the target
 * Q = Λ ∘ |Λ|^{m−1} (m = 4) is approached by the least-squares U = (Λ′Λ)⁻¹Λ′Q, rescaled so that
 * diag((U′U)⁻¹) = 1; the pattern is Λ U (rows scaled back) and Φ = U⁻¹U⁻¹′ with U including the varimax
 * rotation. Matches psych::kaiser(f, rotate = "Promax") / psych::Promax.
 */
export function rotatePromax(loadings: readonly (readonly number[])[], power = 4): ObliqueRotation {
  const h = loadings.map((row) => Math.sqrt(row.reduce((a, v) => a + v * v, 0)));
  const weighted = loadings.map((row, i) => row.map((v) => v / h[i]));
  const vm = rotateVarimax(weighted);
  const x = vm.loadings;
  const q = x.map((row) => row.map((v) => v * Math.abs(v) ** (power - 1)));
  const xt = transpose(x);
  const u0 = solve(multiply(xt, x), multiply(xt, q));
  if (!u0) throw new InputError('loadings', 'promax cannot rotate loadings whose columns are linearly dependent.');
  const utuInv = inverse(multiply(transpose(u0), u0));
  if (!utuInv) throw new InputError('loadings', 'promax produced a singular transformation.');
  const scale = utuInv.map((row, i) => Math.sqrt(row[i]));
  const u = u0.map((row) => row.map((v, j) => v * scale[j]));
  const z = multiply(x, u).map((row, i) => row.map((v) => v * h[i]));
  const full = multiply(vm.rotation, u);
  const ui = inverse(full)!;
  const phi = multiply(ui, transpose(ui));
  return { loadings: z, phi, iterations: vm.iterations, converged: vm.converged };
}
