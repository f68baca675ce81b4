import { normalCdf } from '../../math/normal_distribution.js';
import type { Diagnostics } from '../../diagnostics.js';
import { InputError } from '../../errors.js';
import { cholesky, choleskyInverse } from '../dense.js';
import { cfi } from '../fit_cfi.js';
import { informationCriteria } from '../fit_information_criteria.js';
import { rmsea } from '../fit_rmsea.js';
import { tli } from '../fit_tli.js';
import type { SemEstimate, SemFit } from '../fit_sem.js';
import { Mat } from '../model_matrices.js';
import { chiSquareUpperTail } from '../../math/chi_square_distribution.js';
import { exogenousObserved } from '../parameter_table.js';
import { minimizeQuasiNewton } from '../quasi_newton.js';
import type { GroupSample } from '../sample_statistics.js';
import { standardizedValue } from '../standardized_solution.js';
import { startValues } from '../start_values.js';
import { baselineTwoLevelTable } from './baseline_two_level.js';
import { clusterStatistics, covariateLoglik, type ClusterStatistics } from './cluster_statistics.js';
import { forcePd, srmrLevel } from './fit_srmr_two_level.js';
import { parseLevelBlocks, type LevelBlocks } from './level_blocks.js';
import { observedInformationTwoLevel } from './observed_information_two_level.js';
import { saturatedTwoLevel } from './saturated_two_level.js';
import { buildTwoLevelTable, type TwoLevelTable } from './two_level_table.js';
import { evaluateTwoLevel, twoLevelStructure, type TwoLevelEvaluation, type TwoLevelStructure } from './two_level_objective.js';
import { loglikConstant } from './two_level_loglik.js';

/** Two-level data: named numeric columns (NaN missing) and one cluster label per row (null: left out). */
export interface TwoLevelData {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly number[])[];
  readonly clusters: readonly (string | null)[];
}

export interface TwoLevelOptions {
  /** Only listwise deletion: full-information ML for two-level models is refused with an input error. */
  readonly missing?: 'listwise' | 'ml';
  /** Compute standard errors (default true); the observed information is the costliest step. */
  readonly standardErrors?: boolean;
  /** Fix latent variances to 1 and free every loading, at both levels (lavaan's std.lv). */
  readonly stdLv?: boolean;
}

/** A parameter of a two-level model: cfa's estimate with its level (1 within, 2 between). */
export interface TwoLevelEstimate extends SemEstimate {
  readonly level: 1 | 2;
}

/** cfa's fit measures plus the SRMR of each level (lavaan's srmr_within, srmr_between). */
export interface TwoLevelFit extends SemFit {
  readonly srmrWithin: number;
  readonly srmrBetween: number;
}

/** A fitted two-level model; `internal` (not enumerable) holds what level-specific reliability reuses. */
export interface TwoLevelResult {
  readonly n: number;
  readonly clusters: number;
  readonly converged: boolean;
  readonly fit: TwoLevelFit;
  readonly estimates: readonly TwoLevelEstimate[];
  readonly options: { readonly missing: 'listwise'; readonly information: 'observed'; readonly stdLv: boolean };
  readonly diagnostics: Diagnostics;
  readonly internal: TwoLevelInternal;
}

export interface TwoLevelInternal {
  readonly table: TwoLevelTable;
  readonly structure: TwoLevelStructure;
  readonly stats: ClusterStatistics;
  readonly x: Float64Array;
  readonly evaluation: TwoLevelEvaluation;
}

/**
 * Fits a two-level SEM (lavaan syntax with `level: 1` and `level: 2` blocks) to clustered data
 * by maximum likelihood for random-intercept models, as lavaan::sem(model, data, cluster = …)
 * does by default (lavaan 0.6.14; Rosseel, 2021, two-level SEM in lavaan; Muthén, 1994):
 * listwise deletion on the model's variables → two-level parameter table → cluster statistics
 * (S_PW and per cluster size the moments of the cluster means) → start values → BFGS on
 * −log L with its analytic gradient → the saturated model by EM (χ² = 2(log L₁ − log L₀)) → the
 * independence baseline (CFI, TLI) → standard errors from the observed information (the Hessian
 * of −log L, lavaan's default for two-level ML). Fixed covariates (fixed.x) take their sample
 * moments and their likelihood is left out of log L, as lavaan. Bad input throws an InputError;
 * numerical trouble (non-convergence, negative variances) goes to `diagnostics`.
 */
