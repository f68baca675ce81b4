import { schurFactor, schurSolve } from '../../math/schur_solve.js';
import { ordinalImplied, type OrdinalImplied, type OrdinalModel } from './ordinal_model.js';

/** One group as the weighted least squares estimator sees it: statistics, diagonal weights, weight n_g/N. */
export interface WlsGroup {
  readonly statistics: Float64Array;
  /** The diagonal of the weight matrix W (1/diag(NACOV) for DWLS, 1 for ULS). */
  readonly weights: Float64Array;
  /** n_g/N, the group's share in the information and in the robust corrections. */
  readonly fraction: number;
  /**
   * (n_g − 1)/N, the group's weight in the discrepancy: lavaan 0.6.14 scales each group's DWLS/ULS
   * value by (n_g − 1)/n_g before averaging with weights n_g, so χ² = Σ_g (n_g − 1)·F_g.
   */
  readonly objectiveWeight: number;
}

/** ∂σ/∂θ of one group, K × q row-major, with each row's nonzero columns for sparse products. */
export interface GroupJacobian {
  readonly dense: Float64Array;
  readonly rows: readonly { readonly cols: Int32Array; readonly vals: Float64Array }[];
}

/** The estimate of a (diagonally) weighted least squares fit. */
export interface WlsEstimate {
  readonly x: Float64Array;
  /** F = Σ_g ((n_g − 1)/N)(s_g − σ_g)ᵀW_g(s_g − σ_g); χ² = N·F. */
  readonly f: number;
  readonly implied: readonly OrdinalImplied[];
  readonly iterations: number;
  readonly converged: boolean;
}

/** F(θ) and the implied statistics, or null where the model cannot be evaluated. */
export function wlsDiscrepancy(model: OrdinalModel, groups: readonly WlsGroup[], x: ArrayLike<number>): { f: number; implied: OrdinalImplied[] } | null {
  let f = 0;
  const implied: OrdinalImplied[] = [];
  for (let g = 0; g < groups.length; g++) {
    const imp = ordinalImplied(model, g, x);
    if (!imp) return null;
    const { statistics, weights, objectiveWeight } = groups[g];
    let fg = 0;
    for (let r = 0; r < statistics.length; r++) {
      const e = statistics[r] - imp.statistics[r];
      fg += weights[r] * e * e;
    }
    if (!Number.isFinite(fg)) return null;
    f += objectiveWeight * fg;
    implied.push(imp);
  }
  return { f, implied };
}

/**
 * ∂σ_g/∂θ for every group: thresholds analytically (∂τ*_ik/∂τ_ik = Δ_i, which holds under both
 * parameterizations since Δ never depends on a threshold), every other parameter by central
 * differences with step 1e-6·max(1, |θ_k|) (truncation error ~1e-12), in the groups that hold it.
 */
export function wlsJacobian(model: OrdinalModel, x: Float64Array, implied: readonly OrdinalImplied[]): GroupJacobian[] {
  const q = model.nFree;
  const G = implied.length;
  const K = model.nStatistics;
  const dense = Array.from({ length: G }, () => new Float64Array(K * q));
  const thresholdParam = new Uint8Array(q);
  for (let g = 0; g < G; g++) {
    model.thresholds[g].forEach((t, r) => {
      if (t.free === 0) return;
      thresholdParam[t.free - 1] = 1;
      dense[g][r * q + t.free - 1] += implied[g].scale[t.variable];
    });
  }
  // a parameter moves only the statistics of the groups whose matrices, thresholds or scale factors hold it
  const inGroup = Array.from({ length: G }, (_, g) => {
    const has = new Uint8Array(q);
    for (const e of model.structure.entries[g]) if (e.free > 0) has[e.free - 1] = 1;
    for (const t of model.scales[g]) if (t.free > 0) has[t.free - 1] = 1;
    return has;
  });
  const xp = Float64Array.from(x);
  for (let k = 0; k < q; k++) {
    if (thresholdParam[k]) continue;
    const h = 1e-6 * Math.max(1, Math.abs(x[k]));
    for (let g = 0; g < G; g++) {
      if (!inGroup[g][k]) continue;
      xp[k] = x[k] + h;
      const up = ordinalImplied(model, g, xp);
      xp[k] = x[k] - h;
      const down = ordinalImplied(model, g, xp);
      xp[k] = x[k];
      if (!up || !down) continue;
      const d = dense[g];
      for (let r = 0; r < K; r++) {
        const v = (up.statistics[r] - down.statistics[r]) / (2 * h);
        if (Math.abs(v) > 1e-13) d[r * q + k] = v;
      }
    }
  }
  return dense.map((d) => {
    const rows = [];
    for (let r = 0; r < K; r++) {
      const cols: number[] = [];
      const vals: number[] = [];
      for (let k = 0; k < q; k++) {
        const v = d[r * q + k];
        if (v !== 0) {
          cols.push(k);
          vals.push(v);
        }
      }
      rows.push({ cols: Int32Array.from(cols), vals: Float64Array.from(vals) });
    }
    return { dense: d, rows };
  });
}

