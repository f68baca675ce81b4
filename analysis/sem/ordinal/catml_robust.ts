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
  const Q: Float64Array[] = G > 1 ? groups.map((grp, h) => correlationQuadratic(grp, jac[h], gamma[h].nThresholds, sigmaInv[h], q)) : [];
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
    // h = √f·Δ_ρᵀW_ρ l for every case, then Z = H·E⁻¹ in blocks of E⁻¹'s rows
    const Hc = new Float64Array(n * q);
    for (let i = 0; i < n; i++) {
      const li = i * K;
      const hi = i * q;
      for (let c = nThresholds; c < K; c++) {
        const v = L[li + c] * weights[c - nThresholds] * sq;
        if (v === 0) continue;
        const { cols, vals } = J.rows[c];
        for (let a = 0; a < cols.length; a++) Hc[hi + cols[a]] += v * vals[a];
      }
    }
    const Z = new Float64Array(n * q);
    const KB = 32;
    for (let k0 = 0; k0 < q; k0 += KB) {
      const k1 = Math.min(q, k0 + KB);
      for (let i = 0; i < n; i++) {
        const hi = i * q;
        for (let k = k0; k < k1; k++) {
          const v = Hc[hi + k];
          if (v === 0) continue;
          const ek = k * q;
          for (let b = 0; b < q; b++) Z[hi + b] += v * eInv[ek + b];
        }
      }
    }
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
        if (hh === g) continue;
        const Qh = Q[hh];
        let v = 0;
        for (let a = 0; a < q; a++) {
          let t = 0;
          for (let b = 0; b < q; b++) t += Qh[a * q + b] * z[b];
          v += z[a] * t;
        }
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
  for (let i = 0; i < p; i++) {
    for (let k = 0; k < p; k++) {
      const v = inv[i * p + k];
      if (v === 0) continue;
      for (let j = 0; j < p; j++) T[i * p + j] += v * Y[k * p + j];
    }
  }
  let s = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s += T[i * p + j] * T[j * p + i];
  return 0.5 * s;
}

/** Δ_ρᵀVΔ_ρ (q × q) for one group, column by column through ½tr-style products. */
function correlationQuadratic(grp: CatMlGroup, J: GroupJacobian, nThresholds: number, inv: Float64Array, q: number): Float64Array {
  const { p } = grp;
  const cols: Float64Array[] = [];
  for (let a = 0; a < q; a++) {
    const Y = new Float64Array(p * p);
    let c = nThresholds;
    let any = false;
    for (let jj = 0; jj < p - 1; jj++)
      for (let ii = jj + 1; ii < p; ii++) {
        const v = J.dense[c * q + a];
        if (v !== 0) any = true;
        Y[ii * p + jj] = Y[jj * p + ii] = v;
        c++;
      }
    if (!any) {
      cols.push(new Float64Array(0));
      continue;
    }
    // VΔ_a as a matrix: Σ⁻¹YΣ⁻¹
    const T = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) for (let j = 0; j < p; j++) T[i * p + j] += inv[i * p + k] * Y[k * p + j];
    const VY = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) for (let j = 0; j < p; j++) VY[i * p + j] += T[i * p + k] * inv[k * p + j];
    cols.push(VY);
  }
  const out = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    const VY = cols[a];
    if (VY.length === 0) continue;
    for (let b = 0; b < q; b++) {
      let s = 0;
      let c = nThresholds;
      for (let jj = 0; jj < p - 1; jj++)
        for (let ii = jj + 1; ii < p; ii++) {
          s += J.dense[c * q + b] * VY[ii * p + jj];
          c++;
        }
      out[a * q + b] = s;
    }
  }
  return out;
}
