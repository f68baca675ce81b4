import { cholesky, choleskyInverse } from './dense.js';
import { patternFactors } from './pattern_factors.js';
import type { ImpliedMoments } from './implied_moments.js';
import { usesPatterns } from './ml_discrepancy.js';
import { Mat, type MatrixEntry, type ModelStructure } from './model_matrices.js';
import type { EstimationData, ModelEvaluation } from './objective.js';

/**
 * The expected (Fisher) information of the free parameters per observation,
 * I = Σ_g (n_g/N) [½ Δ_gᵀ(Σ_g⁻¹ ⊗ Σ_g⁻¹)Δ_g + Δμ_gᵀ Σ_g⁻¹ Δμ_g], where Δ = ∂vec Σ/∂θᵀ and
 * Δμ = ∂μ/∂θᵀ (Bollen, 1989, ch. 4; lavaan's information = "expected"); under missing
 * data the same sum runs over missing-data patterns on each pattern's observed rows
 * (lavaan's expected information for missing = "ml"). Every ∂Σ/∂θ_k of the LISREL model
 * is h(uvᵀ + vuᵀ) with u, v among the unit vectors eᵢ and the columns of ΛM and ΛA, so
 * with Q = ZᵀΣ⁻¹Z for Z = [I | ΛM | ΛA] each entry is
 * h_a h_b [Q(u_a,u_b)Q(v_a,v_b) + Q(u_a,v_b)Q(v_a,u_b)] + c_a c_b Q(w_a,w_b):
 * O(q²) after an O(p²(p+2m)) set-up, without forming Δ. The Hessian of F is 2I.
 * `byPattern: false` takes every group as complete (the information the data would carry
 * without missing values): an O(q²) stand-in, larger than the incomplete data's, that steers
 * the optimiser and checks identification when thousands of patterns would each cost O(q²).
 */
export function expectedInformation(model: ModelStructure, data: EstimationData, evaluation: ModelEvaluation, { byPattern = true } = {}): Float64Array {
  const q = model.nFree;
  const info = new Float64Array(q * q);
  forEachGram(model, data, evaluation, (desc, Q, nb, weight) => accumulate(info, q, desc, Q, nb, weight, model.meanstructure), byPattern);
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) info[b * q + a] = info[a * q + b];
  return info;
}

/**
 * The blocks of the expected information that score tests need, without the full matrix:
 * for free parameters 1..q the q×q block, and for each extra parameter k > q (one entry each)
 * its cross-information with the first q (K×q) and its own information. `parent[k]` (k > q)
 * maps an extra parameter that is a released copy of parameter a back to a, so that the q×q
 * block and the cross terms treat its entry as still belonging to a.
 */
export function scoreTestInformation(
  model: ModelStructure,
  data: EstimationData,
  evaluation: ModelEvaluation,
  q: number,
  parent: Int32Array,
): { base: Float64Array; cross: Float64Array; own: Float64Array } {
  const K = model.nFree - q;
  const base = new Float64Array(q * q);
  const cross = new Float64Array(K * q);
  const own = new Float64Array(K);
  const baseIndex = (free: number) => (free <= q ? free - 1 : parent[free - 1]);
  forEachGram(model, data, evaluation, (d, Q, nb, weight) => {
    const n = d.free.length;
    const pair = (a: number, b: number) => {
      let val = 0;
      if (d.u[a] >= 0 && d.u[b] >= 0) {
        const ua = d.u[a], va = d.v[a], ub = d.u[b], vb = d.v[b];
        val = d.h[a] * d.h[b] * (Q[ua * nb + ub] * Q[va * nb + vb] + Q[ua * nb + vb] * Q[va * nb + ub]);
      }
      if (model.meanstructure && d.w[a] >= 0 && d.w[b] >= 0) val += d.c[a] * d.c[b] * Q[d.w[a] * nb + d.w[b]];
      return val * weight;
    };
    for (let a = 0; a < n; a++) {
      const ia = baseIndex(d.free[a]);
      const ka = d.free[a] - 1 - q;
      for (let b = 0; b < n; b++) {
        const ib = baseIndex(d.free[b]);
        if (ia >= 0 && ib >= 0) {
          const v = pair(a, b);
          if (v !== 0) base[ia * q + ib] += v;
        }
        if (ka >= 0 && ib >= 0) {
          const v = pair(a, b);
          if (v !== 0) cross[ka * q + ib] += v;
        }
        if (ka >= 0 && d.free[b] === d.free[a]) own[ka] += pair(a, b);
      }
    }
  });
  return { base, cross, own };
}

