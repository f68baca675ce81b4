import type { GroupJacobian, WlsGroup } from './dwls_estimation.js';

/** One group's asymptotic covariance of its statistics as a factor: NACOV_g = L_gᵀL_g (n_g × K). */
export interface GammaFactor {
  readonly factor: Float64Array;
  readonly n: number;
  /** Number of leading statistics that are thresholds (the baseline model fits them exactly). */
  readonly nThresholds: number;
}

/** What the robust (sandwich) standard errors and the mean-and-variance adjusted test need. */
export interface WlsRobustMoments {
  /** The sandwich's meat, Σ_g (n_g/N)·Δ_gᵀW_gΓ_gW_gΔ_g (q × q). */
  readonly meat: Float64Array;
  /** tr(UΓ) and tr((UΓ)²) of the model. */
  readonly traceUG: number;
  readonly traceUG2: number;
  /** The same traces for the independence (baseline) model: thresholds free, correlations 0. */
  readonly baselineTraceUG: number;
  readonly baselineTraceUG2: number;
  /** Per group H_g = L_gW_gΔ_g (n_g × q), reused by the cat-ML robust indices. */
  readonly h: readonly Float64Array[];
}

/**
 * The pieces of WLSMV inference (Satorra, 1992; Muthén, du Toit & Spisic, 1997; Asparouhov & Muthén,
 * 2010): with V = ⊕ (n_g/N)W_g, Γ = ⊕ Γ_g/(n_g/N), Δ stacked over groups and E = ΔᵀVΔ,
 * U = V − VΔE⁻¹ΔᵀV. Computed through Γ_g = L_gᵀL_g without forming U: with H_g = L_gW_gΔ_g,
 * tr(UΓ) = Σ_g tr(W_gΓ_g) − tr(E⁻¹ Σ_g (n_g/N)H_gᵀH_g) and
 * tr((UΓ)²) = Σ_g tr((W_gΓ_g)²) − 2 tr(E⁻¹ Σ_g (n_g/N)C_gᵀW_gC_g) + tr((E⁻¹M)²), C_g = Γ_gW_gΔ_g,
 * M = Σ_g (n_g/N)H_gᵀH_g (the meat). tr((W_gΓ_g)²) = Σ_rs w_r w_s Γ_rs² is summed over the smaller of
 * the statistic (K × K) and the case (n × n) space (`space` forces one, for testing). The traces of lavaan's lav_test_satorra_bentler
 * (method "original", ug2.old.approach = FALSE).
 */
export function wlsRobustMoments(
  groups: readonly WlsGroup[],
  jac: readonly GroupJacobian[],
  gamma: readonly GammaFactor[],
  eInv: Float64Array,
  q: number,
  space: 'auto' | 'statistics' | 'cases' = 'auto',
): WlsRobustMoments {
  const meat = new Float64Array(q * q);
  const second = new Float64Array(q * q);
  let trWG = 0;
  let trWG2 = 0;
  let baseTr = 0;
  let baseTr2 = 0;
  const hs: Float64Array[] = [];
  groups.forEach((grp, g) => {
    const { weights, fraction } = grp;
    const { factor: L, n, nThresholds } = gamma[g];
    const K = weights.length;
    const J = jac[g];
    // H = L W Δ (n × q), through Δ's nonzeros
    const H = new Float64Array(n * q);
    for (let i = 0; i < n; i++) {
      const li = i * K;
      const hi = i * q;
      for (let r = 0; r < K; r++) {
        const v = L[li + r] * weights[r];
        if (v === 0) continue;
        const { cols, vals } = J.rows[r];
        for (let a = 0; a < cols.length; a++) H[hi + cols[a]] += v * vals[a];
      }
    }
    hs.push(H);
    addCrossProduct(meat, H, n, q, fraction);
    for (let r = 0; r < K; r++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += L[i * K + r] * L[i * K + r];
      trWG += weights[r] * d;
      if (r >= nThresholds) baseTr += weights[r] * d;
    }
    if (space === 'statistics' || (space === 'auto' && K <= n)) {
      // statistic space: Γ (K × K), C = ΓWΔ
      const Gm = crossProduct(L, n, K);
      for (let r = 0; r < K; r++) {
        for (let s = 0; s < K; s++) {
          const v = weights[r] * weights[s] * Gm[r * K + s] * Gm[r * K + s];
          trWG2 += v;
          if (r >= nThresholds && s >= nThresholds) baseTr2 += v;
        }
      }
      const C = new Float64Array(K * q);
      for (let r = 0; r < K; r++) {
        const cr = r * q;
        for (let s = 0; s < K; s++) {
          const v = Gm[r * K + s] * weights[s];
          if (v === 0) continue;
          const { cols, vals } = J.rows[s];
          for (let a = 0; a < cols.length; a++) C[cr + cols[a]] += v * vals[a];
        }
      }
      for (let r = 0; r < K; r++) {
        const w = fraction * weights[r];
        const cr = r * q;
        for (let a = 0; a < q; a++) {
          const va = w * C[cr + a];
          if (va === 0) continue;
          const ra = a * q;
          for (let b = 0; b < q; b++) second[ra + b] += va * C[cr + b];
        }
      }
    } else {
      // case space: D = L W Lᵀ (n × n), split into threshold and correlation parts for the baseline
      const Dt = weightedGram(L, weights, n, K, 0, nThresholds);
      const Dc = weightedGram(L, weights, n, K, nThresholds, K);
      for (let k = 0; k < n * n; k++) {
        const d = Dt[k] + Dc[k];
        trWG2 += d * d;
        baseTr2 += Dc[k] * Dc[k];
      }
      // CᵀWC = Hᵀ D H
      const DH = new Float64Array(n * q);
      const JB = 64;
      for (let j0 = 0; j0 < n; j0 += JB) {
        const j1 = Math.min(n, j0 + JB);
        for (let i = 0; i < n; i++) {
          const di = i * n;
          const out = i * q;
          for (let j = j0; j < j1; j++) {
            const d = Dt[di + j] + Dc[di + j];
            if (d === 0) continue;
            const hj = j * q;
            for (let a = 0; a < q; a++) DH[out + a] += d * H[hj + a];
          }
        }
      }
      addTransposeProduct(second, H, DH, n, q, fraction);
    }
  });
  // tr(E⁻¹M), tr(E⁻¹S), tr((E⁻¹M)²)
  const EM = multiplySquare(eInv, meat, q);
  let trEM = 0;
  let trES = 0;
  let trEM2 = 0;
  for (let a = 0; a < q; a++) {
    trEM += EM[a * q + a];
    for (let b = 0; b < q; b++) {
      trES += eInv[a * q + b] * second[b * q + a];
      trEM2 += EM[a * q + b] * EM[b * q + a];
    }
  }
  return {
    meat,
    traceUG: trWG - trEM,
    traceUG2: trWG2 - 2 * trES + trEM2,
    baselineTraceUG: baseTr,
    baselineTraceUG2: baseTr2,
    h: hs,
  };
}

