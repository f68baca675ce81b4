import { scoreTestInformation } from './expected_information.js';
import { blockOrder, factorInformation } from './information_factor.js';
import type { SemInternal, SemResult } from './fit_sem.js';
import { modelStructure } from './model_matrices.js';
import { estimationData, evaluateModel } from './objective.js';
import type { ParameterRow, ParameterTable } from './parameter_table.js';

/** A parameter that is fixed or tied in the fitted model, and what freeing it would do. */
export interface ModificationIndex {
  readonly lhs: string;
  readonly op: string;
  readonly rhs: string;
  readonly group?: string;
  /** `fixed`: a fixed (or absent, hence zero) parameter; `equality`: a parameter tied to another by an equality constraint. */
  readonly kind: 'fixed' | 'equality';
  /** The score (Lagrange multiplier) statistic, χ² on 1 df. */
  readonly mi: number;
  /** Expected parameter change: the one-step estimate of the freed parameter's change. */
  readonly epc: number;
}

export interface ModificationIndexOptions {
  /** Which restrictions to test: fixed parameters (with cross-loadings and residual covariances), equality ties, or both. */
  readonly kinds?: readonly ('fixed' | 'equality')[];
}

/**
 * Modification indices: for each restriction of the fitted model, the univariate score test
 * of freeing it, MI = (N/4)·d²/(I_kk − I_kθ I_θθ⁻¹ I_θk), where d = ∂F/∂θ_k at the estimates
 * and I the expected information per observation (Sörbom, 1989, doi:10.1007/BF02294629;
 * Saris, Satorra & Sörbom, 1987), and EPC = −d/(2(I_kk − I_kθ I_θθ⁻¹ I_θk)). Fixed
 * parameters include every absent loading and residual covariance among observed variables;
 * an equality tie is released by giving one row its own parameter (the univariate score test
 * of lavaan::lavTestScore for constraints from group.equal or shared labels). Matches
 * lavaan::modindices (mi, epc) for fixed parameters.
 */
export function modificationIndices(result: SemResult, options: ModificationIndexOptions = {}): ModificationIndex[] {
  const kinds = options.kinds ?? ['fixed', 'equality'];
  const internal = (result as unknown as { internal: SemInternal }).internal;
  const table = internal.model.table;
  const q = table.nFree;
  const rows: ParameterRow[] = table.rows.map((r) => ({ ...r }));
  const candidates: { row: number; kind: 'fixed' | 'equality' }[] = [];
  const seenFree = new Set<number>();
  let next = q;
  rows.forEach((r, i) => {
    if (r.free > 0) {
      if (seenFree.has(r.free)) {
        if (kinds.includes('equality')) {
          r.free = ++next;
          candidates.push({ row: i, kind: 'equality' });
        }
      } else seenFree.add(r.free);
    } else if (kinds.includes('fixed') && !r.exo && isTestableFixed(r, table)) {
      r.free = ++next;
      candidates.push({ row: i, kind: 'fixed' });
    }
  });
  if (kinds.includes('fixed')) {
    for (let g = 0; g < table.groups; g++) {
      const has = (lhs: string, op: string, rhs: string) =>
        rows.some((r) => r.group === g && r.op === op && ((r.lhs === lhs && r.rhs === rhs) || (op === '~~' && r.lhs === rhs && r.rhs === lhs)));
      const add = (lhs: string, op: '=~' | '~~', rhs: string) => {
        rows.push({ lhs, op, rhs, group: g, free: ++next, value: 0, start: NaN, label: '', user: false, exo: false });
        candidates.push({ row: rows.length - 1, kind: 'fixed' });
      };
      const indicators = table.observed.filter((v) => table.rows.some((r) => r.op === '=~' && r.rhs === v));
      for (const f of table.latent) for (const v of indicators) if (!has(f, '=~', v)) add(f, '=~', v);
      const ovs = table.observed.filter((v) => !table.rows.some((r) => r.exo && r.lhs === v));
      for (let a = 0; a < ovs.length; a++) for (let b = a + 1; b < ovs.length; b++) if (!has(ovs[a], '~~', ovs[b])) add(ovs[a], '~~', ovs[b]);
    }
  }
  if (candidates.length === 0) return [];
  const ext: ParameterTable = { ...table, rows, nFree: next };
  const structure = modelStructure(ext);
  const data = estimationData(structure, internal.data.samples);
  const xe = new Float64Array(next);
  xe.set(internal.x);
  candidates.forEach((c, k) => {
    const r = table.rows[c.row];
    xe[q + k] = c.row < table.rows.length ? (r.free > 0 ? internal.x[r.free - 1] : r.value) : 0;
  });
  const ev = evaluateModel(structure, data, xe, true);
  if (!ev) return [];
  // a released row keeps its tie in the null model: its entry is θ_a + δ_k, so θ_a's column
  // sums its own and every released twin's entries and δ_k's column is the row's own
  const parent = new Int32Array(next).fill(-1);
  candidates.forEach((c, k) => {
    if (c.kind === 'equality') parent[q + k] = table.rows[c.row].free - 1;
  });
  const { base, cross, own } = scoreTestInformation(structure, data, ev, q, parent);
  const factor = factorInformation(base, q, blockOrder(internal.model));
  if (!factor) return [];
  const N = data.nTotal;
  const labels = result.groupLabels;
  const out: ModificationIndex[] = [];
  candidates.forEach((c, k) => {
    const kk = q + k;
    const row = rows[c.row];
    const v = own[k] - factor.quadratic(cross.subarray(k * q, (k + 1) * q));
    const d = ev.gradient![kk];
    const mi = v > 1e-12 ? (N / 4) * (d * d) / v : NaN;
    out.push({
      lhs: row.lhs,
      op: row.op,
      rhs: row.rhs,
      ...(labels.length > 1 ? { group: labels[row.group] } : {}),
      kind: c.kind,
      mi,
      epc: v > 1e-12 ? -d / (2 * v) : NaN,
    });
  });
  return out;
}

/** Fixed parameters worth testing: not a factor's scaling constant (a fixed loading or variance). */
function isTestableFixed(r: ParameterRow, table: ParameterTable): boolean {
  if (r.op === '=~') return r.value === 0;
  if (r.op === '~~' && r.lhs === r.rhs) return false;
  if (r.op === '~1') return table.latent.includes(r.lhs) ? false : r.value === 0;
  return r.value === 0;
}