export function fitTwoLevel(input: TwoLevelData, model: string | LevelBlocks, options: TwoLevelOptions = {}): TwoLevelResult {
  if (options.missing === 'ml') {
    throw new InputError('missing', 'missing = "ml" is not supported for two-level models here; use listwise deletion (lavaan 0.6.14 only offers it for two-level models through an experimental EM route).');
  }
  const blocks = typeof model === 'string' ? parseLevelBlocks(model) : model;
  const table = buildTwoLevelTable(blocks, { stdLv: options.stdLv ?? false });
  const [t1, t2] = table.levels;
  const yVars = t1.observed;
  const zVars = table.betweenOnly;
  for (const v of [...yVars, ...zVars]) {
    if (!input.columns.includes(v)) throw new InputError('model', `model names "${v}", which is neither a latent variable nor a column of the data.`);
  }
  if (input.clusters.length !== input.rows.length) throw new InputError('cluster', 'cluster must give one label per data row.');
  const yIdx = yVars.map((v) => input.columns.indexOf(v));
  const zIdx = zVars.map((v) => input.columns.indexOf(v));
  // listwise deletion; clusters in order of first appearance
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const y: Float64Array[] = [];
  const z: Float64Array[] = [];
  const clusterOf: number[] = [];
  input.rows.forEach((row, r) => {
    const c = input.clusters[r];
    if (c === null) return;
    const yr = Float64Array.from(yIdx, (j) => row[j]);
    const zr = Float64Array.from(zIdx, (j) => row[j]);
    if (yr.some(Number.isNaN) || zr.some(Number.isNaN)) return;
    let k = labelIndex.get(c);
    if (k === undefined) {
      k = labels.push(c) - 1;
      labelIndex.set(c, k);
    }
    y.push(yr);
    z.push(zr);
    clusterOf.push(k);
  });
  const J = labels.length;
  if (J < 2 || y.length <= J) {
    throw new InputError('cluster', `a two-level model needs at least 2 clusters and more rows than clusters; the data have ${y.length} usable rows in ${J} clusters.`);
  }
  // between-only variables are cluster properties
  const firstZ = new Array<Float64Array | undefined>(J);
  z.forEach((zr, r) => {
    const c = clusterOf[r];
    const f = firstZ[c];
    if (!f) firstZ[c] = zr;
    else
      for (let a = 0; a < zr.length; a++) {
        if (Math.abs(zr[a] - f[a]) > 1e-12 * Math.max(1, Math.abs(f[a]))) {
          throw new InputError('model', `${zVars[a]} appears only at level 2 but varies within cluster ${labels[c]}; a level-2 variable must be constant within each cluster.`);
        }
      }
  });
  const stats = clusterStatistics(y, z, clusterOf, labels);
  const structure = twoLevelStructure(table.levels, zVars);
  const samples = levelSamples(stats, structure, table);
  const x0 = startTwoLevel(structure, samples);

  // degrees of freedom: the saturated model's moments less fixed covariate moments
  const p2 = t2.observed.length;
  const x1 = exogenousObserved(t1).length;
  const x2 = exogenousObserved(t2).length;
  const moments = (stats.py * (stats.py + 1)) / 2 + (p2 * (p2 + 1)) / 2 + stats.py + stats.pz - (x1 * (x1 + 1)) / 2 - x1 - (x2 * (x2 + 1)) / 2 - x2;
  const df = moments - table.nFree;
  if (df < 0) throw new InputError('model', `model is not identified: it has ${table.nFree} free parameters but the data give only ${moments} sample moments.`);

  const warnings: string[] = [];
  const objective = (x: Float64Array, grad: boolean) => evaluateTwoLevel(structure, stats, x, grad);
  if (!objective(x0, false)) throw new InputError('model', 'the start values give a non-positive-definite implied covariance matrix; give start() values.');
  const opt = minimizeTwoLevel(objective, x0);
  if (!opt) throw new InputError('model', 'the start values give a non-positive-definite implied covariance matrix; give start() values.');
  if (!opt.converged) warnings.push(`the optimizer did not converge (${opt.message}) after ${opt.iterations} iterations.`);
  const { x, evaluation } = opt;

  // saturated model, χ², log-likelihood
  const shared = table.both.map((v) => yVars.indexOf(v));
  const h1 = saturatedTwoLevel(stats, shared);
  if (!h1.converged) warnings.push(`the EM algorithm for the saturated model did not converge after ${h1.iterations} iterations.`);
  const chisq = Math.max(evaluation.minusTwoLogl - h1.minusTwoLogl, 0);
  const loglikX =
    covariateLoglik(stats.totalCov, stats.py, exogenousObserved(t1).map((v) => yVars.indexOf(v)), stats.n) +
    covariateLoglik(stats.clusterCov, stats.pz, exogenousObserved(t2).map((v) => zVars.indexOf(v)), stats.clusters);
  const h1Logl = -0.5 * h1.minusTwoLogl + loglikConstant(stats) - loglikX;

  // baseline (independence) model
  const baseTable = baselineTwoLevelTable(table, h1.moments, structure);
  const baseStructure = twoLevelStructure(baseTable.levels, zVars);
  const baseX0 = startTwoLevel(baseStructure, levelSamples(stats, baseStructure, baseTable));
  const base = minimizeTwoLevel((bx: Float64Array, grad: boolean) => evaluateTwoLevel(baseStructure, stats, bx, grad), baseX0);
  const baselineChisq = base ? base.evaluation.minusTwoLogl - h1.minusTwoLogl : NaN;
  const baselineDf = moments - baseTable.nFree;
  if (!base || !base.converged) warnings.push('the baseline model did not converge: CFI and TLI may be off.');

  // standard errors: observed information (Hessian of −log L)
  const q = table.nFree;
  let variances: Float64Array | null = null;
  if (options.standardErrors ?? true) {
    const info = observedInformationTwoLevel(objective, x, stats.n);
    const l = info ? cholesky(info, q) : null;
    if (l) {
      const inv = choleskyInverse(l, q);
      variances = Float64Array.from({ length: q }, (_, k) => inv[k * q + k]);
    } else warnings.push('the observed information matrix is not positive definite: standard errors are not available (the model may not be identified).');
  }

  const estimates: TwoLevelEstimate[] = [];
  ([structure.within, structure.between] as const).forEach((s, l) => {
    const { mats, implied } = evaluation.levels[l];
    for (const e of s.entries[0]) {
      const r = s.table.rows[e.row];
      const est = r.free > 0 ? x[r.free - 1] : r.value;
      const se = r.free > 0 ? (variances ? Math.sqrt(Math.max(variances[r.free - 1], 0)) : NaN) : 0;
      const zv = r.free > 0 && se > 0 ? est / se : null;
      const std = standardizedValue(s, e, est, implied, mats);
      estimates.push({
        lhs: r.lhs,
        op: r.op,
        rhs: r.rhs,
        level: (l + 1) as 1 | 2,
        ...(r.label && !r.label.startsWith('.') ? { label: r.label } : {}),
        free: r.free > 0,
        est,
        se,
        z: zv,
        pvalue: zv === null ? null : 2 * (1 - normalCdf(Math.abs(zv))),
        std: std.stdAll,
        stdLv: std.stdLv,
      });
    }
    for (let i = 0; i < s.p; i++) {
      if (s.entries[0].some((e) => e.mat === Mat.Theta && e.i === i && e.j === i && e.free > 0) && mats.theta[i * s.p + i] < 0) {
        warnings.push(`Heywood case: the level-${l + 1} residual variance of ${s.observed[i]} is negative (${mats.theta[i * s.p + i].toFixed(4)}).`);
      }
    }
    for (let j = 0; j < s.m; j++) {
      if (s.phantomOf[j] < 0 && mats.psi[j * s.m + j] < 0) warnings.push(`Heywood case: the variance of ${s.latentAll[j]} is negative (${mats.psi[j * s.m + j].toFixed(4)}).`);
    }
  });

  // fit measures
  const logl = h1Logl - chisq / 2;
  const ic = informationCriteria(h1Logl, chisq, q, stats.n);
  const rm = rmsea(chisq, df, stats.n, 1);
  const h1Between = gatherBetween(structure, h1.moments.sigmaB);
  const srmrWithin = srmrLevel(h1.moments.sigmaW, evaluation.levels[0].implied.sigma, stats.py);
  const srmrBetween = srmrLevel(h1Between, forcePd(evaluation.levels[1].implied.sigma, p2), p2);
  const fit: TwoLevelFit = {
    chisq,
    df,
    pvalue: df > 0 ? chiSquareUpperTail(chisq, df) : NaN,
    baselineChisq,
    baselineDf,
    cfi: cfi(chisq, df, baselineChisq, baselineDf),
    tli: tli(chisq, df, baselineChisq, baselineDf),
    rmsea: rm.rmsea,
    rmseaLower: rm.lower,
    rmseaUpper: rm.upper,
    srmr: srmrWithin + srmrBetween,
    srmrWithin,
    srmrBetween,
    aic: ic.aic,
    bic: ic.bic,
    logl,
    npar: q,
  };
  const result = {
    n: stats.n,
    clusters: stats.clusters,
    converged: opt.converged,
    fit,
    estimates,
    options: { missing: 'listwise' as const, information: 'observed' as const, stdLv: options.stdLv ?? false },
    diagnostics: { converged: opt.converged, iterations: opt.iterations, warnings },
  };
  Object.defineProperty(result, 'internal', { value: { table, structure, stats, x, evaluation }, enumerable: false });
  return result as unknown as TwoLevelResult;
}