/**
 * The expected information of a WLS fit, E = Σ_g (n_g/N)·Δ_gᵀW_gΔ_g (q × q); with `objective`, the
 * Gauss–Newton matrix of the discrepancy, with the weights (n_g − 1)/N instead.
 */
export function wlsInformation(groups: readonly WlsGroup[], jac: readonly GroupJacobian[], q: number, objective = false): Float64Array {
  const E = new Float64Array(q * q);
  jac.forEach((J, g) => {
    const { weights, fraction, objectiveWeight } = groups[g];
    J.rows.forEach(({ cols, vals }, r) => {
      const w = (objective ? objectiveWeight : fraction) * weights[r];
      for (let a = 0; a < cols.length; a++) {
        const va = w * vals[a];
        const ra = cols[a] * q;
        for (let b = 0; b < cols.length; b++) E[ra + cols[b]] += va * vals[b];
      }
    });
  });
  return E;
}

/**
 * Minimises the (diagonally) weighted least squares discrepancy by Gauss–Newton steps
 * θ ← θ + E⁻¹·Σ_g ω_gΔ_gᵀW_g(s_g − σ_g) (ω_g = (n_g − 1)/N), halving a step that does not lower F, until the
 * relative change of F falls below 1e-15 or the largest step below 1e-9 (lavaan minimises the same F
 * by nlminb; the minimum is the same).
 */
export function wlsEstimate(model: OrdinalModel, groups: readonly WlsGroup[], start: Float64Array, maxIterations = 200): WlsEstimate | null {
  const q = model.nFree;
  let x = Float64Array.from(start);
  let cur = wlsDiscrepancy(model, groups, x);
  if (!cur) return null;
  let converged = false;
  let iterations = 0;
  for (; iterations < maxIterations && !converged; iterations++) {
    const jac = wlsJacobian(model, x, cur.implied);
    const E = wlsInformation(groups, jac, q, true);
    const grad = new Float64Array(q);
    jac.forEach((J, g) => {
      const { statistics, weights, objectiveWeight } = groups[g];
      const sigma = cur!.implied[g].statistics;
      J.rows.forEach(({ cols, vals }, r) => {
        const e = objectiveWeight * weights[r] * (statistics[r] - sigma[r]);
        for (let a = 0; a < cols.length; a++) grad[cols[a]] += vals[a] * e;
      });
    });
    // thresholds are uncoupled from each other, so E is factored through the Schur complement of
    // their diagonal block (q³ of the dense Cholesky becomes the cube of the other parameters);
    // a tiny ridge keeps a nearly singular E solvable on the way
    let f = schurFactor(E, q);
    if (!f) {
      const ridged = Float64Array.from(E);
      let tr = 0;
      for (let k = 0; k < q; k++) tr += E[k * q + k];
      for (let k = 0; k < q; k++) ridged[k * q + k] += 1e-8 * (tr / q);
      f = schurFactor(ridged, q);
      if (!f) return null;
    }
    const step = schurSolve(f, grad);
    let t = 1;
    let accepted = false;
    for (let half = 0; half < 30; half++) {
      const xn = new Float64Array(q);
      for (let k = 0; k < q; k++) xn[k] = x[k] + t * step[k];
      const next = wlsDiscrepancy(model, groups, xn);
      if (next && next.f <= cur.f) {
        const maxStep = step.reduce((m, v) => Math.max(m, Math.abs(t * v)), 0);
        const rel = (cur.f - next.f) / Math.max(cur.f, 1e-300);
        x = xn;
        cur = next;
        accepted = true;
        if (rel < 1e-15 || maxStep < 1e-9) converged = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      // no step lowers F: the gradient is at rounding level, a minimum
      const gmax = grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      converged = gmax < 1e-6;
      break;
    }
  }
  return { x, f: cur.f, implied: cur.implied, iterations, converged };
}
