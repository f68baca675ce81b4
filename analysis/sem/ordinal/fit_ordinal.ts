import { InputError } from '../../errors.js';
import { chiSquareUpperTail } from '../../math/chi_square_distribution.js';
import { normalTwoSided } from '../../math/normal_distribution.js';
import { schurFactor, schurInverse } from '../../math/schur_solve.js';
import { cholesky, choleskyLogDet } from '../dense.js';
import type { OrdinalEstimator, SemData, SemEstimate, SemFit, SemResult } from '../fit_sem.js';
import { groupLabels } from '../fit_sem.js';
import { cfi } from '../fit_cfi.js';
import { rmsea } from '../fit_rmsea.js';
import { srmr, srmrGroup } from '../fit_srmr.js';
import { tli } from '../fit_tli.js';
import { groupMatrices, Mat } from '../model_matrices.js';
import { impliedMoments } from '../implied_moments.js';
import { parseModelSyntax, type Statement } from '../model_syntax.js';
import { buildParameterTable, observedCovariates, type GroupEqual, type ParameterTable } from '../parameter_table.js';
import type { GroupSample } from '../sample_statistics.js';
import { standardizedValue } from '../standardized_solution.js';
import { startValues } from '../start_values.js';
import { catMlRobust } from './catml_robust.js';
import { wlsEstimate, wlsInformation, wlsJacobian, type GroupJacobian, type WlsGroup } from './dwls_estimation.js';
import { ordinalModel, type OrdinalModel, type OrdinalModelOptions, type OrdinalParameterization } from './ordinal_model.js';
import { ordinalGroupSample, type OrdinalGroupSample } from './ordinal_sample_statistics.js';
import { scaledShifted, wlsRobustMoments, type GammaFactor, type WlsRobustMoments } from './wls_robust.js';

/** How an ordinal model is estimated: lavaan's WLSMV (DWLS + robust SEs + scaled-shifted χ²), DWLS or ULS. */
export type { OrdinalEstimator };

export interface OrdinalOptions {
  readonly estimator?: OrdinalEstimator;
  readonly parameterization?: OrdinalParameterization;
  readonly stdLv?: boolean;
  /** Loadings equal across groups (group.equal = "loadings"). */
  readonly groupEqual?: readonly GroupEqual[];
  /** The ordinal identification options of an invariance step (thresholds, scales, intercepts). */
  readonly ordinal?: Omit<OrdinalModelOptions, 'parameterization'>;
}

/** The extra fit measures of an ordinal fit (lavaan fitMeasures names in camelCase). */
export interface OrdinalFit extends SemFit {
  readonly dfScaled?: number;
  readonly shiftParameter?: number;
  readonly rmseaLowerScaled?: number;
  readonly rmseaUpperScaled?: number;
  readonly rmseaLowerRobust?: number;
  readonly rmseaUpperRobust?: number;
}

/** The internals that invariance testing reuses. */
export interface OrdinalInternal {
  readonly model: OrdinalModel;
  readonly x: Float64Array;
  readonly samples: readonly OrdinalGroupSample[];
  readonly groups: readonly WlsGroup[];
  readonly jacobian: readonly GroupJacobian[];
  /** The expected information E = Σ_g (n_g/N)Δ_gᵀW_gΔ_g and its inverse. */
  readonly information: Float64Array;
  readonly eInv: Float64Array | null;
  readonly robust: WlsRobustMoments | null;
  readonly nTotal: number;
}

/** Ordered data prepared for estimation: category codes per group. */
export interface OrdinalData {
  readonly labels: readonly string[];
  readonly categories: readonly number[];
  /** Per group, the rows' 0-based category codes of the model's observed variables. */
  readonly codes: readonly (readonly Int32Array[])[];
  /** The answer values behind each variable's categories. */
  readonly levels: readonly (readonly number[])[];
}