/** Calls `visit` with each group's (or missing-data pattern's) entry descriptors, basis Gram matrix Q and weight. */
function forEachGram(
  model: ModelStructure,
  data: EstimationData,
  evaluation: ModelEvaluation,
  visit: (desc: EntryDescriptors, Q: Float64Array, nb: number, weight: number) => void,
  byPattern = true,
): void {
  const nb = model.p + 2 * model.m;
  for (let g = 0; g < data.samples.length; g++) {
    const { implied, discrepancy } = evaluation.groups[g];
    const sample = data.samples[g];
    const desc = entryDescriptors(model, model.entries[g], implied);
    if (byPattern && usesPatterns(sample, model.p)) {
      const f = patternFactors(implied.sigma, model.p, sample.patterns!);
      const fullQ = f ? basisGramFull(model, implied, f.v) : null;
      const vz = f ? basisProduct(model, implied, f.v) : null;
      sample.patterns!.forEach((pt, t) => {
        const Q = f ? patternQ(fullQ!, vz!, f.missing[t], f.w[t], nb) : basisGram(model, implied, pt.observed);
        if (Q) visit(desc, Q, nb, (data.weights[g] * pt.n) / sample.n);
      });
    } else {
      let v = discrepancy.sigmaInverse;
      if (!v) {
        const l = cholesky(implied.sigma, model.p);
        if (!l) continue;
        v = choleskyInverse(l, model.p);
      }
      visit(desc, basisGramFull(model, implied, v), nb, data.weights[g]);
    }
  }
}

/** Per entry: covariance part (u, v, h) and mean part (w, c), as basis indices into Z = [I | ΛM | ΛA]. */
export interface EntryDescriptors {
  readonly free: Int32Array;
  readonly u: Int32Array;
  readonly v: Int32Array;
  readonly h: Float64Array;
  readonly w: Int32Array;
  readonly c: Float64Array;
}

/** The (u, v, h) and (w, c) descriptors of a group's free entries at the current implied moments. */
export function entryDescriptors(model: ModelStructure, entries: readonly MatrixEntry[], implied: ImpliedMoments): EntryDescriptors {
  const { p, m } = model;
  const list = entries.filter((e) => e.free > 0);
  const n = list.length;
  const d = {
    free: new Int32Array(n),
    u: new Int32Array(n).fill(-1),
    v: new Int32Array(n).fill(-1),
    h: new Float64Array(n),
    w: new Int32Array(n).fill(-1),
    c: new Float64Array(n),
  };
  const C = (j: number) => p + j;
  const B = (j: number) => p + m + j;
  list.forEach((e, k) => {
    d.free[k] = e.free;
    switch (e.mat) {
      case Mat.Lambda:
        d.u[k] = e.i;
        d.v[k] = C(e.j);
        d.h[k] = 1;
        d.w[k] = e.i;
        d.c[k] = implied.aAlpha[e.j];
        break;
      case Mat.Theta:
        d.u[k] = e.i;
        d.v[k] = e.j;
        d.h[k] = e.i === e.j ? 0.5 : 1;
        break;
      case Mat.Psi:
        d.u[k] = B(e.i);
        d.v[k] = B(e.j);
        d.h[k] = e.i === e.j ? 0.5 : 1;
        break;
      case Mat.Beta:
        d.u[k] = B(e.i);
        d.v[k] = C(e.j);
        d.h[k] = 1;
        d.w[k] = B(e.i);
        d.c[k] = implied.aAlpha[e.j];
        break;
      case Mat.Nu:
        d.w[k] = e.i;
        d.c[k] = 1;
        break;
      case Mat.Alpha:
        d.w[k] = B(e.i);
        d.c[k] = 1;
        break;
    }
  });
  return d;
}

function accumulate(info: Float64Array, q: number, d: EntryDescriptors, Q: Float64Array, nb: number, weight: number, meanstructure: boolean): void {
  const n = d.free.length;
  for (let a = 0; a < n; a++) {
    const fa = d.free[a] - 1;
    const ua = d.u[a];
    const va = d.v[a];
    const wa = d.w[a];
    for (let b = 0; b < n; b++) {
      const fb = d.free[b] - 1;
      if (fb > fa) continue;
      let val = 0;
      if (ua >= 0 && d.u[b] >= 0) {
        const ub = d.u[b];
        const vb = d.v[b];
        val = d.h[a] * d.h[b] * (Q[ua * nb + ub] * Q[va * nb + vb] + Q[ua * nb + vb] * Q[va * nb + ub]);
      }
      if (meanstructure && wa >= 0 && d.w[b] >= 0) val += d.c[a] * d.c[b] * Q[wa * nb + d.w[b]];
      if (val === 0) continue;
      // an entry pair (a,b) with fa == fb is met twice (a,b and b,a) unless a == b; both belong to I[fa][fa]
      info[fa * q + fb] += weight * val;
    }
  }
}

