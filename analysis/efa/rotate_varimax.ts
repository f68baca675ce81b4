import { symmetricEigen } from './symmetric_eigen.js';
import { identity, multiply, type Matrix } from './linear_algebra.js';

/** An orthogonal rotation: rotated loadings Λ T and the rotation matrix T. */
export interface OrthogonalRotation {
  readonly loadings: Matrix;
  readonly rotation: Matrix;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Varimax rotation (Kaiser, 1958, doi:10.1007/BF02289233): the orthogonal T maximising the summed
 * column variances of the squared loadings, here with Kaiser normalisation (rows scaled to unit
 * length before rotating and back after). Each step sets T to the polar factor of
 * B = Λ′(Z³ − Z diag(1′Z²)/p), Z = ΛT, and it stops when the criterion (the sum of B's singular
 * values) grows by less than a relative `eps`. Matches stats::varimax (normalize = TRUE, eps = 1e-5),
 * which psych::fa 2.2.9 calls for rotate = "varimax".
 */
export function rotateVarimax(loadings: readonly (readonly number[])[], { normalize = true, eps = 1e-5 } = {}): OrthogonalRotation {
  const p = loadings.length;
  const k = loadings[0].length;
  if (k < 2) return { loadings: loadings.map((r) => r.slice()), rotation: identity(k), iterations: 0, converged: true };
  const sc = loadings.map((row) => (normalize ? Math.sqrt(row.reduce((a, v) => a + v * v, 0)) : 1));
  const x = loadings.map((row, i) => row.map((v) => v / sc[i]));
  let t = identity(k);
  let d = 0;
  let iterations = 0;
  let converged = false;
  for (let it = 1; it <= 1000; it++) {
    iterations = it;
    const z = multiply(x, t);
    const colSq = new Array<number>(k).fill(0);
    for (const row of z) for (let j = 0; j < k; j++) colSq[j] += row[j] * row[j];
    // B = X′ (Z³ − Z diag(colSq) / p)
    const b: Matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < k; j++) {
        const zij = z[i][j];
        const w = zij * zij * zij - (zij * colSq[j]) / p;
        for (let a = 0; a < k; a++) b[a][j] += x[i][a] * w;
      }
    }
    const polar = polarFactor(b);
    t = polar.u;
    const dPast = d;
    d = polar.traceNorm;
    if (d < dPast * (1 + eps)) {
      converged = true;
      break;
    }
  }
  const rotated = multiply(x, t).map((row, i) => row.map((v) => v * sc[i]));
  return { loadings: rotated, rotation: t, iterations, converged };
}

/** Polar decomposition B = U H: U = B (B′B)^{-1/2} (the u v′ of B's SVD) and the sum of singular values. */
export function polarFactor(b: readonly (readonly number[])[]): { u: Matrix; traceNorm: number } {
  const k = b.length;
  const btb: Matrix = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      let s = 0;
      for (let a = 0; a < k; a++) s += b[a][i] * b[a][j];
      return s;
    }),
  );
  const { values, vectors } = symmetricEigen(btb);
  const invSqrt: Matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let traceNorm = 0;
  for (let m = 0; m < k; m++) {
    const lam = Math.max(values[m], 0);
    traceNorm += Math.sqrt(lam);
    const w = lam > 0 ? 1 / Math.sqrt(lam) : 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) invSqrt[i][j] += vectors[i * k + m] * w * vectors[j * k + m];
  }
  return { u: multiply(b, invSqrt), traceNorm };
}