/**
 * Fits a CFA/SEM with ordered indicators as lavaan 0.6.14 does with `ordered = TRUE` (Muthén, 1984,
 * doi:10.1007/BF02294210; Muthén, du Toit & Spisic, 1997): thresholds and polychoric correlations in
 * two stages with their asymptotic covariance Γ, then DWLS (weights 1/diag Γ) or ULS on those
 * statistics, the delta or theta parameterization; under `wlsmv` (the default, lavaan's
 * estimator = "WLSMV") sandwich standard errors E⁻¹(ΔᵀWΓWΔ)E⁻¹/(N − G), the scaled-and-shifted χ², and the
 * scaled and robust (cat-ML) CFI/TLI/RMSEA. Listwise deletion on the model's variables. Every
 * observed variable of the model must be ordered; exogenous observed covariates are not supported.
 * Bad input throws an InputError naming the argument; numerical trouble goes to `diagnostics`.
 */
export function fitOrdinalSem(input: SemData, model: string | readonly Statement[], options: OrdinalOptions = {}): SemResult {
  const statements = typeof model === 'string' ? parseModelSyntax(model) : model;
  const { labels, groupOf } = groupLabels(input);
  const table = buildParameterTable(statements, { groups: labels.length, stdLv: options.stdLv, groupEqual: options.groupEqual, meanstructure: true });
  if (observedCovariates(table).length > 0) {
    throw new InputError('ordered', `ordered indicators cannot be fitted with observed covariates (${observedCovariates(table).join(', ')}) in this version; model them as indicators or leave them out.`);
  }
  const data = ordinalData(input, table.observed, labels, groupOf);
  return fitOrdinalTable(table, data, options);
}

/**
 * Reads the model's variables as ordered categories (listwise on the model's variables): each
 * variable's categories are its distinct answer values over all groups, in increasing order, as R's
 * `ordered()` makes them; every category must occur in every group (lavaan stops otherwise).
 */
export function ordinalData(input: SemData, observed: readonly string[], labels: readonly string[], groupOf: readonly number[]): OrdinalData {
  for (const v of observed) {
    if (!input.columns.includes(v)) throw new InputError('model', `model names "${v}", which is neither a latent variable nor a column of the data.`);
  }
  const idx = observed.map((v) => input.columns.indexOf(v));
  const keep: number[] = [];
  input.rows.forEach((r, i) => {
    if (groupOf[i] >= 0 && idx.every((j) => !Number.isNaN(r[j]))) keep.push(i);
  });
  const levels = idx.map((j, k) => {
    const set = new Set<number>();
    for (const i of keep) {
      const v = input.rows[i][j];
      if (!Number.isInteger(v)) throw new InputError('ordered', `ordered variable ${observed[k]} has the non-integer value ${v}; ordered answers must be whole-number codes.`);
      set.add(v);
    }
    return [...set].sort((a, b) => a - b);
  });
  levels.forEach((lv, k) => {
    if (lv.length < 2) throw new InputError('ordered', `ordered variable ${observed[k]} has a single answer category, so it has no variance.`);
    if (lv.length > 50) throw new InputError('ordered', `ordered variable ${observed[k]} has ${lv.length} answer categories; an ordered item has at most 50.`);
  });
  const codes: Int32Array[][] = labels.map(() => []);
  for (const i of keep) codes[groupOf[i]].push(Int32Array.from(idx, (j, k) => levels[k].indexOf(input.rows[i][j])));
  labels.forEach((label, g) => {
    const where = labels.length > 1 ? ` in group ${label}` : '';
    if (codes[g].length < 2) throw new InputError('csv', `the data have ${codes[g].length} complete row${codes[g].length === 1 ? '' : 's'}${where} for the model's variables; at least 2 are needed.`);
    levels.forEach((lv, k) => {
      const seen = new Uint8Array(lv.length);
      for (const row of codes[g]) seen[row[k]] = 1;
      const empty = lv.filter((_, c) => !seen[c]);
      if (empty.length > 0) {
        throw new InputError('ordered', `ordered variable ${observed[k]} has no answers in categor${empty.length === 1 ? 'y' : 'ies'} ${empty.join(', ')}${where}; every category must occur in every group (merge sparse categories first).`);
      }
    });
  });
  return { labels, categories: levels.map((l) => l.length), codes, levels };
}

