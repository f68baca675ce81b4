import { multiplyAdd } from '../../math/blocked_products.js';
import { cholesky, choleskyInverse, choleskyLogDet } from '../dense.js';
import type { GroupJacobian } from './dwls_estimation.js';
import type { GammaFactor } from './wls_robust.js';

/** One group for the cat-ML correction: sample and implied correlations, DWLS weights of the correlations. */
export interface CatMlGroup {
  readonly n: number;
  readonly fraction: number;
  readonly p: number;
  /** Sample polychoric correlations (p × p). */
  readonly cor: Float64Array;
  /** Implied correlations of y* at the DWLS estimates (p × p). */
  readonly implied: Float64Array;
  /** DWLS weights of the correlations (the weights after the thresholds). */
  readonly weights: Float64Array;
}

/** The cat-ML pieces of lavaan's robust CFI/TLI/RMSEA for categorical data. */
export interface CatMlRobust {
  /** The ML discrepancy of the DWLS solution, Σ_g n_g·F_ML(R_g, Σ*_g). */
  readonly chisq: number;
  readonly df: number;
  /** ĉ = tr(Ŭ'VŬΓ)/df. */
  readonly cHat: number;
  /** The independence model's ML statistic, −Σ_g n_g·ln|R_g|, its df and ĉ_b = tr(Γ_ρ)/df_b. */
  readonly baselineChisq: number;
  readonly baselineDf: number;
  readonly baselineCHat: number;
}

/**
 * Robust fit indices of categorical models as lavaan 0.6.14 computes them (lav_fit_catml_dwls; Savalei,
 * 2021, doi:10.1080/10705511.2020.1828605): the DWLS solution is scored by the normal-theory ML
 * discrepancy between the polychoric matrix R and the implied Σ*, T = Σ n_g[ln|Σ*| − ln|R| + tr(RΣ*⁻¹) − p],
 * whose scaling ĉ = tr(ŬᵀVŬΓ)/df uses the correlation part of the DWLS model: Ŭ = I − Δ_ρE⁻¹Δ_ρᵀW,
 * V the ML weight of the correlations at Σ* (V_(ij),(kl) = σ^ik σ^jl + σ^il σ^jk), Γ their NACOV. Each
 * case's column y = Ŭ·l (l its row of the Γ factor) enters as yᵀVy = ½tr(YΣ*⁻¹YΣ*⁻¹), Y the
 * symmetric matrix of y, so V is never formed. Returns null when a correlation matrix is not positive
 * definite (lavaan then reports NA).
 */
export function catMlRobust(
  groups: readonly CatMlGroup[],
  jac: readonly GroupJacobian[],
  gamma: readonly GammaFactor[],
  eInv: Float64Array,
  q: number,
  df: number,
): CatMlRobust | null {
  let chisq = 0;
  let baselineChisq = 0;
  let ks = 0;
  let kbs = 0;
  const G = groups.length;
  const sigmaInv: Float64Array[] = [];
  for (const grp of groups) {
    const { p, cor, implied, n } = grp;
    const lr = cholesky(Float64Array.from(cor), p);
    const ls = cholesky(Float64Array.from(implied), p);
    if (!lr || !ls) return null;
    const inv = choleskyInverse(ls, p);
    sigmaInv.push(inv);
    let tr = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) tr += cor[i * p + j] * inv[j * p + i];
    const logR = choleskyLogDet(lr, p);
    chisq += n * (choleskyLogDet(ls, p) - logR + tr - p);
    baselineChisq += -n * logR;
  }
  // Q_h = Δ_ρ,hᵀ V_h Δ_ρ,h, needed for the other groups' share of each case (several groups only)
  const Q: CompactQuadratic[] = G > 1 ? groups.map((grp, h) => correlationQuadratic(grp, jac[h], gamma[h].nThresholds, sigmaInv[h], q)) : [];
  for (let g = 0; g < G; g++) {
    const { p, weights, fraction } = groups[g];
    const { factor: L, n, nThresholds } = gamma[g];
    const K = nThresholds + weights.length;
    const J = jac[g];
    const inv = sigmaInv[g];
    const sq = Math.sqrt(fraction);
    const Y = new Float64Array(p * p);
    const T = new Float64Array(p * p);
    for (let c = nThresholds; c < K; c++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += L[i * K + c] * L[i * K + c];
      kbs += d / fraction;
    }
    // h = √f·Δ_ρᵀW_ρ l for every case on the parameters this group's correlations hold, then Z = H·E⁻¹
    const own = correlationColumns(J, nThresholds, K, q);
    const na = own.active.length;
    const Hc = new Float64Array(n * na);
    for (let i = 0; i < n; i++) {
      const li = i * K;
      const hi = i * na;
      for (let c = nThresholds; c < K; c++) {
        const v = L[li + c] * weights[c - nThresholds] * sq;
        if (v === 0) continue;
        const { cols, vals } = J.rows[c];
        for (let a = 0; a < cols.length; a++) Hc[hi + own.position[cols[a]]] += v * vals[a];
      }
    }
    const eRows = new Float64Array(na * q);
    own.active.forEach((a, t) => eRows.set(eInv.subarray(a * q, (a + 1) * q), t * q));
    const Z = multiplyAdd(new Float64Array(n * q), Hc, eRows, n, na, q);
    // the other groups' share zᵀQ_h z on their own parameters, through Z_h·Q_h for all cases at once
    const ZQ = Q.map((Qh, hh) => {
      if (hh === g) return null;
      const m = Qh.active.length;
      const Zh = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let t = 0; t < m; t++) Zh[i * m + t] = Z[i * q + Qh.active[t]];
      return { Zh, ZQh: multiplyAdd(new Float64Array(n * m), Zh, Qh.q, n, m, m), m };
    });
    for (let i = 0; i < n; i++) {
      const li = i * K;
      const z = Z.subarray(i * q, (i + 1) * q);
      // own group: y = l/√f − Δ_ρ z, weighted by f
      let c = nThresholds;
      for (let jj = 0; jj < p - 1; jj++) {
        for (let ii = jj + 1; ii < p; ii++) {
          let v = L[li + c] / sq;
          const { cols, vals } = J.rows[c];
          for (let a = 0; a < cols.length; a++) v -= vals[a] * z[cols[a]];
          Y[ii * p + jj] = Y[jj * p + ii] = v;
          c++;
        }
      }
      ks += fraction * halfTraceSquare(Y, inv, T, p);
      for (let hh = 0; hh < G; hh++) {
        const zq = ZQ[hh];
        if (!zq) continue;
        let v = 0;
        const zi = i * zq.m;
        for (let t = 0; t < zq.m; t++) v += zq.Zh[zi + t] * zq.ZQh[zi + t];
        ks += groups[hh].fraction * v;
      }
    }
  }
  const p0 = groups[0].p;
  const baselineDf = (G * p0 * (p0 - 1)) / 2;
  return { chisq, df, cHat: ks / df, baselineChisq, baselineDf, baselineCHat: kbs / baselineDf };
}

