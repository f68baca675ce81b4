import type { SemResult } from '../fit_sem.js';
import type { OrdinalInternal } from './fit_ordinal.js';
import { ordinalImplied } from './ordinal_model.js';

/** The univariate score test of one restriction of an ordinal fit. */
export interface OrdinalScoreTest {
  readonly lhs: string;
  readonly op: string;
  readonly rhs: string;
  /** The group whose copy of the parameter is released (an equality) or freed (a fixed intercept). */
  readonly group: string;
  /** `equality`: the row is tied to its first-group twin (group.equal); `fixed`: an ordered indicator's intercept fixed at 0. */
  readonly kind: 'equality' | 'fixed';
  /** The score statistic, χ² on 1 df. */
  readonly x2: number;
  /** Expected parameter change of the released copy (or the freed intercept). */
  readonly epc: number;
}

/**
 * Univariate score (Lagrange multiplier) tests of an ordinal fit's restrictions: every equality tie
 * across groups (a loading, a threshold, or any label shared by groups: the copy in a later group
 * released from its first-group twin) and every intercept of an ordered indicator that is fixed at 0
 * in all groups while its thresholds are tied (freed in one group). With the DWLS score
 * g = Σ_g ((n_g − 1)/N)Δ_gᵀW_g(s_g − σ_g) (lavaan 0.6.14's gradient, with the (n_g − 1)/n_g of its
 * discrepancy), the expected information E = Σ_g (n_g/N)Δ_gᵀW_gΔ_g of the fitted
 * parameters, and for the released parameter δ its column d_g = ∂σ_g/∂δ (the tied parameter's column
 * restricted to the one group, or −Δ_i at item i's thresholds for an intercept):
 * X² = N·(d_gᵀ ω_g W_g r_g)² / (f_g d_gᵀW_g d_g − cᵀE⁻¹c) with ω_g = (n_g − 1)/N, f_g = n_g/N,
 * c = f_gΔ_gᵀW_g d_g, and EPC = score/that denominator. A release the model cannot identify (the
 * denominator at rounding level, e.g. a threshold of a 3-category item whose intercept and scale are
 * free) has X² = 0, as lavaan's generalized inverse gives. This is lavaan 0.6.14's lavTestScore(fit)$uni for the equality constraints (N·gᵀJ⁺g on
 * the released constraint; lavaan has no robust score test and uses the ordinary one for WLSMV fits)
 * and modindices(fit)'s mi and epc for the fixed intercepts (Sörbom, 1989, doi:10.1007/BF02294629).
 */
export function ordinalScoreTests(result: SemResult): OrdinalScoreTest[] {
  const internal = (result as unknown as { internal?: OrdinalInternal }).internal;
  if (!internal || !internal.eInv) return [];
  const { model, x, groups, jacobian, eInv, nTotal } = internal;
  const q = model.nFree;
  const G = groups.length;
  const labels = G > 1 ? result.groupLabels : [''];
  const residuals = groups.map((grp, g) => {
    const imp = ordinalImplied(model, g, x);
    const r = new Float64Array(grp.statistics.length);
    if (imp) for (let k = 0; k < r.length; k++) r[k] = grp.statistics[k] - imp.statistics[k];
    return { r, scale: imp?.scale };
  });
  const out: OrdinalScoreTest[] = [];
  const test = (lhs: string, op: string, rhs: string, g: number, kind: 'equality' | 'fixed', column: (k: number) => number) => {
    const { weights, fraction, objectiveWeight } = groups[g];
    const J = jacobian[g].dense;
    const K = weights.length;
    const { r } = residuals[g];
    let score = 0;
    let own = 0;
    const c = new Float64Array(q);
    for (let k = 0; k < K; k++) {
      const d = column(k);
      if (d === 0) continue;
      const wd = fraction * weights[k] * d;
      score += objectiveWeight * weights[k] * d * r[k];
      own += wd * d;
      const row = k * q;
      for (let a = 0; a < q; a++) c[a] += wd * J[row + a];
    }
    let quad = 0;
    for (let a = 0; a < q; a++) {
      const ca = c[a];
      if (ca === 0) continue;
      let t = 0;
      const ra = a * q;
      for (let b = 0; b < q; b++) t += eInv[ra + b] * c[b];
      quad += ca * t;
    }
    const v = own - quad;
    // a release the model cannot identify (v at rounding level) cannot lower the discrepancy: 0, as
    // lavaan's generalized inverse gives
    const ok = v > 1e-9 * Math.max(own, 1e-300);
    out.push({ lhs, op, rhs, group: labels[g], kind, x2: ok ? (nTotal * score * score) / v : 0, epc: ok ? score / v : NaN });
  };
  // equality ties of the structural table: a later group's row sharing its first-group twin's parameter
  const { structure } = model;
  const seen = new Set<number>();
  for (let g = 0; g < G; g++) {
    for (const e of structure.entries[g]) {
      if (e.free <= 0) continue;
      const row = model.table.rows[e.row];
      if (!seen.has(e.free)) {
        seen.add(e.free);
        continue;
      }
      const a = e.free - 1;
      test(row.lhs, row.op, row.rhs, g, 'equality', (k) => jacobian[g].dense[k * q + a]);
    }
  }
  // tied thresholds and scale factors
  for (let g = 0; g < G; g++) {
    for (const t of model.thresholds[g]) {
      if (t.free <= 0) continue;
      if (!seen.has(t.free)) {
        seen.add(t.free);
        continue;
      }
      const a = t.free - 1;
      test(structure.observed[t.variable], '|', `t${t.k}`, g, 'equality', (k) => jacobian[g].dense[k * q + a]);
    }
  }
  // intercepts fixed at 0 in every group while the item's thresholds are tied: ∂τ*_ik/∂ν_i = −Δ_i
  const p = structure.p;
  for (let i = 0; i < p; i++) {
    const name = structure.observed[i];
    const rows = model.table.rows.filter((r) => r.op === '~1' && r.lhs === name);
    if (rows.length !== G || rows.some((r) => r.free !== 0)) continue;
    const tied = G > 1 && model.thresholds[0].filter((t) => t.variable === i).every((t, k) => {
      const later = model.thresholds.slice(1).map((th) => th.filter((u) => u.variable === i)[k]);
      return t.free > 0 && later.every((u) => u.free === t.free);
    });
    if (!tied) continue;
    for (let g = 0; g < G; g++) {
      const scale = residuals[g].scale;
      if (!scale) continue;
      const rowsOf = new Set<number>();
      model.thresholds[g].forEach((t, k) => {
        if (t.variable === i) rowsOf.add(k);
      });
      test(name, '~1', '', g, 'fixed', (k) => (rowsOf.has(k) ? -scale[i] : 0));
    }
  }
  return out;
}