/** Fits a ready parameter table to prepared ordinal data (invariance refits with other constraints). */
export function fitOrdinalTable(table: ParameterTable, data: OrdinalData, options: OrdinalOptions = {}, given?: readonly OrdinalGroupSample[]): SemResult {
  const estimator = options.estimator ?? 'wlsmv';
  const parameterization = options.parameterization ?? 'delta';
  const { labels, categories } = data;
  const G = labels.length;
  const samples = given ?? ordinalSamples(data);
  const nTotal = samples.reduce((a, s) => a + s.n, 0);
  const model = ordinalModel(table, categories, { ...options.ordinal, parameterization });
  const q = model.nFree;
  const K = model.nStatistics;
  const warnings: string[] = [];
  const df = G * K - q;
  if (df < 0) throw new InputError('model', `model is not identified: it has ${q} free parameters but the data give only ${G * K} sample statistics.`);
  const groups: WlsGroup[] = samples.map((s) => ({
    statistics: s.statistics,
    weights: estimator === 'uls' ? new Float64Array(K).fill(1) : Float64Array.from(s.gammaDiagonal, (v) => 1 / v),
    fraction: s.n / nTotal,
    objectiveWeight: (s.n - 1) / nTotal,
  }));
  if (!given) warnings.push(...ordinalSampleWarnings(samples, categories.length));
  const start = ordinalStart(model, samples);
  const est = wlsEstimate(model, groups, start);
  if (!est) throw new InputError('model', 'the model cannot be evaluated at its start values (a y* variance is not positive); give start() values.');
  if (!est.converged) warnings.push(`the optimizer did not converge after ${est.iterations} iterations.`);
  const { x, implied } = est;
  const jac = wlsJacobian(model, x, implied);
  const E = wlsInformation(groups, jac, q);
  // thresholds are uncoupled from each other: E⁻¹ through the Schur complement of their block
  const fE = schurFactor(E, q);
  const eInv = fE ? schurInverse(fE) : null;
  if (!eInv) warnings.push('the information matrix is not positive definite: standard errors and robust tests are not available (the model may not be identified).');
  const chisq = nTotal * est.f;
  const gamma: GammaFactor[] = samples.map((s) => ({ factor: s.gammaFactor, n: s.n, nThresholds: s.nThresholds }));
  const robust = eInv && estimator !== 'uls' ? wlsRobustMoments(groups, jac, gamma, eInv, q) : null;
  // standard errors: sandwich under WLSMV, E⁻¹/N otherwise (lavaan's se = "robust.sem" / "standard");
  // only the variances are reported, so of E⁻¹ME⁻¹ only its diagonal, Σ_a (E⁻¹M)_ka (E⁻¹)_ak
  let variances: Float64Array | null = null;
  if (eInv) {
    variances = new Float64Array(q);
    if (estimator === 'wlsmv' && robust) {
      const left = robust.eInvMeat;
      for (let k = 0; k < q; k++) {
        let v = 0;
        for (let a = 0; a < q; a++) v += left[k * q + a] * eInv[a * q + k];
        variances[k] = v;
      }
    } else for (let k = 0; k < q; k++) variances[k] = eInv[k * q + k];
    // lavaan divides by N − G for every estimator but ML
    for (let k = 0; k < q; k++) variances[k] /= nTotal - G;
  }
  const se = (free: number) => (free > 0 ? (variances ? Math.sqrt(Math.max(variances[free - 1], 0)) : NaN) : 0);

  // test statistics and fit indices
  const p = categories.length;
  const pstar = (p * (p - 1)) / 2;
  let baseChisq = 0;
  samples.forEach((s, g) => {
    for (let r = s.nThresholds; r < K; r++) baseChisq += (s.n - 1) * groups[g].weights[r] * s.statistics[r] * s.statistics[r];
  });
  const baseDf = G * pstar;
  const rm = rmsea(chisq, df, nTotal, G);
  const srmrs = samples.map((s, g) => srmrGroup(s.cor, new Float64Array(p), implied[g].correlation, new Float64Array(p), p, false));
  let fit: OrdinalFit = {
    chisq,
    df,
    pvalue: estimator === 'uls' ? NaN : df > 0 ? chiSquareUpperTail(chisq, df) : NaN,
    baselineChisq: baseChisq,
    baselineDf: baseDf,
    cfi: cfi(chisq, df, baseChisq, baseDf),
    tli: tli(chisq, df, baseChisq, baseDf),
    rmsea: rm.rmsea,
    rmseaLower: rm.lower,
    rmseaUpper: rm.upper,
    srmr: srmr(srmrs, samples.map((s) => s.n)),
    aic: NaN,
    bic: NaN,
    logl: NaN,
    npar: q,
  };
  if (estimator === 'wlsmv' && robust && df > 0) {
    const ss = scaledShifted(chisq, df, robust.traceUG, robust.traceUG2);
    const bs = scaledShifted(baseChisq, baseDf, robust.baselineTraceUG, robust.baselineTraceUG2);
    const rs = rmsea(ss.chisq, df, nTotal, G);
    fit = {
      ...fit,
      chisqScaled: ss.chisq,
      dfScaled: df,
      pvalueScaled: chiSquareUpperTail(ss.chisq, df),
      scalingFactor: ss.scalingFactor,
      shiftParameter: ss.shift,
      baselineChisqScaled: bs.chisq,
      baselineScalingFactor: bs.scalingFactor,
      cfiScaled: cfi(ss.chisq, df, bs.chisq, baseDf),
      tliScaled: tli(ss.chisq, df, bs.chisq, baseDf),
      rmseaScaled: rs.rmsea,
      rmseaLowerScaled: rs.lower,
      rmseaUpperScaled: rs.upper,
    };
    const nThresholdParams = model.thresholds.flat().filter((t, i, all) => t.free > 0 && all.findIndex((u) => u.free === t.free) === i).length;
    const interceptParams = new Set(model.table.rows.filter((r) => r.op === '~1' && r.free > 0).map((r) => r.free)).size;
    const df3 = G * pstar - (q - nThresholdParams - interceptParams);
    // lavaan's cat-ML refit drops the thresholds, so with thresholds held equal across groups its
    // equality constraints fail and lavaan reports NA; so does seici
    const cat = options.ordinal?.equalThresholds ? null : catMlRobust(
      samples.map((s, g) => ({ n: s.n, fraction: groups[g].fraction, p, cor: s.cor, implied: implied[g].correlation, weights: groups[g].weights.subarray(s.nThresholds) })),
      jac,
      gamma,
      eInv!,
      q,
      df3,
    );
    if (cat) {
      const robustRmsea = rmsea(cat.chisq / cat.cHat, df3, nTotal, G, cat.cHat);
      const point = df3 > 0 ? Math.sqrt(Math.max(cat.chisq / nTotal / df3 - cat.cHat / nTotal, 0)) * Math.sqrt(G) : 0;
      fit = {
        ...fit,
        cfiRobust: robustCfi(cat.chisq, df, cat.cHat, cat.baselineChisq, baseDf, cat.baselineCHat),
        tliRobust: robustTli(cat.chisq, df, cat.cHat, cat.baselineChisq, baseDf, cat.baselineCHat),
        rmseaRobust: point,
        rmseaLowerRobust: robustRmsea.lower,
        rmseaUpperRobust: robustRmsea.upper,
      };
    } else if (!options.ordinal?.equalThresholds) {
      warnings.push('a polychoric or implied correlation matrix is not positive definite, so the robust CFI/TLI/RMSEA (cat-ML) are not available (lavaan reports NA).');
    }
  }

  // estimates: the structural table's rows, thresholds and scale factors, as lavaan's parameterEstimates
  const estimates: SemEstimate[] = [];
  const { structure } = model;
  for (let g = 0; g < G; g++) {
    const { mats, implied: mom, scale } = implied[g];
    const group = G > 1 ? { group: labels[g] } : {};
    const push = (lhs: string, op: string, rhs: string, free: number, est: number, std: number, stdLv: number, label = '') => {
      const s = se(free);
      const z = free > 0 && s > 0 ? est / s : null;
      estimates.push({ lhs, op, rhs, ...group, ...(label && !label.startsWith('.') ? { label } : {}), free: free > 0, est, se: s, z, pvalue: z === null ? null : normalTwoSided(z), std, stdLv });
    };
    for (const e of structure.entries[g]) {
      const r = model.table.rows[e.row];
      if (r.op === '~~' && r.lhs === r.rhs && e.mat === Mat.Theta) continue; // residual variances come after the thresholds
      const est = r.free > 0 ? x[r.free - 1] : r.value;
      const std = standardizedValue(structure, e, est, mom, mats);
      push(r.lhs, r.op, r.rhs, r.free, est, std.stdAll, std.stdLv, r.label);
    }
    for (const t of model.thresholds[g]) {
      const est = t.free > 0 ? x[t.free - 1] : t.value;
      const sd = Math.sqrt(mom.sigma[t.variable * p + t.variable]);
      push(structure.observed[t.variable], '|', `t${t.k}`, t.free, est, est / sd, est);
    }
    for (const e of structure.entries[g]) {
      const r = model.table.rows[e.row];
      if (!(r.op === '~~' && r.lhs === r.rhs && e.mat === Mat.Theta)) continue;
      const est = mats.theta[e.i * p + e.i];
      const std = standardizedValue(structure, e, est, mom, mats);
      push(r.lhs, r.op, r.rhs, r.free, est, std.stdAll, std.stdLv, r.label);
    }
    for (const sc of model.scales[g]) {
      const est = model.parameterization === 'delta' ? (sc.free > 0 ? x[sc.free - 1] : sc.value) : scale[sc.variable];
      push(structure.observed[sc.variable], '~*~', structure.observed[sc.variable], model.parameterization === 'delta' ? sc.free : 0, est, 1, est);
    }
  }
  const r2: { variable: string; group?: string; r2: number }[] = [];
  implied.forEach(({ mats, implied: mom }, g) => {
    for (let i = 0; i < p; i++) {
      const v = mom.sigma[i * p + i];
      r2.push({ variable: structure.observed[i], ...(G > 1 ? { group: labels[g] } : {}), r2: 1 - mats.theta[i * p + i] / v });
    }
  });
  const result = {
    n: nTotal,
    nGroups: G,
    groupLabels: G > 1 ? labels : [],
    groupSizes: samples.map((s) => s.n),
    converged: est.converged,
    fit,
    estimates,
    r2,
    options: {
      stdLv: table.stdLv,
      missing: 'listwise' as const,
      fixedX: true,
      meanstructure: table.meanstructure,
      groupEqual: table.groupEqual,
      groupPartial: table.groupPartial,
      estimator,
      parameterization,
      ordered: structure.observed,
      information: 'expected',
    },
    diagnostics: { converged: est.converged, iterations: est.iterations, warnings },
  };
  const internal: OrdinalInternal = { model, x, samples, groups, jacobian: jac, information: E, eInv, robust, nTotal };
  Object.defineProperty(result, 'internal', { value: internal, enumerable: false });
  return result as unknown as SemResult;
}