/** ½tr(YΣ⁻¹YΣ⁻¹) = yᵀVy for the symmetric Y (zero diagonal) of a correlation vector y. */
function halfTraceSquare(Y: Float64Array, inv: Float64Array, T: Float64Array, p: number): number {
  // T = Σ⁻¹Y
  T.fill(0);
  multiplyAdd(T, inv, Y, p, p, p);
  let s = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += T[i * p + j] * T[j * p + i];
  return 0.5 * s;
}

/**
 * Δ_ρᵀVΔ_ρ (q × q) for one group: VΔ_a = vech(Σ⁻¹Y_aΣ⁻¹) for each parameter a that moves a
 * correlation (Y_a the symmetric matrix of Δ_ρ's column a), then Δ_ρᵀ(VΔ) through Δ_ρ's nonzeros.
 */
function correlationQuadratic(grp: CatMlGroup, J: GroupJacobian, nThresholds: number, inv: Float64Array, q: number): CompactQuadratic {
  const { p } = grp;
  const pstar = (p * (p - 1)) / 2;
  const { active, position } = correlationColumns(J, nThresholds, nThresholds + pstar, q);
  const na = active.length;
  const vd = new Float64Array(pstar * na);
  const Y = new Float64Array(p * p);
  const T = new Float64Array(p * p);
  const VY = new Float64Array(p * p);
  active.forEach((a, t) => {
    let c = nThresholds;
    for (let jj = 0; jj < p - 1; jj++)
      for (let ii = jj + 1; ii < p; ii++) {
        const v = J.dense[c * q + a];
        Y[ii * p + jj] = Y[jj * p + ii] = v;
        c++;
      }
    T.fill(0);
    multiplyAdd(T, inv, Y, p, p, p);
    VY.fill(0);
    multiplyAdd(VY, T, inv, p, p, p);
    let k = 0;
    for (let jj = 0; jj < p - 1; jj++) for (let ii = jj + 1; ii < p; ii++) vd[k++ * na + t] = VY[ii * p + jj];
  });
  const out = new Float64Array(na * na);
  for (let k = 0; k < pstar; k++) {
    const { cols, vals } = J.rows[nThresholds + k];
    const row = k * na;
    for (let e = 0; e < cols.length; e++) {
      const ra = position[cols[e]] * na;
      const v = vals[e];
      for (let t = 0; t < na; t++) out[ra + t] += v * vd[row + t];
    }
  }
  return { active, q: out };
}

/** A q × q matrix that is zero outside the rows and columns `active`, kept as its na × na block. */
interface CompactQuadratic {
  readonly active: Int32Array;
  readonly q: Float64Array;
}

/** The parameters that move the correlations (rows [from, to) of the Jacobian), and each one's place among them. */
function correlationColumns(J: GroupJacobian, from: number, to: number, q: number): { active: Int32Array; position: Int32Array } {
  const position = new Int32Array(q).fill(-1);
  for (let c = from; c < to; c++) for (const a of J.rows[c].cols) position[a] = 0;
  const active: number[] = [];
  for (let a = 0; a < q; a++) if (position[a] === 0) {
    position[a] = active.length;
    active.push(a);
  }
  return { active: Int32Array.from(active), position };
}