/**
 * BFGS on the two-level objective (300 steps at a time, stopping at a gradient below 10⁻⁹ or a
 * relative change of F below 10⁻¹²); where it crawls, restarts from the inverse of the
 * finite-difference Hessian at the current point, which makes the next steps Newton-like.
 */
function minimizeTwoLevel(objective: (x: Float64Array, grad: boolean) => TwoLevelEvaluation | null, x0: Float64Array) {
  const settings = { gradientTolerance: 1e-9, functionTolerance: 1e-12, maxIterations: 300 };
  let opt = minimizeQuasiNewton(objective, x0, settings);
  for (let restart = 0; opt && !opt.converged && restart < 10; restart++) {
    const h = observedInformationTwoLevel(objective, opt.x, 1);
    const l = h ? cholesky(h, x0.length) : null;
    const again = minimizeQuasiNewton(objective, opt.x, { ...settings, ...(l ? { initialInverseHessian: choleskyInverse(l, x0.length) } : {}) });
    if (!again) break;
    opt = { ...again, iterations: opt.iterations + again.iterations };
  }
  return opt;
}

/** The between covariance of the level-2 variables, in level-2 order, from the (z, y) matrix. */
function gatherBetween(structure: TwoLevelStructure, sigmaB: Float64Array): Float64Array {
  const p2 = structure.between.p;
  const pv = structure.pz + structure.py;
  const out = new Float64Array(p2 * p2);
  const pos = structure.betweenPosition;
  for (let a = 0; a < p2; a++) for (let b = 0; b < p2; b++) out[a * p2 + b] = sigmaB[pos[a] * pv + pos[b]];
  return out;
}

