import { inverse } from './dense.js';
import { entryDescriptors, patternQ, type EntryDescriptors } from './expected_information.js';
import type { ImpliedMoments } from './implied_moments.js';
import { usesPatterns } from './ml_discrepancy.js';
import { Mat, type ModelStructure } from './model_matrices.js';
import { evaluateModel, type EstimationData } from './objective.js';
import { applyObservedInverse, byRows, observedInverse, patternFactors, type PatternFactors } from './pattern_factors.js';
import type { MissingPattern } from './sample_statistics.js';

/**
 * The observed information per observation, ½·∂²F/∂θ∂θᵀ = −(1/N)∂²ℓ/∂θ∂θᵀ, analytically: the
 * Hessian of the normal log-likelihood (casewise over missing-data patterns under full-information
 * ML) through the model's implied moments. For one pattern with observed variables o, V = Σ_oo⁻¹,
 * M = (1/n_p)Σᵢ dᵢdᵢᵀ and d̄ its mean residual, and directions Σ̇_a = ∂Σ/∂θ_a, μ̇_a = ∂μ/∂θ_a,
 *   ½∂²f/∂θ_a∂θ_b = −½tr(VΣ̇_aVΣ̇_b) + tr(VΣ̇_aVΣ̇_bVM) + μ̇_bᵀVΣ̇_aVd̄ + μ̇_aᵀVΣ̇_bVd̄ + μ̇_aᵀVμ̇_b
 *                   + ½[tr(G Σ̈_ab) + gᵀμ̈_ab],
 * with G = ∂f/∂Σ and g = ∂f/∂μ (Magnus & Neudecker, 2019, ch. 10; Savalei, 2010,
 * doi:10.1080/10705510903439003). The first line is evaluated in the basis Z = [I | ΛM | ΛA] of
 * expectedInformation: every Σ̇_a is h(uvᵀ + vuᵀ) and every μ̇_a is c·w with u, v, w columns of
 * Z, so with Q = ZᵀVZ, R = ZᵀVMVZ and s = ZᵀVd̄ each entry is a few products of their elements;
 * a pattern's Q is the full-data ZᵀΣ⁻¹Z less a rank-n_m correction (`patternFactors`). The
 * second line, zero for a saturated model, is the derivative of the chain rule of
 * `addGradient` along each parameter with G and g held fixed (forward differentiation of
 * ΛA, ΛM and Aα, A = (I−B)⁻¹). lavaan's default for missing = "ml" (information = "observed",
 * observed.information = "hessian") is this matrix, which lav_model_hessian approximates by
 * Richardson extrapolation of the analytic gradient (step 1e-6); the two agree to ~1e-9.
 * Null when some implied Σ is not positive definite.
 */
export function observedInformation(model: ModelStructure, data: EstimationData, x: Float64Array): Float64Array | null {
  const ev = evaluateModel(model, data, x, true);
  if (!ev) return null;
  const { p, m } = model;
  const q = model.nFree;
  const nb = p + 2 * m;
  const info = new Float64Array(q * q);
  const second = new Float64Array(q * q);
  for (let g = 0; g < data.samples.length; g++) {
    const sample = data.samples[g];
    const { implied, discrepancy } = ev.groups[g];
    const weight = data.weights[g];
    const desc = sortedDescriptors(entryDescriptors(model, model.entries[g], implied));
    const z = basis(implied, p, m);
    if (usesPatterns(sample, p)) {
      const f = patternFactors(implied.sigma, p, sample.patterns!);
      if (!f) return null;
      addPatternInformation(sample.patterns!, sample.n, f, implied.mu, z, nb, desc, weight, model.meanstructure, info);
    } else {
      const v = discrepancy.sigmaInverse ?? inverse(implied.sigma, p);
      if (!v) return null;
      const y = multiplyDense(v, z, p, p, nb);
      const Q = transposeTimes(z, y, p, nb, nb);
      const dm = new Float64Array(p);
      if (model.meanstructure) for (let a = 0; a < p; a++) dm[a] = sample.mean[a] - implied.mu[a];
      const mm = new Float64Array(p * p);
      for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) mm[a * p + b] = sample.cov[a * p + b] + dm[a] * dm[b];
      const s = new Float64Array(nb);
      const R = new Float64Array(nb * nb);
      momentPieces(y, mm, dm, p, nb, s, R);
      accumulatePairs(info, q, desc, Q, R, s, nb, weight, model.meanstructure);
    }
    secondOrder(model, g, implied, discrepancy.dSigma!, discrepancy.dMu!, 0.5 * weight, second);
  }
  for (let a = 0; a < q; a++)
    for (let b = 0; b <= a; b++) {
      const v = info[a * q + b] + 0.5 * (second[a * q + b] + second[b * q + a]);
      info[a * q + b] = v;
      info[b * q + a] = v;
    }
  return info;
}