/** The thresholds, polychorics and Gamma of every group (shared by the fits of an invariance sequence). */
export function ordinalSamples(data: OrdinalData): OrdinalGroupSample[] {
  return data.codes.map((c, g) => ordinalGroupSample(c, data.categories, data.labels[g]));
}

/** Readable notes on the sample statistics: empty cells, unconverged or non-positive-definite polychorics. */
export function ordinalSampleWarnings(samples: readonly OrdinalGroupSample[], p: number): string[] {
  const warnings: string[] = [];
  for (const s of samples) {
    const where = samples.length > 1 ? ` in group ${s.label}` : '';
    if (s.emptyCellPairs > 0) warnings.push(`${s.emptyCellPairs} pair${s.emptyCellPairs === 1 ? '' : 's'} of items${where} ha${s.emptyCellPairs === 1 ? 's' : 've'} empty cells in their bivariate table (the polychoric correlations are estimated without a continuity correction, as lavaan).`);
    if (s.unconverged > 0) warnings.push(`${s.unconverged} polychoric correlation${s.unconverged === 1 ? '' : 's'}${where} did not converge.`);
    if (!cholesky(Float64Array.from(s.cor), p)) warnings.push(`the polychoric correlation matrix${where} is not positive definite.`);
  }
  return warnings;
}

