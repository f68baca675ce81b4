import { impliedMoments, type ImpliedMoments } from './implied_moments.js';
import { groupDiscrepancy, saturatedTerm, type GroupDiscrepancy } from './ml_discrepancy.js';
import { groupMatrices, Mat, type GroupMatrices, type ModelStructure } from './model_matrices.js';
import type { GroupSample } from './sample_statistics.js';

/** The model evaluated at one parameter vector, group by group. */
export interface ModelEvaluation {
  /** F = Σ_g (n_g/N) F_g, so that χ² = N·F. */
  readonly f: number;
  readonly gradient: Float64Array | null;
  readonly groups: readonly { mats: GroupMatrices; implied: ImpliedMoments; discrepancy: GroupDiscrepancy }[];
}

/** The data side of an estimation: per-group samples, their weights n_g/N, and saturated values. */
export interface EstimationData {
  readonly samples: readonly GroupSample[];
  readonly weights: readonly number[];
  readonly h1: readonly number[];
  readonly nTotal: number;
}

/** Collects the samples with their weights n_g/N and each group's saturated (h1) value. */
export function estimationData(model: ModelStructure, samples: readonly GroupSample[]): EstimationData {
  const nTotal = samples.reduce((s, g) => s + g.n, 0);
  return { samples, weights: samples.map((s) => s.n / nTotal), h1: samples.map((s) => saturatedTerm(s, model.p)), nTotal };
}

/**
 * Evaluates the ML discrepancy F(θ) and, when asked, its analytic gradient. The gradient
 * follows the chain rule through Σ = ΛMΛᵀ + Θ and μ = ν + ΛAα with G = ∂F/∂Σ and
 * g = ∂F/∂μ: ∂F/∂Λ = 2GΛM + g(Aα)ᵀ, ∂F/∂Θ = G (off-diagonal twice), ∂F/∂Ψ = (ΛA)ᵀGΛA
 * (off-diagonal twice), ∂F/∂B = 2(ΛA)ᵀGΛM + (ΛA)ᵀg(Aα)ᵀ, ∂F/∂ν = g, ∂F/∂α = (ΛA)ᵀg
 * (Neudecker & Satorra, 1991; lavaan's lav_model_gradient). Free parameters shared by
 * several entries (equal labels) sum their entries' derivatives. Null when some Σ is not
 * positive definite.
 */
export function evaluateModel(model: ModelStructure, data: EstimationData, x: ArrayLike<number>, wantGradient: boolean): ModelEvaluation | null {
  let f = 0;
  const gradient = wantGradient ? new Float64Array(model.nFree) : null;
  const groups: { mats: GroupMatrices; implied: ImpliedMoments; discrepancy: GroupDiscrepancy }[] = [];
  for (let g = 0; g < data.samples.length; g++) {
    const mats = groupMatrices(model, g, x);
    const implied = impliedMoments(mats, model.p, model.m);
    if (!implied) return null;
    const discrepancy = groupDiscrepancy(data.samples[g], implied, model.p, model.meanstructure, data.h1[g], wantGradient);
    if (!discrepancy || !Number.isFinite(discrepancy.f)) return null;
    f += data.weights[g] * discrepancy.f;
    groups.push({ mats, implied, discrepancy });
    if (gradient) addGradient(model, g, implied, discrepancy.dSigma!, discrepancy.dMu!, data.weights[g], gradient);
  }
  return { f, gradient, groups };
}

export function addGradient(
  model: ModelStructure,
  g: number,
  implied: ImpliedMoments,
  G: Float64Array,
  gMu: Float64Array,
  weight: number,
  out: Float64Array,
): void {
  const { p, m } = model;
  const B = implied.lambdaA;
  const C = implied.lambdaM;
  const aAlpha = implied.aAlpha;
  // G·C, G·B (p×m); Bᵀ g (m)
  const GC = new Float64Array(p * m);
  const GB = new Float64Array(p * m);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const gv = G[i * p + k];
      if (gv === 0) continue;
      for (let j = 0; j < m; j++) {
        GC[i * m + j] += gv * C[k * m + j];
        GB[i * m + j] += gv * B[k * m + j];
      }
    }
  let BtGB: Float64Array | null = null;
  let BtGC: Float64Array | null = null;
  const Btg = new Float64Array(m);
  for (let i = 0; i < p; i++) for (let j = 0; j < m; j++) Btg[j] += B[i * m + j] * gMu[i];
  const needPsiBeta = model.entries[g].some((e) => e.free > 0 && (e.mat === Mat.Psi || e.mat === Mat.Beta));
  if (needPsiBeta) {
    BtGB = new Float64Array(m * m);
    BtGC = new Float64Array(m * m);
    for (let k = 0; k < p; k++)
      for (let a = 0; a < m; a++) {
        const b = B[k * m + a];
        if (b === 0) continue;
        for (let c = 0; c < m; c++) {
          BtGB[a * m + c] += b * GB[k * m + c];
          BtGC[a * m + c] += b * GC[k * m + c];
        }
      }
  }
  for (const e of model.entries[g]) {
    if (e.free <= 0) continue;
    let d = 0;
    switch (e.mat) {
      case Mat.Lambda:
        d = 2 * GC[e.i * m + e.j] + gMu[e.i] * aAlpha[e.j];
        break;
      case Mat.Theta:
        d = e.i === e.j ? G[e.i * p + e.i] : 2 * G[e.i * p + e.j];
        break;
      case Mat.Psi:
        d = e.i === e.j ? BtGB![e.i * m + e.i] : 2 * BtGB![e.i * m + e.j];
        break;
      case Mat.Beta:
        d = 2 * BtGC![e.i * m + e.j] + Btg[e.i] * aAlpha[e.j];
        break;
      case Mat.Nu:
        d = gMu[e.i];
        break;
      case Mat.Alpha:
        d = Btg[e.i];
        break;
    }
    out[e.free - 1] += weight * d;
  }
}