/** Q = ZᵀVZ for Z = [I | ΛM | ΛA] and V = Σ⁻¹. */
function basisGramFull(model: ModelStructure, implied: ImpliedMoments, v: Float64Array): Float64Array {
  const { p, m } = model;
  const nb = p + 2 * m;
  const Z = new Float64Array(p * nb);
  for (let i = 0; i < p; i++) {
    Z[i * nb + i] = 1;
    for (let j = 0; j < m; j++) {
      Z[i * nb + p + j] = implied.lambdaM[i * m + j];
      Z[i * nb + p + m + j] = implied.lambdaA[i * m + j];
    }
  }
  return gram(Z, v, p, nb);
}

/** VZ (p × nb) for the full V = Σ⁻¹. */
function basisProduct(model: ModelStructure, implied: ImpliedMoments, v: Float64Array): Float64Array {
  const { p, m } = model;
  const nb = p + 2 * m;
  const VZ = new Float64Array(p * nb);
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) {
      const x = v[i * p + k];
      if (x === 0) continue;
      VZ[i * nb + k] += x;
      for (let j = 0; j < m; j++) {
        VZ[i * nb + p + j] += x * implied.lambdaM[k * m + j];
        VZ[i * nb + p + m + j] += x * implied.lambdaA[k * m + j];
      }
    }
  }
  return VZ;
}

/**
 * Q of one missing-data pattern by the partitioned inverse: Z_oᵀΣ_oo⁻¹Z_o = ZᵀVZ − Y_mᵀ W Y_m with
 * Y = VZ (rows m, the pattern's missing variables) and W = (V_mm)⁻¹ from `patternFactors`
 * (O(nb²·n_m)). `fullQ` itself when nothing is missing; written into `out` when given.
 */
export function patternQ(fullQ: Float64Array, vz: Float64Array, mis: Int32Array, w: Float64Array, nb: number, out?: Float64Array): Float64Array {
  const nm = mis.length;
  if (nm === 0) return fullQ;
  const t = new Float64Array(nm * nb);
  for (let a = 0; a < nm; a++)
    for (let k = 0; k < nm; k++) {
      const x = w[a * nm + k];
      const row = mis[k] * nb;
      for (let j = 0; j < nb; j++) t[a * nb + j] += x * vz[row + j];
    }
  const Q = out ?? new Float64Array(nb * nb);
  Q.set(fullQ);
  for (let a = 0; a < nm; a++) {
    const row = mis[a] * nb;
    for (let i = 0; i < nb; i++) {
      const y = vz[row + i];
      if (y === 0) continue;
      for (let j = 0; j < nb; j++) Q[i * nb + j] -= y * t[a * nb + j];
    }
  }
  return Q;
}

/** Q for one missing-data pattern: Z restricted to the observed rows, V = Σ_oo⁻¹. */
function basisGram(model: ModelStructure, implied: ImpliedMoments, o: Int32Array): Float64Array | null {
  const { p, m } = model;
  const nb = p + 2 * m;
  const no = o.length;
  const so = new Float64Array(no * no);
  for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) so[a * no + b] = implied.sigma[o[a] * p + o[b]];
  const l = cholesky(so, no);
  if (!l) return null;
  const v = choleskyInverse(l, no);
  const Z = new Float64Array(no * nb);
  for (let a = 0; a < no; a++) {
    const i = o[a];
    Z[a * nb + i] = 1;
    for (let j = 0; j < m; j++) {
      Z[a * nb + p + j] = implied.lambdaM[i * m + j];
      Z[a * nb + p + m + j] = implied.lambdaA[i * m + j];
    }
  }
  return gram(Z, v, no, nb);
}

function gram(Z: Float64Array, v: Float64Array, r: number, nb: number): Float64Array {
  const VZ = new Float64Array(r * nb);
  for (let i = 0; i < r; i++)
    for (let k = 0; k < r; k++) {
      const x = v[i * r + k];
      if (x === 0) continue;
      for (let j = 0; j < nb; j++) VZ[i * nb + j] += x * Z[k * nb + j];
    }
  const Q = new Float64Array(nb * nb);
  for (let k = 0; k < r; k++)
    for (let a = 0; a < nb; a++) {
      const z = Z[k * nb + a];
      if (z === 0) continue;
      for (let b = 0; b < nb; b++) Q[a * nb + b] += z * VZ[k * nb + b];
    }
  return Q;
}
