import type { Matrix } from './linear_algebra.js';
import { inverse } from '../sem/dense.js';
import type { ObliqueRotation } from './rotate_promax.js';
import { obliqueRotationKernel } from '../math/oblique_rotation_kernel.js';

/**
 * A rotation criterion Q(Λ) and its gradient ∂Q/∂Λ, as GPArotation's vgQ.* functions define them.
 * `value` reads the p × k loadings `l` (row-major) and writes the gradient into `gradient`.
 */
export interface RotationCriterion {
  readonly name: string;
  value(l: Float64Array, p: number, k: number, gradient: Float64Array): number;
  /** The oblimin family's γ: `rotateOblique` then runs the criterion in WebAssembly (the same arithmetic). */
  readonly gamma?: number;
}

/**
 * Which code runs the rotation's loops: `auto`, the WebAssembly kernel of
 * analysis/math/oblique_rotation_kernel.ts for the oblimin family where the engine has one (the
 * same operations in the same order: the same results to the last bit), else JavaScript;
 * `javascript` always the JavaScript loops (for tests that compare the two).
 */
export type RotationCode = 'auto' | 'javascript';

/**
 * Oblimin family criterion (Carroll, 1957; Jennrich, 2002, doi:10.1007/BF02294704):
 * Q = ¼ Σ (Λ∘Λ) ∘ [(I − γ/p 11′)(Λ∘Λ) N], N = 11′ − I; γ = 0 is quartimin; gradient Λ ∘ [(I − γ/p 11′)(Λ∘Λ) N].
 * Matches GPArotation::vgQ.oblimin.
 */
export function obliminCriterion(gamma = 0): RotationCriterion {
  return {
    name: gamma === 0 ? 'quartimin' : `oblimin(gamma=${gamma})`,
    gamma,
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
export function rotateOblique(a: readonly (readonly number[])[], criterion: RotationCriterion, { eps = 1e-5, maxit = 1000, code = 'auto' as RotationCode } = {}): ObliqueRotation {
  // flat k × k and p × k arrays throughout; for the oblimin family the p × k loops and the k × k
  // inverse run in WebAssembly on arrays in its memory (a command-line run rotates once, so in
  // JavaScript they would run mostly before V8 optimises them)
  const p = a.length;
  const k = a[0].length;
  const gamma = criterion.gamma;
  const kernel = code === 'auto' && gamma !== undefined ? obliqueRotationKernel() : null;
  const sizes = [p * k, p * k, p * k, p * k, p * k, k * k, k * k, k * k, k * k, k * k, k * k, k * k, k * k, k, k];
  const arrays = kernel ? kernel.workspace(sizes) : sizes.map((n) => new Float64Array(n));
  // the kernel's memory holds the last rotation's values
  if (kernel) for (const x of arrays) x.fill(0);
  const [A, , , , , , , tInv, scratch, inverted, G, lg, Gp, cs, norms] = arrays;
  let [, L, Gq, Lt, Gqt, tmat, tNew] = arrays;
  for (let i = 0; i < p; i++) for (let j = 0; j < k; j++) A[i * k + j] = a[i][j];
  for (let j = 0; j < k; j++) tmat[j * k + j] = 1;
  const pattern = kernel ? kernel.pattern : patternOf;
  const value = kernel ? (l: Float64Array, g: Float64Array) => kernel.oblimin(l, g, p, k, gamma!) : (l: Float64Array, g: Float64Array) => criterion.value(l, p, k, g);
  const gradient = kernel ? kernel.gradientT : gradientT;
  /** tInv = T⁻¹ when T is not singular. */
  const invert = (t: Float64Array): boolean => {
    if (kernel) {
      if (!kernel.inverse(t, scratch, inverted, k)) return false;
      tInv.set(inverted);
      return true;
    }
    const inv = inverse(t, k);
    if (inv) tInv.set(inv);
    return inv !== null;
  };
  invert(tmat);
  pattern(A, tInv, L, p, k);
  let f = value(L, Gq);
  gradient(L, Gq, tInv, lg, G, p, k);
  let al = 1;
  let s = Infinity;
  let iterations = 0;
  for (let iter = 0; iter <= maxit; iter++) {
    iterations = iter;
    // Gp = G − T diag(1′(T ∘ G))
    s = Math.sqrt(kernel ? kernel.projectedGradient(tmat, G, Gp, cs, k) : projectedGradient(tmat, G, Gp, cs, k));
    if (s < eps) break;
    al *= 2;
    let found = false;
    let fNew = f;
    for (let trial = 0; trial <= 10; trial++) {
      // T − α Gp with unit-length columns
      if (kernel) kernel.step(tmat, Gp, al, tNew, norms, k);
      else step(tmat, Gp, al, tNew, norms, k);
      if (!invert(tNew)) {
        // a step that makes two factors collinear: try a shorter one
        al /= 2;
        found = false;
        continue;
      }
      found = true;
      pattern(A, tInv, Lt, p, k);
      fNew = value(Lt, Gqt);
      if (f - fNew > 0.5 * s * s * al) break;
      al /= 2;
    }
    if (!found) break; // the last trial step was singular: stop, not converged
    [tmat, tNew] = [tNew, tmat];
    f = fNew;
    [L, Lt] = [Lt, L];
    [Gq, Gqt] = [Gqt, Gq];
    gradient(L, Gq, tInv, lg, G, p, k);
  }
  const loadings: Matrix = Array.from({ length: p }, (_, i) => Array.from(L.subarray(i * k, i * k + k)));
  const phi: Matrix = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      let v = 0;
      for (let r = 0; r < k; r++) v += tmat[r * k + i] * tmat[r * k + j];
      return v;
    }),
  );
  return { loadings, phi, iterations, converged: s < eps };
}

