import { addTransposeProduct, multiplyAdd, weightedGram } from '../../math/blocked_products.js';
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
  /** E⁻¹M (q × q), whose products with E⁻¹ give the sandwich's variances. */
  readonly eInvMeat: Float64Array;
  /** tr(E⁻¹M) and tr((E⁻¹M)²) (M the meat), which the scaled-shifted difference test reuses. */
  readonly traceEM: number;
  readonly traceEM2: number;
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
  groups.forEach((grp, g) => {
    const { weights, fraction } = grp;
    const { factor: L, n, nThresholds } = gamma[g];
    const K = weights.length;
    const J = jac[g];
    // the group's Jacobian touches only its own parameters: work on those columns (na of q)
    const { active, position } = activeColumns(J, q);
    const na = active.length;
    // H = L W Δ (n × na), through Δ's nonzeros
    const H = new Float64Array(n * na);
    for (let i = 0; i < n; i++) {
      const li = i * K;
      const hi = i * na;
      for (let r = 0; r < K; r++) {
        const v = L[li + r] * weights[r];
        if (v === 0) continue;
        const { cols, vals } = J.rows[r];
        for (let a = 0; a < cols.length; a++) H[hi + position[cols[a]]] += v * vals[a];
      }
    }
    scatter(meat, q, active, addTransposeProduct(new Float64Array(na * na), H, H, n, na, fraction, true));
    for (let r = 0; r < K; r++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += L[i * K + r] * L[i * K + r];
      trWG += weights[r] * d;
      if (r >= nThresholds) baseTr += weights[r] * d;
    }
    if (space === 'statistics' || (space === 'auto' && K <= n)) {
      // statistic space: Γ (K × K), C = ΓWΔ (K × na)
      const Gm = addTransposeProduct(new Float64Array(K * K), L, L, n, K, 1, true);
      for (let r = 0; r < K; r++) {
        for (let s = 0; s < K; s++) {
          const v = weights[r] * weights[s] * Gm[r * K + s] * Gm[r * K + s];
          trWG2 += v;
          if (r >= nThresholds && s >= nThresholds) baseTr2 += v;
        }
      }
      const C = new Float64Array(K * na);
      for (let r = 0; r < K; r++) {
        const cr = r * na;
        for (let s = 0; s < K; s++) {
          const v = Gm[r * K + s] * weights[s];
          if (v === 0) continue;
          const { cols, vals } = J.rows[s];
          for (let a = 0; a < cols.length; a++) C[cr + position[cols[a]]] += v * vals[a];
        }
      }
      const CW = new Float64Array(K * na);
      for (let r = 0; r < K; r++) for (let a = 0; a < na; a++) CW[r * na + a] = weights[r] * C[r * na + a];
      scatter(second, q, active, addTransposeProduct(new Float64Array(na * na), CW, C, K, na, fraction, true));
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
      for (let k = 0; k < n * n; k++) Dt[k] += Dc[k];
      const DH = multiplyAdd(new Float64Array(n * na), Dt, H, n, n, na);
      scatter(second, q, active, addTransposeProduct(new Float64Array(na * na), H, DH, n, na, fraction, true));
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
    eInvMeat: EM,
    traceUG: trWG - trEM,
    traceUG2: trWG2 - 2 * trES + trEM2,
    traceEM: trEM,
    traceEM2: trEM2,
    baselineTraceUG: baseTr,
    baselineTraceUG2: baseTr2,
  };
}

/** The parameters (columns) a group's Jacobian touches, in order, and each column's place among them (−1 if none). */
export function activeColumns(J: GroupJacobian, q: number): { active: Int32Array; position: Int32Array } {
  const position = new Int32Array(q).fill(-1);
  for (const row of J.rows) for (const a of row.cols) position[a] = 0;
  const active: number[] = [];
  for (let a = 0; a < q; a++) if (position[a] === 0) {
    position[a] = active.length;
    active.push(a);
  }
  return { active: Int32Array.from(active), position };
}

/** out[active[a]][active[b]] += block[a][b] (out q × q, block na × na). */
function scatter(out: Float64Array, q: number, active: Int32Array, block: Float64Array): void {
  const na = active.length;
  for (let a = 0; a < na; a++) {
    const ra = active[a] * q;
    for (let b = 0; b < na; b++) out[ra + active[b]] += block[a * na + b];
  }
}

function multiplySquare(a: Float64Array, b: Float64Array, q: number): Float64Array {
  return multiplyAdd(new Float64Array(q * q), a, b, q, q, q);
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