/** lavaan's lav_fit_cfi with scaling factors: 1 − max(T − ĉ·df, 0)/max(T − ĉ·df, T_b − ĉ_b·df_b, 0). */
function robustCfi(t: number, df: number, c: number, tb: number, dfb: number, cb: number): number {
  const t1 = Math.max(t - c * df, 0);
  const t2 = Math.max(t - c * df, tb - cb * dfb, 0);
  return t1 === 0 && t2 === 0 ? 1 : 1 - t1 / t2;
}

/** lavaan's lav_fit_tli with scaling factors: 1 − [(T − ĉ·df)·df_b]/[(T_b − ĉ_b·df_b)·df]. */
function robustTli(t: number, df: number, c: number, tb: number, dfb: number, cb: number): number {
  if (df <= 0) return 1;
  return 1 - ((t - c * df) * dfb) / ((tb - cb * dfb) * df);
}

/**
 * Start values: the continuous structure's start from the polychoric matrices (as if they were
 * covariances), thresholds at their sample values rescaled to the start's y* standard deviations,
 * free scale factors at 1.
 */
function ordinalStart(model: OrdinalModel, samples: readonly OrdinalGroupSample[]): Float64Array {
  const p = model.categories.length;
  const pseudo: GroupSample[] = samples.map((s) => {
    const l = cholesky(Float64Array.from(s.cor), p);
    return { label: s.label, n: s.n, mean: new Float64Array(p), cov: s.cor, logDetCov: l ? choleskyLogDet(l, p) : NaN };
  });
  const structural = startValues(model.structure, pseudo);
  const x = new Float64Array(model.nFree);
  x.set(structural);
  for (let g = 0; g < samples.length; g++) {
    for (const sc of model.scales[g]) if (sc.free > 0) x[sc.free - 1] = 1;
  }
  for (let g = samples.length - 1; g >= 0; g--) {
    // under theta the thresholds live on the y* scale of the start: τ = τ*·sd(y*)
    let sd: Float64Array = new Float64Array(p).fill(1);
    if (model.parameterization === 'theta') {
      const probe = modelStructureVariances(model, g, x);
      if (probe) sd = probe;
    }
    model.thresholds[g].forEach((t, r) => {
      if (t.free > 0) x[t.free - 1] = samples[g].statistics[r] * sd[t.variable];
    });
  }
  return x;
}

/** The y* standard deviations implied by x under the theta parameterization (null if one is not positive). */
function modelStructureVariances(model: OrdinalModel, g: number, x: Float64Array): Float64Array | null {
  const { p, m } = model.structure;
  const mom = impliedMoments(groupMatrices(model.structure, g, x), p, m);
  if (!mom) return null;
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const v = mom.sigma[i * p + i];
    if (!(v > 0)) return null;
    out[i] = Math.sqrt(v);
  }
  return out;
}