/**
 * Σ_{r∈[from,to)} w_r·a_ir·a_jr for all rows i, j of A (n × k row-major): the n × n Gram matrix of a
 * column range with weights, in cache-sized blocks of rows and columns (the plain row-by-row loop
 * streams all of A from memory once per row).
 */
export function weightedGram(A: Float64Array, w: Float64Array, n: number, k: number, from: number, to: number): Float64Array {
  const out = new Float64Array(n * n);
  const RB = 48;
  const CB = 256;
  const aw = new Float64Array(RB * CB);
  for (let c0 = from; c0 < to; c0 += CB) {
    const c1 = Math.min(to, c0 + CB);
    const cw = c1 - c0;
    for (let i0 = 0; i0 < n; i0 += RB) {
      const i1 = Math.min(n, i0 + RB);
      for (let i = i0; i < i1; i++) {
        const src = i * k + c0;
        const dst = (i - i0) * cw;
        for (let c = 0; c < cw; c++) aw[dst + c] = A[src + c] * w[c0 + c];
      }
      for (let j0 = 0; j0 <= i0; j0 += RB) {
        const j1 = Math.min(n, j0 + RB);
        for (let i = i0; i < i1; i++) {
          const ai = (i - i0) * cw;
          const jEnd = Math.min(j1, i + 1);
          for (let j = j0; j < jEnd; j++) {
            const aj = j * k + c0;
            let s0 = 0;
            let s1 = 0;
            let c = 0;
            for (; c + 1 < cw; c += 2) {
              s0 += aw[ai + c] * A[aj + c];
              s1 += aw[ai + c + 1] * A[aj + c + 1];
            }
            if (c < cw) s0 += aw[ai + c] * A[aj + c];
            out[i * n + j] += s0 + s1;
          }
        }
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j];
  return out;
}

/** out += w·AᵀA for A (n × k). */
function addCrossProduct(out: Float64Array, A: Float64Array, n: number, k: number, w: number): void {
  addTransposeProduct(out, A, A, n, k, w);
}

/** out += w·AᵀB for A, B (n × k), a block of output rows at a time so that it stays in cache. */
function addTransposeProduct(out: Float64Array, A: Float64Array, B: Float64Array, n: number, k: number, w: number): void {
  const AB = 32;
  for (let a0 = 0; a0 < k; a0 += AB) {
    const a1 = Math.min(k, a0 + AB);
    for (let i = 0; i < n; i++) {
      const ai = i * k;
      for (let a = a0; a < a1; a++) {
        const va = w * A[ai + a];
        if (va === 0) continue;
        const ra = a * k;
        for (let b = 0; b < k; b++) out[ra + b] += va * B[ai + b];
      }
    }
  }
}

/** AᵀA for A (n × k). */
function crossProduct(A: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(k * k);
  addCrossProduct(out, A, n, k, 1);
  return out;
}

function multiplySquare(a: Float64Array, b: Float64Array, q: number): Float64Array {
  const out = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let k = 0; k < q; k++) {
      const v = a[i * q + k];
      if (v === 0) continue;
      for (let j = 0; j < q; j++) out[i * q + j] += v * b[k * q + j];
    }
  }
  return out;
}

/**
 * lavaan's scaled-and-shifted statistic (test = "scaled.shifted", the WLSMV default; Asparouhov &
 * Muthén, 2010): a = √(df / tr((UΓ)²)), T* = a·T + (df − a·tr(UΓ)); lavaan reports 1/a as the scaling
 * factor and df − a·tr(UΓ) as the shift.
 */
export function scaledShifted(chisq: number, df: number, traceUG: number, traceUG2: number): { chisq: number; scalingFactor: number; shift: number } {
  const a = Math.sqrt(df / traceUG2);
  const shift = df - a * traceUG;
  return { chisq: a * chisq + shift, scalingFactor: 1 / a, shift };
}