/** Gp = G − T diag(1′(T ∘ G)) into `gp` (`cs`: k scratch); returns ‖Gp‖². */
function projectedGradient(tmat: Float64Array, G: Float64Array, gp: Float64Array, cs: Float64Array, k: number): number {
  cs.fill(0);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cs[j] += tmat[i * k + j] * G[i * k + j];
  let ss = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = G[i * k + j] - tmat[i * k + j] * cs[j];
      gp[i * k + j] = v;
      ss += v * v;
    }
  }
  return ss;
}

/** T − α Gp with unit-length columns into `out` (`norms`: k scratch). */
function step(tmat: Float64Array, Gp: Float64Array, al: number, out: Float64Array, norms: Float64Array, k: number): void {
  norms.fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = tmat[i * k + j] - al * Gp[i * k + j];
      out[i * k + j] = v;
      norms[j] += v * v;
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] /= Math.sqrt(norms[j]);
}

/** L = A (T′)⁻¹ = A (T⁻¹)′, written into `out`. */
function patternOf(A: Float64Array, tInv: Float64Array, out: Float64Array, p: number, k: number): void {
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += A[i * k + m] * tInv[j * k + m];
      out[i * k + j] = s;
    }
  }
}

/** G = −(L′ Gq T⁻¹)′ into `out` (`lg`: k × k scratch for L′Gq). */
function gradientT(L: Float64Array, gq: Float64Array, tInv: Float64Array, lg: Float64Array, out: Float64Array, p: number, k: number): void {
  lg.fill(0);
  for (let i = 0; i < p; i++) {
    for (let a = 0; a < k; a++) {
      const la = L[i * k + a];
      for (let b = 0; b < k; b++) lg[a * k + b] += la * gq[i * k + b];
    }
  }
  // (L′Gq T⁻¹)′[r][c] = Σ_m lg[c][m] tInv[m][r]
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += lg[c * k + m] * tInv[m * k + r];
      out[r * k + c] = -s;
    }
  }
}