/**
 * Adds weight × Σ_p (n_p/n)·(first-order part of ½∂²f_p) over one group's missing-data patterns
 * (lower triangle by free index), for a basis z (p × nb) whose columns span every Σ̇ and μ̇.
 */
export function addPatternInformation(
  patterns: readonly MissingPattern[],
  n: number,
  f: PatternFactors,
  mu: Float64Array,
  z: Float64Array,
  nb: number,
  desc: SortedDescriptors,
  weight: number,
  meanstructure: boolean,
  info: Float64Array,
): void {
  const { p } = f;
  const q = Math.round(Math.sqrt(info.length));
  const vz = multiplyDense(f.v, z, p, p, nb);
  const fullQ = transposeTimes(z, vz, p, nb, nb);
  const d = new Float64Array(p);
  const r = new Float64Array(p);
  const scratch = new Float64Array(p);
  const si = new Float64Array(nb);
  // one set of buffers for every pattern
  const qBuffer = new Float64Array(nb * nb);
  const s = new Float64Array(nb);
  const R = new Float64Array(nb * nb);
  const P = new Float64Array(nb * nb);
  patterns.forEach((pt, t) => {
    const o = pt.observed;
    const no = o.length;
    const Q = patternQ(fullQ, vz, f.missing[t], f.w[t], nb, qBuffer);
    s.fill(0);
    R.fill(0);
    if (byRows(pt)) {
      const rows = pt.rows!;
      for (let i = 0; i < pt.n; i++) {
        for (let a = 0; a < no; a++) d[o[a]] = rows[i * no + a] - mu[o[a]];
        applyObservedInverse(f, t, o, d, r, scratch);
        basisTransposeTimes(z, r, p, nb, si);
        for (let a = 0; a < nb; a++) {
          const sa = si[a] / pt.n;
          s[a] += sa;
          if (sa === 0) continue;
          for (let b = 0; b < nb; b++) R[a * nb + b] += sa * si[b];
        }
      }
      d.fill(0);
    } else {
      // Z_oᵀΣ_oo⁻¹ through the pattern's moments
      const vo = observedInverse(f, t, o);
      const zo = new Float64Array(no * nb);
      for (let a = 0; a < no; a++) zo.set(z.subarray(o[a] * nb, o[a] * nb + nb), a * nb);
      const y = multiplyDense(vo, zo, no, no, nb);
      const mm = new Float64Array(no * no);
      const dm = new Float64Array(no);
      for (let a = 0; a < no; a++) dm[a] = pt.mean[a] - mu[o[a]];
      for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) mm[a * no + b] = pt.cov[a * no + b] + dm[a] * dm[b];
      momentPieces(y, mm, dm, no, nb, s, R);
    }
    accumulatePairs(info, q, desc, Q, R, s, nb, (weight * pt.n) / n, meanstructure, P);
  });
}

/** Z = [I | ΛM | ΛA] (p × nb). */
export function basis(implied: ImpliedMoments, p: number, m: number): Float64Array {
  const nb = p + 2 * m;
  const z = new Float64Array(p * nb);
  for (let i = 0; i < p; i++) {
    z[i * nb + i] = 1;
    for (let j = 0; j < m; j++) {
      z[i * nb + p + j] = implied.lambdaM[i * m + j];
      z[i * nb + p + m + j] = implied.lambdaA[i * m + j];
    }
  }
  return z;
}

/** A (r×k) · B (k×c). */
function multiplyDense(a: Float64Array, b: Float64Array, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++)
    for (let t = 0; t < k; t++) {
      const x = a[i * k + t];
      if (x === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += x * b[t * c + j];
    }
  return out;
}

/** Aᵀ (k×r stored) · B (k×c). */
function transposeTimes(a: Float64Array, b: Float64Array, k: number, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let t = 0; t < k; t++)
    for (let i = 0; i < r; i++) {
      const x = a[t * r + i];
      if (x === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += x * b[t * c + j];
    }
  return out;
}

