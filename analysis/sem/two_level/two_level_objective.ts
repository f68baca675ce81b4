import { impliedMoments, type ImpliedMoments } from '../implied_moments.js';
import { groupMatrices, modelStructure, type GroupMatrices, type ModelStructure } from '../model_matrices.js';
import { addGradient } from '../objective.js';
import type { ParameterTable } from '../parameter_table.js';
import type { ClusterStatistics } from './cluster_statistics.js';
import { twoLevelLoglik, type TwoLevelMoments } from './two_level_loglik.js';

/** The two levels' model structures and where each level-2 variable sits in the (z, y) split. */
export interface TwoLevelStructure {
  readonly within: ModelStructure;
  readonly between: ModelStructure;
  readonly nFree: number;
  /** For each level-2 observed variable, its index in (z, y): between-only first, then level-1 order. */
  readonly betweenPosition: Int32Array;
  readonly pz: number;
  readonly py: number;
}

/** One level's matrices and implied moments at a parameter vector. */
export interface LevelEvaluation {
  readonly mats: GroupMatrices;
  readonly implied: ImpliedMoments;
}

/** The model at one parameter vector: F = −log L / N (without constants), its gradient, the levels. */
export interface TwoLevelEvaluation {
  readonly f: number;
  readonly gradient: Float64Array | null;
  readonly minusTwoLogl: number;
  readonly levels: readonly [LevelEvaluation, LevelEvaluation];
}

/** Lays the two levels' tables out as matrices and maps level-2 variables into the (z, y) split. */
export function twoLevelStructure(levels: readonly [ParameterTable, ParameterTable], betweenOnly: readonly string[]): TwoLevelStructure {
  const within = modelStructure(levels[0]);
  const between = modelStructure(levels[1]);
  const pz = betweenOnly.length;
  const betweenPosition = Int32Array.from(between.observed, (v) => (betweenOnly.includes(v) ? betweenOnly.indexOf(v) : pz + within.observed.indexOf(v)));
  return { within, between, nFree: levels[0].nFree, betweenPosition, pz, py: within.p };
}

/** The level moments of the model mapped into the y/z split of the likelihood. */
export function splitMoments(model: TwoLevelStructure, w: ImpliedMoments, b: ImpliedMoments): TwoLevelMoments {
  const { pz, py, betweenPosition } = model;
  const pv = pz + py;
  const p2 = model.between.p;
  const sigmaB = new Float64Array(pv * pv);
  const muY = Float64Array.from(w.mu);
  const muZ = new Float64Array(pz);
  for (let k = 0; k < p2; k++) {
    const pk = betweenPosition[k];
    for (let l = 0; l < p2; l++) sigmaB[pk * pv + betweenPosition[l]] = b.sigma[k * p2 + l];
    if (pk < pz) muZ[pk] = b.mu[k];
    else muY[pk - pz] += b.mu[k];
  }
  return { sigmaW: w.sigma, sigmaB, muY, muZ };
}

/**
 * Evaluates the two-level ML objective F(θ) = −log L(θ)/N (up to constants) and its analytic
 * gradient: the likelihood's derivatives with respect to Σ_W, μ_y, B and μ_z (twoLevelLoglik)
 * are gathered back to each level's Σ and μ (the shared variables' level-1 and level-2 means
 * both receive ∂/∂μ_y) and pushed through each level's LISREL matrices by the single-level chain
 * rule (addGradient). Null when a level's I − B is singular or the likelihood's matrices are not
 * positive definite.
 */
export function evaluateTwoLevel(model: TwoLevelStructure, stats: ClusterStatistics, x: ArrayLike<number>, wantGradient: boolean): TwoLevelEvaluation | null {
  const w = level(model.within, x);
  const b = level(model.between, x);
  if (!w || !b) return null;
  const ll = twoLevelLoglik(stats, splitMoments(model, w.implied, b.implied), wantGradient);
  if (!ll || !Number.isFinite(ll.minusTwoLogl)) return null;
  const scale = 1 / (2 * stats.n);
  let gradient: Float64Array | null = null;
  if (wantGradient) {
    gradient = new Float64Array(model.nFree);
    addGradient(model.within, 0, w.implied, ll.dSigmaW!, ll.dMuY!, scale, gradient);
    const { pz, py, betweenPosition } = model;
    const pv = pz + py;
    const p2 = model.between.p;
    const g2 = new Float64Array(p2 * p2);
    const m2 = new Float64Array(p2);
    for (let k = 0; k < p2; k++) {
      const pk = betweenPosition[k];
      for (let l = 0; l < p2; l++) g2[k * p2 + l] = ll.dSigmaB![pk * pv + betweenPosition[l]];
      m2[k] = pk < pz ? ll.dMuZ![pk] : ll.dMuY![pk - pz];
    }
    addGradient(model.between, 0, b.implied, g2, m2, scale, gradient);
  }
  return { f: ll.minusTwoLogl * scale, gradient, minusTwoLogl: ll.minusTwoLogl, levels: [w, b] };
}

function level(structure: ModelStructure, x: ArrayLike<number>): LevelEvaluation | null {
  const mats = groupMatrices(structure, 0, x);
  const implied = impliedMoments(mats, structure.p, structure.m);
  return implied ? { mats, implied } : null;
}
