import { identity, inverse, multiply, transpose, type Matrix } from './linear_algebra.js';
import type { ObliqueRotation } from './rotate_promax.js';

/** A rotation criterion Q(Λ) and its gradient ∂Q/∂Λ, as GPArotation's vgQ.* functions define them. */
export interface RotationCriterion {
  readonly name: string;
  value(l: Matrix): { f: number; gradient: Matrix };
}

/**
 * Oblimin family criterion (Carroll, 1957; Jennrich, 2002, doi:10.1007/BF02294704):
 * Q = ¼ Σ (Λ∘Λ)′ (I − γ/p 11′) (Λ∘Λ) N, N = 11′ − I; γ = 0 is quartimin. Matches GPArotation::vgQ.oblimin.
 */
export function obliminCriterion(gamma = 0): RotationCriterion {
  return {
    name: gamma === 0 ? 'quartimin' : `oblimin(gamma=${gamma})`,
    value(l) {
      const p = l.length;
      const k = l[0].length;
      const sq = l.map((row) => row.map((v) => v * v));
      // X = L² N: row sums of squares minus own column
      let x = sq.map((row) => {
        const s = row.reduce((a, v) => a + v, 0);
        return row.map((v) => s - v);
      });
      if (gamma !== 0) {
        const colMeans = new Array<number>(k).fill(0);
        for (const row of x) for (let j = 0; j < k; j++) colMeans[j] += row[j] / p;
        x = x.map((row) => row.map((v, j) => v - gamma * colMeans[j]));
      }
      let f = 0;
      const gradient = l.map((row, i) => row.map((v, j) => {
        f += sq[i][j] * x[i][j];
        return v * x[i][j];
      }));
      return { f: f / 4, gradient };
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
    value(l) {
      const k = l[0].length;
      let f = 0;
      const gradient = l.map((row) => {
        const l2 = row.map((v) => v * v + delta);
        const pro = Math.exp(l2.reduce((a, v) => a + Math.log(v), 0) / k);
        f += pro;
        return row.map((v, j) => ((2 / k) * v * pro) / l2[j]);
      });
      return { f, gradient };
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
  const k = a[0].length;
  const A = a.map((r) => r.slice());
  let tmat = identity(k);
  let al = 1;
  let L = multiply(A, transpose(inverse(tmat)!));
  let vq = criterion.value(L);
  let f = vq.f;
  let G = gradientT(L, vq.gradient, tmat);
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
    let vqNew = vq;
    for (let i = 0; i <= 10; i++) {
      const X = tmat.map((row, r) => row.map((v, c) => v - al * Gp[r][c]));
      const norms = new Array<number>(k).fill(0);
      for (const row of X) for (let j = 0; j < k; j++) norms[j] += row[j] * row[j];
      tNew = X.map((row) => row.map((v, j) => v / Math.sqrt(norms[j])));
      L = multiply(A, transpose(inverse(tNew)!));
      vqNew = criterion.value(L);
      if (f - vqNew.f > 0.5 * s * s * al) break;
      al /= 2;
    }
    tmat = tNew;
    f = vqNew.f;
    vq = vqNew;
    G = gradientT(L, vqNew.gradient, tNew);
  }
  return { loadings: L, phi: multiply(transpose(tmat), tmat), iterations, converged: s < eps };
}

/** G = −(L′ Gq T⁻¹)′. */
function gradientT(L: Matrix, gq: Matrix, t: Matrix): Matrix {
  const inner = multiply(multiply(transpose(L), gq), inverse(t)!);
  return transpose(inner).map((row) => row.map((v) => -v));
}
