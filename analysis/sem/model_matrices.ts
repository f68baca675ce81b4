import type { ParameterTable } from './parameter_table.js';

/** The six LISREL-style matrices of lavaan's representation. */
export const enum Mat {
  Lambda = 0,
  Theta = 1,
  Psi = 2,
  Beta = 3,
  Nu = 4,
  Alpha = 5,
}

/** Where one parameter-table row lives: matrix, row, column, and its free index (0 fixed). */
export interface MatrixEntry {
  readonly mat: Mat;
  readonly i: number;
  readonly j: number;
  readonly row: number;
  readonly free: number;
}

/** The model matrices of one group for given parameter values. */
export interface GroupMatrices {
  readonly lambda: Float64Array; // p × m
  readonly theta: Float64Array; // p × p
  readonly psi: Float64Array; // m × m
  readonly beta: Float64Array; // m × m
  readonly nu: Float64Array; // p
  readonly alpha: Float64Array; // m
}

/**
 * The structure of a model as matrices: observed variables (p), latent variables (m,
 * including a phantom latent for each observed variable that takes part in a regression,
 * as lavaan's LISREL representation does), and for each group the matrix position of
 * every parameter-table row. Σ = Λ(I−B)⁻¹Ψ(I−B)⁻ᵀΛᵀ + Θ and μ = ν + Λ(I−B)⁻¹α.
 */
export interface ModelStructure {
  readonly table: ParameterTable;
  readonly p: number;
  readonly m: number;
  readonly observed: readonly string[];
  /** Latent variables then phantoms (named after their observed variable). */
  readonly latentAll: readonly string[];
  /** For each latent index, the observed index it mirrors, or -1 for a true latent. */
  readonly phantomOf: readonly number[];
  readonly entries: readonly (readonly MatrixEntry[])[];
  readonly meanstructure: boolean;
  readonly nFree: number;
}

/** Maps a parameter table onto model matrices (lavaan's lav_model with representation "LISREL"). */
export function modelStructure(table: ParameterTable): ModelStructure {
  const observed = table.observed;
  const latent = table.latent;
  const isLatent = (v: string) => latent.includes(v);
  // phantoms: observed variables in a regression, and those covarying with a phantom
  const phantom = new Set<string>();
  for (const r of table.rows) {
    if (r.op === '~') {
      if (!isLatent(r.lhs)) phantom.add(r.lhs);
      if (!isLatent(r.rhs)) phantom.add(r.rhs);
    }
    if (r.op === '=~' && !isLatent(r.rhs) && table.rows.some((q) => q.op === '~' && (q.lhs === r.rhs || q.rhs === r.rhs))) phantom.add(r.rhs);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of table.rows) {
      if (r.op !== '~~' || r.lhs === r.rhs) continue;
      const a = !isLatent(r.lhs) && !phantom.has(r.lhs);
      const b = !isLatent(r.rhs) && !phantom.has(r.rhs);
      if (a !== b && (phantom.has(r.lhs) || phantom.has(r.rhs) || isLatent(r.lhs) || isLatent(r.rhs))) {
        if (a) phantom.add(r.lhs);
        if (b) phantom.add(r.rhs);
        changed = true;
      }
    }
  }
  const phantoms = observed.filter((v) => phantom.has(v));
  const latentAll = [...latent, ...phantoms];
  const phantomOf = latentAll.map((v, k) => (k < latent.length ? -1 : observed.indexOf(v)));
  const p = observed.length;
  const m = latentAll.length;
  const ov = (v: string) => observed.indexOf(v);
  const lv = (v: string) => latentAll.indexOf(v);
  const isStructural = (v: string) => isLatent(v) || phantom.has(v);

  const entries: MatrixEntry[][] = Array.from({ length: table.groups }, () => []);
  table.rows.forEach((r, row) => {
    const push = (mat: Mat, i: number, j: number) => entries[r.group].push({ mat, i, j, row, free: r.free });
    switch (r.op) {
      case '=~':
        if (isStructural(r.rhs)) push(Mat.Beta, lv(r.rhs), lv(r.lhs));
        else push(Mat.Lambda, ov(r.rhs), lv(r.lhs));
        break;
      case '~':
        push(Mat.Beta, lv(r.lhs), lv(r.rhs));
        break;
      case '~~':
        if (isStructural(r.lhs)) push(Mat.Psi, lv(r.lhs), lv(r.rhs));
        else push(Mat.Theta, ov(r.lhs), ov(r.rhs));
        break;
      case '~1':
        if (isStructural(r.lhs)) push(Mat.Alpha, lv(r.lhs), 0);
        else push(Mat.Nu, ov(r.lhs), 0);
        break;
    }
  });
  return { table, p, m, observed, latentAll, phantomOf, entries, meanstructure: table.meanstructure, nFree: table.nFree };
}

/** The matrices of group `g` for the free-parameter vector `x` (0-based; x[k-1] is free parameter k). */
export function groupMatrices(model: ModelStructure, g: number, x: ArrayLike<number>): GroupMatrices {
  const { p, m } = model;
  const mats: GroupMatrices = {
    lambda: new Float64Array(p * m),
    theta: new Float64Array(p * p),
    psi: new Float64Array(m * m),
    beta: new Float64Array(m * m),
    nu: new Float64Array(p),
    alpha: new Float64Array(m),
  };
  model.phantomOf.forEach((o, k) => {
    if (o >= 0) mats.lambda[o * m + k] = 1;
  });
  const rows = model.table.rows;
  for (const e of model.entries[g]) {
    const v = e.free > 0 ? x[e.free - 1] : rows[e.row].value;
    setEntry(mats, model, e, v);
  }
  return mats;
}

/** Writes value `v` at entry `e` (both triangles of a symmetric matrix). */
export function setEntry(mats: GroupMatrices, model: ModelStructure, e: MatrixEntry, v: number): void {
  const { p, m } = model;
  switch (e.mat) {
    case Mat.Lambda:
      mats.lambda[e.i * m + e.j] = v;
      break;
    case Mat.Theta:
      mats.theta[e.i * p + e.j] = v;
      mats.theta[e.j * p + e.i] = v;
      break;
    case Mat.Psi:
      mats.psi[e.i * m + e.j] = v;
      mats.psi[e.j * m + e.i] = v;
      break;
    case Mat.Beta:
      mats.beta[e.i * m + e.j] = v;
      break;
    case Mat.Nu:
      mats.nu[e.i] = v;
      break;
    case Mat.Alpha:
      mats.alpha[e.i] = v;
      break;
  }
}