/** out = Zᵀr for a p-vector r. */
function basisTransposeTimes(z: Float64Array, r: Float64Array, p: number, nb: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < p; i++) {
    const ri = r[i];
    if (ri === 0) continue;
    for (let j = 0; j < nb; j++) out[j] += z[i * nb + j] * ri;
  }
}

/** s = Yᵀd and R = YᵀMY for Y = Σ_oo⁻¹Z_o (r × nb). */
function momentPieces(y: Float64Array, mm: Float64Array, dm: Float64Array, r: number, nb: number, s: Float64Array, R: Float64Array): void {
  const my = multiplyDense(mm, y, r, r, nb);
  R.set(transposeTimes(y, my, r, nb, nb));
  for (let a = 0; a < r; a++) {
    const x = dm[a];
    if (x === 0) continue;
    for (let j = 0; j < nb; j++) s[j] += y[a * nb + j] * x;
  }
}

/** Entry descriptors ordered by free index, so that the pair loop visits b ≤ a only. */
export type SortedDescriptors = EntryDescriptors & { readonly last: Int32Array };

export function sortedDescriptors(d: EntryDescriptors): SortedDescriptors {
  const order = Array.from(d.free.keys()).sort((a, b) => d.free[a] - d.free[b]);
  const pick = <T extends Int32Array | Float64Array>(arr: T): T => {
    const out = new (arr.constructor as { new (n: number): T })(order.length);
    order.forEach((k, i) => (out[i] = arr[k]));
    return out;
  };
  const free = pick(d.free);
  // last[a]: the last position whose free index equals free[a]
  const last = new Int32Array(free.length);
  for (let a = free.length - 1; a >= 0; a--) last[a] = a + 1 < free.length && free[a + 1] === free[a] ? last[a + 1] : a;
  return { free, u: pick(d.u), v: pick(d.v), h: pick(d.h), w: pick(d.w), c: pick(d.c), last };
}

/**
 * Adds weight × the first-order part of ½∂²f for every entry pair (lower triangle by free index).
 * With P = R − ½Q (symmetric) the covariance part h_a h_b[−(Q_uu'Q_vv' + Q_uv'Q_vu') + Q_vu'R_v'u +
 * Q_vv'R_u'u + Q_uu'R_v'v + Q_uv'R_u'v] is h_a h_b[Q_vu'P_uv' + Q_vv'P_uu' + Q_uu'P_vv' + Q_uv'P_vu'],
 * which reads only rows u and v of Q and P.
 */
function accumulatePairs(
  info: Float64Array,
  q: number,
  d: SortedDescriptors,
  Q: Float64Array,
  R: Float64Array,
  s: Float64Array,
  nb: number,
  weight: number,
  meanstructure: boolean,
  P = new Float64Array(nb * nb),
): void {
  const n = d.free.length;
  const { u, v, h, w, c, free, last } = d;
  for (let k = 0; k < nb * nb; k++) P[k] = R[k] - 0.5 * Q[k];
  for (let a = 0; a < n; a++) {
    const out = (free[a] - 1) * q - 1;
    const ua = u[a];
    const va = v[a];
    const wa = meanstructure && c[a] !== 0 ? w[a] : -1;
    const ha = h[a] * weight;
    const ca = c[a] * weight;
    const rowU = ua * nb;
    const rowV = va * nb;
    const rowW = wa * nb;
    const sU = ua >= 0 ? s[ua] : 0;
    const sV = va >= 0 ? s[va] : 0;
    const end = last[a];
    for (let b = 0; b <= end; b++) {
      const ub = u[b];
      const vb = v[b];
      const wb = meanstructure && c[b] !== 0 ? w[b] : -1;
      let val = 0;
      if (ua >= 0) {
        if (ub >= 0) val = ha * h[b] * (Q[rowV + ub] * P[rowU + vb] + Q[rowV + vb] * P[rowU + ub] + Q[rowU + ub] * P[rowV + vb] + Q[rowU + vb] * P[rowV + ub]);
        if (wb >= 0) val += c[b] * ha * (Q[rowU + wb] * sV + Q[rowV + wb] * sU);
      }
      if (wa >= 0) {
        if (ub >= 0) val += ca * h[b] * (Q[rowW + ub] * s[vb] + Q[rowW + vb] * s[ub]);
        if (wb >= 0) val += ca * c[b] * Q[rowW + wb];
      }
      info[out + free[b]] += val;
    }
  }
}

