import { identity, inverse, type Matrix } from './linear_algebra.js';
import type { ObliqueRotation } from './rotate_promax.js';

/**
 * A rotation criterion Q(Λ) and its gradient ∂Q/∂Λ, as GPArotation's vgQ.* functions define them.
 * `value` reads the p × k loadings `l` (row-major) and writes the gradient into `gradient`.
 */
export interface RotationCriterion {
  readonly name: string;
  value(l: Float64Array, p: number, k: number, gradient: Float64Array): number;
}

/**
 * Oblimin family criterion (Carroll, 1957; Jennrich, 2002, doi:10.1007/BF02294704):
 * Q = ¼ Σ (Λ∘Λ) ∘ [(I − γ/p 11′)(Λ∘Λ) N], N = 11′ − I; γ = 0 is quartimin; gradient Λ ∘ [(I − γ/p 11′)(Λ∘Λ) N].
 * Matches GPArotation::vgQ.oblimin.
 */
export function obliminCriterion(gamma = 0): RotationCriterion {
  return {
    name: gamma === 0 ? 'quartimin' : `oblimin(gamma=${gamma})`,
    value(l, p, k, gradient) {
      // X = (Λ∘Λ) N: each entry is its row's sum of squares minus its own square
      const x = gradient; // X is built in place, then multiplied by Λ
      for (let i = 0; i < p; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += l[i * k + j] * l[i * k + j];
        for (let j = 0; j < k; j++) x[i * k + j] = s - l[i * k + j] * l[i * k + j];
      }
      if (gamma !== 0) {
        for (let j = 0; j < k; j++) {
          let m = 0;
          for (let i = 0; i < p; i++) m += x[i * k + j];
          m *= gamma / p;
          for (let i = 0; i < p; i++) x[i * k + j] -= m;
        }
      }
      let f = 0;
      for (let q = 0; q < p * k; q++) {
        const v = l[q];
        f += v * v * x[q];
        gradient[q] = v * x[q];
      }
      return f / 4;
    },
  };
}

/**
 * Geomin criterion (Yates, 1987; Browne, 2001, doi:10.1207/S15327906MBR3601_05):
 * Q = Σ_i (Π_j (λ²_ij + δ))^{1/k}, δ = 0.01. Matches GPArotation::vgQ.geomin.
 */
export function geominCriterion(delta = 0.01): RotationCriterion {
  return {
    name: 'geomin',
    value(l, p, k, gradient) {
      let f = 0;
      for (let i = 0; i < p; i++) {
        let logSum = 0;
        for (let j = 0; j < k; j++) logSum += Math.log(l[i * k + j] * l[i * k + j] + delta);
        const pro = Math.exp(logSum / k);
        f += pro;
        for (let j = 0; j < k; j++) {
          const v = l[i * k + j];
          gradient[i * k + j] = ((2 / k) * v * pro) / (v * v + delta);
        }
      }
      return f;
    },
  };
}

/**
 * Oblique gradient-projection rotation (Jennrich, 2002, doi:10.1007/BF02294704; Bernaards & Jennrich,
 * 2005, doi:10.1177/0013164404272507): minimises a criterion Q(Λ (T′)⁻¹) over T with unit-length
 * columns, starting from T = I, doubling and halving the step as GPArotation does, until the norm of the
 * projected gradient is below `eps`. Pattern Λ(T′)⁻¹, factor correlations Φ = T′T. Matches
 * GPArotation::GPFoblq 2022.10-2 (eps 1e-5, maxit 1000, no row normalisation), which psych::fa 2.2.9
 * calls for rotate = "oblimin", "quartimin", "geominQ".
 */
export function rotateOblique(a: readonly (readonly number[])[], criterion: RotationCriterion, { eps = 1e-5, maxit = 1000 } = {}): ObliqueRotation {
  const p = a.length;
  const k = a[0].length;
  const A = new Float64Array(p * k);
  for (let i = 0; i < p; i++) for (let j = 0; j < k; j++) A[i * k + j] = a[i][j];
  let tmat: Matrix = identity(k);
  let L = new Float64Array(p * k);
  let Gq = new Float64Array(p * k);
  let Lt = new Float64Array(p * k);
  let Gqt = new Float64Array(p * k);
  let tInv = inverse(tmat)!;
  patternOf(A, tInv, p, k, L);
  let f = criterion.value(L, p, k, Gq);
  let G = gradientT(L, Gq, tInv, p, k);
  let al = 1;
  let s = Infinity;
  let iterations = 0;
  for (let iter = 0; iter <= maxit; iter++) {
    iterations = iter;
    // Gp = G − T diag(1′(T ∘ G))
    const cs = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cs[j] += tmat[i][j] * G[i][j];
    const Gp = G.map((row, i) => row.map((v, j) => v - tmat[i][j] * cs[j]));
    let ss = 0;
    for (const row of Gp) for (const v of row) ss += v * v;
    s = Math.sqrt(ss);
    if (s < eps) break;
    al *= 2;
    let tNew = tmat;
    let fNew = f;
    for (let i = 0; i <= 10; i++) {
      const X = tmat.map((row, r) => row.map((v, c) => v - al * Gp[r][c]));
      const norms = new Array<number>(k).fill(0);
      for (const row of X) for (let j = 0; j < k; j++) norms[j] += row[j] * row[j];
      tNew = X.map((row) => row.map((v, j) => v / Math.sqrt(norms[j])));
      const inv = inverse(tNew);
      if (!inv) {
        // a step that makes two factors collinear: try a shorter one
        al /= 2;
        tNew = tmat;
        continue;
      }
      tInv = inv;
      patternOf(A, tInv, p, k, Lt);
      fNew = criterion.value(Lt, p, k, Gqt);
      if (f - fNew > 0.5 * s * s * al) break;
      al /= 2;
    }
    if (tNew === tmat) break; // every trial step was singular: stop, not converged
    tmat = tNew;
    f = fNew;
    [L, Lt] = [Lt, L];
    [Gq, Gqt] = [Gqt, Gq];
    G = gradientT(L, Gq, tInv, p, k);
  }
  const loadings: Matrix = Array.from({ length: p }, (_, i) => Array.from(L.subarray(i * k, i * k + k)));
  const phi: Matrix = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => tmat.reduce((acc, row) => acc + row[i] * row[j], 0)));
  return { loadings, phi, iterations, converged: s < eps };
}

/** L = A (T′)⁻¹ = A (T⁻¹)′, written into `out`. */
function patternOf(A: Float64Array, tInv: Matrix, p: number, k: number, out: Float64Array): void {
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      const tj = tInv[j];
      for (let m = 0; m < k; m++) s += A[i * k + m] * tj[m];
      out[i * k + j] = s;
    }
  }
}

/** G = −(L′ Gq T⁻¹)′. */
function gradientT(L: Float64Array, gq: Float64Array, tInv: Matrix, p: number, k: number): Matrix {
  const lg: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < p; i++) {
    for (let a = 0; a < k; a++) {
      const la = L[i * k + a];
      const row = lg[a];
      for (let b = 0; b < k; b++) row[b] += la * gq[i * k + b];
    }
  }
  // (L′Gq T⁻¹)′[r][c] = Σ_m lg[c][m] tInv[m][r]
  return Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => {
    let s = 0;
    for (let m = 0; m < k; m++) s += lg[c][m] * tInv[m][r];
    return -s;
  }));
}