/**
 * Per level, the moments that start values and fixed covariates read (lavaan's S.PW.start,
 * Sigma.B, Mu.W, Mu.B): level 1 the pooled within covariance (total covariance for within-only
 * variables), level 2 the ANOVA estimate (S_B − S_PW)/s of the between covariance for shared
 * variables (s the average cluster size corrected for unbalance) and the cluster covariance
 * of between-only ones; means the grand means.
 */
function levelSamples(stats: ClusterStatistics, structure: TwoLevelStructure, table: { readonly withinOnly: readonly string[] }): [GroupSample, GroupSample] {
  const { py, pz } = stats;
  const s1 = structure.within;
  const cov1 = Float64Array.from(stats.pooledWithin);
  const mean1 = new Float64Array(py);
  const within = s1.observed.map((v) => table.withinOnly.includes(v));
  for (let a = 0; a < py; a++) {
    if (!within[a]) continue;
    mean1[a] = stats.totalMean[a];
    for (let b = 0; b < py; b++) if (within[b]) cov1[a * py + b] = stats.totalCov[a * py + b];
  }
  const N = stats.n;
  const J = stats.clusters;
  const sFactor = (N - stats.clusterSizes.reduce((s, n) => s + n * n, 0) / N) / (J - 1);
  const s2 = structure.between;
  const p2 = s2.p;
  const cov2 = new Float64Array(p2 * p2);
  const mean2 = new Float64Array(p2);
  for (let a = 0; a < p2; a++) {
    const pa = structure.betweenPosition[a];
    mean2[a] = pa < pz ? stats.clusterMean[pa] : stats.totalMean[pa - pz];
    for (let b = 0; b < p2; b++) {
      const pb = structure.betweenPosition[b];
      if (pa < pz && pb < pz) cov2[a * p2 + b] = stats.clusterCov[pa * pz + pb];
      else if (pa >= pz && pb >= pz) {
        const ya = pa - pz;
        const yb = pb - pz;
        let sb = 0;
        stats.clusterMeans.forEach((m, c) => (sb += stats.clusterSizes[c] * (m[pa] - stats.totalMean[ya]) * (m[pb] - stats.totalMean[yb])));
        cov2[a * p2 + b] = (sb / (J - 1) - stats.pooledWithin[ya * py + yb]) / sFactor;
      }
    }
  }
  for (let a = 0; a < p2; a++) {
    const pa = structure.betweenPosition[a];
    if (pa >= pz) {
      const w = stats.pooledWithin[(pa - pz) * py + pa - pz];
      if (!(cov2[a * p2 + a] > 0.01 * w)) cov2[a * p2 + a] = 0.01 * w;
    }
  }
  const sample = (label: string, n: number, mean: Float64Array, cov: Float64Array, p: number): GroupSample => {
    const l = cholesky(cov, p);
    let logDet = NaN;
    if (l) {
      logDet = 0;
      for (let i = 0; i < p; i++) logDet += 2 * Math.log(l[i * p + i]);
    }
    return { label, n, mean, cov, logDetCov: logDet };
  };
  return [sample('within', N, mean1, cov1, py), sample('between', J, mean2, cov2, p2)];
}

/** Start values of both levels in one parameter vector (each level's free parameters from its own moments). */
function startTwoLevel(structure: TwoLevelStructure, samples: readonly [GroupSample, GroupSample]): Float64Array {
  const a = startValues(structure.within, [samples[0]]);
  const b = startValues(structure.between, [samples[1]]);
  const x = new Float64Array(structure.nFree);
  const owned = new Uint8Array(structure.nFree);
  for (const e of structure.within.entries[0]) if (e.free > 0) owned[e.free - 1] |= 1;
  for (const e of structure.between.entries[0]) if (e.free > 0) owned[e.free - 1] |= 2;
  for (let k = 0; k < x.length; k++) x[k] = owned[k] === 1 ? a[k] : owned[k] === 2 ? b[k] : 0.5 * (a[k] + b[k]);
  return x;
}