/**
 * Adds scale × ∂/∂θ_b of `addGradient`'s entry a with G = ∂F/∂Σ and g = ∂F/∂μ held fixed, i.e.
 * scale·[tr(G Σ̈_ab) + gᵀμ̈_ab], into `out` (q × q, row a, column b). Along a parameter the
 * derivatives of ΛA, ΛM and Aα are: loading λ_ij: row i gains A_j· and M_j·; ψ_ij: ΛA(E_ij + E_ji)Aᵀ
 * added to ΛM; β_ij (dA = A E_ij A): ΛA E_ij A, ΛA E_ij M + ΛM E_jiAᵀ and A E_ij Aα; α_i: A·_i.
 */
function secondOrder(model: ModelStructure, g: number, implied: ImpliedMoments, G: Float64Array, gMu: Float64Array, scale: number, out: Float64Array): void {
  const { p, m } = model;
  const q = model.nFree;
  const A = implied.a;
  const M = implied.latentCov;
  const LA = implied.lambdaA;
  const LM = implied.lambdaM;
  const aA = implied.aAlpha;
  const entries = model.entries[g].filter((e) => e.free > 0);
  if (!entries.some((e) => e.mat === Mat.Lambda || e.mat === Mat.Psi || e.mat === Mat.Beta || e.mat === Mat.Alpha)) return;
  const GLM = multiplyDense(G, LM, p, p, m);
  const GLA = multiplyDense(G, LA, p, p, m);
  const LAg = new Float64Array(m);
  for (let i = 0; i < p; i++) for (let j = 0; j < m; j++) LAg[j] += LA[i * m + j] * gMu[i];
  const byFree = new Map<number, typeof entries>();
  for (const e of entries) {
    if (e.mat === Mat.Theta || e.mat === Mat.Nu) continue;
    const list = byFree.get(e.free) ?? [];
    list.push(e);
    byFree.set(e.free, list);
  }
  const dLA = new Float64Array(p * m);
  const dLM = new Float64Array(p * m);
  const dAa = new Float64Array(m);
  for (const [fb, list] of byFree) {
    dLA.fill(0);
    dLM.fill(0);
    dAa.fill(0);
    for (const e of list) {
      const { i, j } = e;
      switch (e.mat) {
        case Mat.Lambda:
          for (let c = 0; c < m; c++) {
            dLA[i * m + c] += A[j * m + c];
            dLM[i * m + c] += M[j * m + c];
          }
          break;
        case Mat.Psi:
          for (let r = 0; r < p; r++)
            for (let c = 0; c < m; c++) {
              dLM[r * m + c] += LA[r * m + i] * A[c * m + j] + (i !== j ? LA[r * m + j] * A[c * m + i] : 0);
            }
          break;
        case Mat.Beta:
          for (let r = 0; r < p; r++)
            for (let c = 0; c < m; c++) {
              dLA[r * m + c] += LA[r * m + i] * A[j * m + c];
              dLM[r * m + c] += LA[r * m + i] * M[j * m + c] + LM[r * m + j] * A[c * m + i];
            }
          for (let c = 0; c < m; c++) dAa[c] += A[c * m + i] * aA[j];
          break;
        case Mat.Alpha:
          for (let c = 0; c < m; c++) dAa[c] += A[c * m + i];
          break;
      }
    }
    const GdLM = multiplyDense(G, dLM, p, p, m);
    const GdLA = multiplyDense(G, dLA, p, p, m);
    const dLAg = new Float64Array(m);
    for (let r = 0; r < p; r++) for (let c = 0; c < m; c++) dLAg[c] += dLA[r * m + c] * gMu[r];
    const col = fb - 1;
    for (const e of entries) {
      const { i, j } = e;
      let val = 0;
      switch (e.mat) {
        case Mat.Lambda:
          val = 2 * GdLM[i * m + j] + gMu[i] * dAa[j];
          break;
        case Mat.Psi: {
          let t = 0;
          for (let r = 0; r < p; r++) t += dLA[r * m + i] * GLA[r * m + j] + LA[r * m + i] * GdLA[r * m + j];
          val = i === j ? t : 2 * t;
          break;
        }
        case Mat.Beta: {
          let t = 0;
          for (let r = 0; r < p; r++) t += dLA[r * m + i] * GLM[r * m + j] + LA[r * m + i] * GdLM[r * m + j];
          val = 2 * t + dLAg[i] * aA[j] + LAg[i] * dAa[j];
          break;
        }
        case Mat.Alpha:
          val = dLAg[i];
          break;
      }
      if (val !== 0) out[(e.free - 1) * q + col] += scale * val;
    }
  }
}
