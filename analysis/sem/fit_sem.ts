import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { cholesky, choleskyLogDet, dependentColumns } from './dense.js';
import { expectedInformation } from './expected_information.js';
import { fisherScoring } from './fisher_scoring.js';
import { quasiNewton } from './quasi_newton.js';
import { robustFitIndices } from './fit_robust.js';
import { baselineScalingFactor, robustMl } from './robust_ml.js';
import { fimlCorrectedTest } from './fiml_corrected.js';
import { noncentralChiSquareCdf } from '../math/noncentral_chi_square.js';
import { blockOrder, factorInformation } from './information_factor.js';
import { baselineChisq } from './fit_baseline.js';
import { cfi } from './fit_cfi.js';
import { informationCriteria } from './fit_information_criteria.js';
import { rmsea } from './fit_rmsea.js';
import { srmr, srmrGroup } from './fit_srmr.js';
import { tli } from './fit_tli.js';
import { Mat, modelStructure, type ModelStructure } from './model_matrices.js';
import { evaluateExpression, expressionLabels, parseModelSyntax, type Statement } from './model_syntax.js';
import { chiSquareUpperTail } from '../math/chi_square_distribution.js';
import { normalTwoSided } from '../math/normal_distribution.js';
import { estimationData, evaluateModel, type EstimationData, type ModelEvaluation } from './objective.js';
import { observedInformation } from './observed_information.js';
import { buildParameterTable, exogenousObserved, observedCovariates, type GroupEqual, type ParameterTable } from './parameter_table.js';
import { columnSampleStatistics, sampleStatistics, type GroupSample, type SemMissing } from './sample_statistics.js';
import { rowsFromColumns, type NumericColumns } from '../data/columns.js';
import { standardizedValue } from './standardized_solution.js';
import { startValues } from './start_values.js';

/** The data a model is fitted to: rows × named numeric columns (NaN missing), optional group labels. */
export interface SemData {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly number[])[];
  /** One group label per row (null: row left out) for a multi-group fit. */
  readonly groups?: readonly (string | null)[];
}

/**
 * {@link SemData} column-stored: `values.columns[j]` holds column `columns[j]` (NaN missing), as
 * the streaming CSV reader gives them. A listwise ML fit reads its sample moments straight from
 * the columns; full-information ML and MLR, which work row by row, build rows of the model's
 * variables only.
 */
export interface SemColumns {
  readonly columns: readonly string[];
  readonly values: NumericColumns;
  readonly groups?: readonly (string | null)[];
}

/** Column-stored data as rows (for analyses that take rows: the bootstrap, ordinal fits). */
export function semRows(input: SemData | SemColumns): SemData {
  return 'values' in input ? { columns: input.columns, rows: rowsFromColumns(input.values), groups: input.groups } : input;
}

function rowCount(input: SemData | SemColumns): number {
  return 'values' in input ? input.values.length : input.rows.length;
}

export interface SemOptions {
  readonly stdLv?: boolean;
  readonly missing?: SemMissing;
  readonly meanstructure?: boolean;
  readonly groupEqual?: readonly GroupEqual[];
  readonly groupPartial?: readonly string[];
  /**
   * Fix the moments of exogenous observed covariates at their sample values (lavaan's
   * fixed.x, default true). Under missing = "ml" a row whose covariate is missing is then
   * left out, as lavaan does; false makes the covariates random (free moments, rows kept).
   */
  readonly fixedX?: boolean;
  /**
   * `ml` (default) or `mlr`: robust ML as lavaan's estimator = "MLR" (Huber–White sandwich
   * standard errors from the observed information, the Yuan–Bentler scaled χ² and scaled and
   * robust CFI/TLI/RMSEA), with listwise deletion or full-information ML.
   */
  readonly estimator?: SemEstimator;
  /**
   * Compute standard errors (default true). Under missing = "ml" they need the observed
   * information, the costliest step; fits read only for their fit measures can skip it.
   */
  readonly standardErrors?: boolean;
}

/** How the model is estimated: maximum likelihood, or ML with robust (sandwich) inference. */
export type SemEstimator = 'ml' | 'mlr';

/** Estimators of models with ordered indicators (analysis/sem/ordinal). */
export type OrdinalEstimator = 'wlsmv' | 'dwls' | 'uls';

/** One parameter: lavaan's parameterEstimates row with standardized values. */
export interface SemEstimate {
  readonly lhs: string;
  readonly op: string;
  readonly rhs: string;
  readonly group?: string;
  readonly label?: string;
  readonly free: boolean;
  readonly est: number;
  readonly se: number;
  readonly z: number | null;
  readonly pvalue: number | null;
  /** lavaan's std.all. */
  readonly std: number;
  readonly stdLv: number;
}

/** Fit measures as lavaan::fitMeasures names them. */
export interface SemFit {
  readonly chisq: number;
  readonly df: number;
  readonly pvalue: number;
  readonly baselineChisq: number;
  readonly baselineDf: number;
  readonly cfi: number;
  readonly tli: number;
  readonly rmsea: number;
  readonly rmseaLower: number;
  readonly rmseaUpper: number;
  readonly srmr: number;
  readonly aic: number;
  readonly bic: number;
  readonly logl: number;
  readonly npar: number;
  /** Under estimator mlr: the Yuan–Bentler scaled test and the fit indices built on it (lavaan's *.scaled and *.robust). */
  readonly chisqScaled?: number;
  readonly pvalueScaled?: number;
  readonly scalingFactor?: number;
  readonly baselineChisqScaled?: number;
  readonly baselineScalingFactor?: number;
  readonly cfiScaled?: number;
  readonly tliScaled?: number;
  readonly rmseaScaled?: number;
  readonly cfiRobust?: number;
  readonly tliRobust?: number;
  readonly rmseaRobust?: number;
  /** The robust RMSEA's 90% interval and its close-fit p-value, H₀: RMSEA ≤ 0.05 (lavaan's rmsea.ci.*.robust, rmsea.pvalue.robust). */
  readonly rmseaLowerRobust?: number;
  readonly rmseaUpperRobust?: number;
  readonly rmseaPvalueRobust?: number;
}

/** A fitted model; `internal` holds what invariance tests and modification indices reuse. */
export interface SemResult {
  readonly n: number;
  readonly nGroups: number;
  readonly groupLabels: readonly string[];
  readonly groupSizes: readonly number[];
  readonly converged: boolean;
  readonly fit: SemFit;
  readonly estimates: readonly SemEstimate[];
  /** Explained variance of each indicator and endogenous latent variable, 1 − residual/total (lavaan's R²). */
  readonly r2: readonly { readonly variable: string; readonly group?: string; readonly r2: number }[];
  /**
   * Under missing = "ml" with fixed.x: the rows left out because an exogenous observed
   * covariate is missing in them (lavaan: "cases were deleted due to missing values in
   * exogenous variable(s), while fixed.x = TRUE").
   */
  readonly droppedMissingCovariate?: number;
  readonly options: { readonly stdLv: boolean; readonly missing: SemMissing; readonly fixedX: boolean; readonly estimator: SemEstimator | OrdinalEstimator; readonly parameterization?: 'delta' | 'theta'; readonly ordered?: readonly string[]; readonly meanstructure: boolean; readonly groupEqual: readonly GroupEqual[]; readonly groupPartial: readonly string[]; readonly information: 'expected' | 'observed' };
  readonly diagnostics: Diagnostics;
  readonly internal: SemInternal;
}

/** The fitted model's internals (not enumerable on a SemResult, so never serialised). */
export interface SemInternal {
  readonly model: ModelStructure;
  readonly data: EstimationData;
  readonly x: Float64Array;
  readonly evaluation: ModelEvaluation;
  readonly information: Float64Array;
}

/**
 * Fits a structural equation model written in lavaan syntax by maximum likelihood, as
 * lavaan::sem()/cfa() do by default (lavaan 0.6.14; Rosseel, 2012,
 * doi:10.18637/jss.v048.i02): data → parameter table → sample statistics (divisor N) →
 * start values → Fisher scoring on F_ML → implied moments → standard errors from the
 * expected information (observed information under missing = "ml", as lavaan) → χ² = N·F →
 * fit indices. Listwise deletion on the model's variables or full-information ML; several
 * groups with a mean structure and optional `groupEqual` constraints. Bad input (unknown
 * variables, too few rows, a model with more parameters than moments or whose parameters
 * are not identified) throws an InputError; numerical trouble (non-convergence, negative
 * variances, a non-positive-definite latent covariance matrix) goes to `diagnostics`.
 */
export function fitSem(input: SemData | SemColumns, model: string | readonly Statement[], options: SemOptions = {}): SemResult {
  const statements = typeof model === 'string' ? parseModelSyntax(model) : model;
  const missing = options.missing ?? 'listwise';
  const { labels, groupOf } = groupLabels(input);
  const table = buildParameterTable(statements, {
    groups: labels.length,
    stdLv: options.stdLv,
    meanstructure: options.meanstructure || missing === 'ml',
    groupEqual: options.groupEqual,
    groupPartial: options.groupPartial,
    fixedX: options.fixedX,
  });
  return fitTable(table, input, labels, groupOf, missing, options.standardErrors ?? true, options.estimator ?? 'ml');
}

/** Fits a ready parameter table (used by invariance testing to refit with other constraints). */
export function fitTable(
  table: ParameterTable,
  input: SemData | SemColumns,
  labels: readonly string[],
  groupOf: readonly number[],
  missing: SemMissing,
  standardErrors = true,
  estimator: SemEstimator = 'ml',
): SemResult {
  for (const v of table.observed) {
    if (!input.columns.includes(v)) throw new InputError('model', `model names "${v}", which is neither a latent variable nor a column of the data.`);
  }
  const idx = table.observed.map((v) => input.columns.indexOf(v));
  const robust = estimator === 'mlr';
  // column-stored data under listwise ML: the moments from the columns, no rows at all
  const columnsOnly = 'values' in input && missing === 'listwise' && !robust;
  const modelColumns = 'values' in input ? idx.map((j) => input.values.columns[j]) : null;
  const rows: readonly (readonly number[])[] = columnsOnly
    ? []
    : modelColumns !== null
    ? rowsFromColumns({ length: rowCount(input), columns: modelColumns })
    : (input as SemData).rows.map((r) => idx.map((j) => r[j]));
  const structure = modelStructure(table);
  const { p } = structure;
  // fixed.x under FIML: the covariates' moments are fixed at sample values, so a row missing one is left out (lavaan)
  const exoCols = exogenousObserved(table).map((v) => table.observed.indexOf(v));
  let droppedMissingCovariate = 0;
  if (missing === 'ml' && exoCols.length > 0) {
    groupOf = groupOf.map((g, r) => {
      if (g < 0 || !exoCols.some((j) => Number.isNaN(rows[r][j]))) return g;
      droppedMissingCovariate++;
      return -1;
    });
  }
  const samples = columnsOnly ? columnSampleStatistics(modelColumns!, rowCount(input), groupOf, labels) : sampleStatistics(rows, groupOf, labels, missing);
  for (const s of samples) {
    const where = labels.length > 1 ? ` in group ${s.label}` : '';
    if (s.n < 2) throw new InputError('csv', `the data have ${s.n} usable row${s.n === 1 ? '' : 's'}${where} for the model's variables; at least 2 are needed.`);
    if (!Number.isFinite(s.logDetCov)) {
      throw new InputError('csv', `the sample covariance matrix${where} is singular: some model variable is constant or a linear combination of others.`);
    }
  }
  // moments of exogenous covariates are fixed at their sample values and do not count (fixed.x)
  const nx = exogenousObserved(table).length;
  const moments = samples.length * ((p * (p + 1)) / 2 + (table.meanstructure ? p : 0) - (nx * (nx + 1)) / 2 - (table.meanstructure ? nx : 0));
  const df = moments - table.nFree;
  if (df < 0) {
    throw new InputError('model', `model is not identified: it has ${table.nFree} free parameters but the data give only ${moments} sample moments.`);
  }
  const data = estimationData(structure, samples);
  const x0 = startValues(structure, samples);
  const startEval = evaluateModel(structure, data, x0, true);
  const order = blockOrder(structure);
  // thousands of missing-data patterns make the pattern-wise expected information the costliest
  // step of each iteration: the complete-data information steers the search instead
  const byPattern = patternWork(structure, samples) < 2e7;
  const steer = (ev: ModelEvaluation) => expectedInformation(structure, data, ev, { byPattern });
  if (startEval) {
    const info0 = steer(startEval);
    const dep = factorInformation(info0, table.nFree, order, 1, 1e-8) ? [] : dependentColumns(info0, table.nFree, 1e-8);
    if (dep.length > 0) {
      const r = table.rows.find((row) => row.free === dep[0] + 1)!;
      throw new InputError(
        'model',
        `model is not identified: parameter "${r.lhs} ${r.op}${r.rhs ? ' ' + r.rhs : ''}" cannot be told apart from the others (fix a loading or a latent variance to set each factor's scale).`,
      );
    }
  }
  const warnings: string[] = [];
  if (droppedMissingCovariate > 0) {
    const names = exoCols.map((j) => table.observed[j]).join(', ');
    warnings.push(
      `${droppedMissingCovariate} row${droppedMissingCovariate === 1 ? ' was' : 's were'} left out because an exogenous covariate (${names}) is missing; with fixed.x its moments are fixed at their sample values (as lavaan; fixed.x false keeps them).`,
    );
  }
  let opt = fisherScoring(structure, data, x0, { maxIterations: 100, information: steer });
  if (!opt || !opt.converged) {
    // Fisher scoring stalled (a nearly singular information on its path): BFGS from the start, then polish
    const qn = quasiNewton(structure, data, x0);
    if (qn && (!opt || qn.evaluation.f < opt.evaluation.f)) {
      const polished = fisherScoring(structure, data, qn.x, { information: steer });
      const best = polished && polished.evaluation.f <= qn.evaluation.f ? polished : qn;
      opt = { ...best, iterations: (opt?.iterations ?? 0) + qn.iterations + (polished?.iterations ?? 0) };
    }
  }
  if (!opt) throw new InputError('model', 'the start values give a non-positive-definite implied covariance matrix; give start() values.');
  if (!opt.converged) warnings.push(`the optimizer did not converge (${opt.message}) after ${opt.iterations} iterations.`);
  const { x, evaluation } = opt;
  const fimL = missing === 'ml';
  const nTotal = data.nTotal;
  // standard errors
  let information: Float64Array | null = null;
  if ((fimL || robust) && standardErrors) {
    information = observedInformation(structure, data, x);
    if (!information) warnings.push('the observed information could not be computed; standard errors use the expected information.');
  }
  // without standard errors under FIML the information is only kept for the record: the cheap one
  information ??= fimL && !standardErrors ? steer(evaluation) : expectedInformation(structure, data, evaluation);
  const q = table.nFree;
  const skipSe = fimL && !standardErrors;
  const infoFactor = skipSe ? null : factorInformation(information, q, order, nTotal);
  // MLR: the sandwich A⁻¹BA⁻¹/N replaces the inverse information
  const usable = (r: readonly number[]) => (fimL ? r.some((v) => !Number.isNaN(v)) : r.every((v) => !Number.isNaN(v)));
  const groupRows = robust ? labels.map((_, g) => rows.filter((r, i) => groupOf[i] === g && usable(r))) : [];
  const sandwich = robust && infoFactor ? robustMl(structure, evaluation, groupRows, information, df, fimL ? samples : undefined, table.fixedX ? exoCols : []) : null;
  const covariance = sandwich
    ? { quadratic: (c: ArrayLike<number>) => quadraticForm(sandwich.covariance, c, q), inverseDiagonal: () => Float64Array.from({ length: q }, (_, k) => sandwich.covariance[k * q + k]) }
    : infoFactor;
  const variances = covariance ? covariance.inverseDiagonal() : null;
  if (!variances && !skipSe) warnings.push('the information matrix is not positive definite: standard errors are not available (the model may not be identified).');

  const estimates: SemEstimate[] = [];
  for (let g = 0; g < samples.length; g++) {
    const { implied, mats } = evaluation.groups[g];
    for (const e of structure.entries[g]) {
      const r = table.rows[e.row];
      const est = r.free > 0 ? x[r.free - 1] : r.value;
      const se = r.free > 0 ? (variances ? Math.sqrt(Math.max(variances[r.free - 1], 0)) : NaN) : 0;
      const z = r.free > 0 && se > 0 ? est / se : null;
      const std = standardizedValue(structure, e, est, implied, mats);
      estimates.push({
        lhs: r.lhs,
        op: r.op,
        rhs: r.rhs,
        ...(labels.length > 1 ? { group: labels[g] } : {}),
        ...(r.label && !r.label.startsWith('.') ? { label: r.label } : {}),
        free: r.free > 0,
        est,
        se,
        z,
        pvalue: z === null ? null : normalTwoSided(z),
        std: std.stdAll,
        stdLv: std.stdLv,
      });
    }
  }
  estimates.push(...definedParameters(table, estimates, x, covariance));
  warnings.push(...admissibility(structure, evaluation, labels));

  // test statistic and fit indices
  const chisq = nTotal * evaluation.f;
  const exoIdx = exogenousObserved(table).map((v) => table.observed.indexOf(v));
  // the baseline keeps the covariates' covariances with fixed.x and without (lavaan 0.6.14)
  const base = baselineChisq(samples, data.h1, p, observedCovariates(table).map((v) => table.observed.indexOf(v)));
  const rm = rmsea(chisq, df, nTotal, samples.length);
  const srmrs = samples.map((s, g) =>
    srmrGroup(s.cov, s.mean, evaluation.groups[g].implied.sigma, evaluation.groups[g].implied.mu, p, table.meanstructure),
  );
  const ic = informationCriteria(saturatedLogl(samples, data.h1, p) - covariateLogl(samples, exoIdx, p), chisq, q, nTotal);
  const fit: SemFit = {
    chisq,
    df,
    pvalue: df > 0 ? chiSquareUpperTail(chisq, df) : NaN,
    baselineChisq: base.chisq,
    baselineDf: base.df,
    cfi: cfi(chisq, df, base.chisq, base.df),
    tli: tli(chisq, df, base.chisq, base.df),
    rmsea: rm.rmsea,
    rmseaLower: rm.lower,
    rmseaUpper: rm.upper,
    srmr: srmr(srmrs, samples.map((s) => s.n)),
    ...ic,
    npar: q,
    ...(sandwich ? scaledFit(chisq, df, sandwich, base, groupRows, p, table.meanstructure, nTotal, table.fixedX ? exoIdx : [], fimL ? { structure, evaluation, samples, warnings } : undefined) : {}),
  };
  const result = {
    n: nTotal,
    nGroups: samples.length,
    groupLabels: labels.length > 1 ? labels : [],
    groupSizes: samples.map((s) => s.n),
    converged: opt.converged,
    fit,
    estimates,
    r2: explainedVariance(structure, evaluation, labels),
    ...(missing === 'ml' && exoCols.length > 0 ? { droppedMissingCovariate } : {}),
    options: {
      stdLv: table.stdLv,
      missing,
      fixedX: table.fixedX,
      meanstructure: table.meanstructure,
      groupEqual: table.groupEqual,
      groupPartial: table.groupPartial,
      estimator,
      information: ((fimL || robust) && standardErrors ? 'observed' : 'expected') as 'observed' | 'expected',
    },
    diagnostics: { converged: opt.converged, iterations: opt.iterations, warnings },
  };
  // the fitted internals travel with the result without showing up in its JSON
  Object.defineProperty(result, 'internal', { value: { model: structure, data, x, evaluation, information }, enumerable: false });
  return result as unknown as SemResult;
}

/** Pair visits of one pattern-wise information: Σ_g patterns_g × (free entries of group g)². */
function patternWork(model: ModelStructure, samples: readonly GroupSample[]): number {
  return samples.reduce((w, s, g) => {
    const k = model.entries[g].filter((e) => e.free > 0).length;
    return w + (s.patterns?.length ?? 1) * k * k;
  }, 0);
}

/**
 * The scaled χ², its p-value and the scaled and robust fit indices of an MLR fit. With complete
 * data the robust indices use T and the Yuan–Bentler c; under full-information ML (`fiml`) lavaan
 * 0.6.14 builds them on the FIML-corrected test instead (`fimlCorrectedTest`), with the fixed
 * exogenous covariates' own moments left out of its saturated information (fixed.x).
 */
function scaledFit(
  chisq: number,
  df: number,
  { scalingFactor: c, traceH1 }: { scalingFactor: number; traceH1: number },
  base: { chisq: number; df: number },
  groupRows: readonly (readonly (readonly number[])[])[],
  p: number,
  meanstructure: boolean,
  n: number,
  exogenous: readonly number[],
  fiml?: { structure: ModelStructure; evaluation: ModelEvaluation; samples: readonly GroupSample[]; warnings: string[] },
): Partial<SemFit> {
  const G = groupRows.length;
  const cb = baselineScalingFactor(groupRows, p, meanstructure, base.df, fiml?.samples, traceH1, exogenous);
  const indices = robustFitIndices(chisq, df, c, base.chisq, base.df, cb, n, G);
  const scaled = {
    chisqScaled: chisq / c,
    pvalueScaled: df > 0 ? chiSquareUpperTail(chisq / c, df) : NaN,
    scalingFactor: c,
    baselineChisqScaled: base.chisq / cb,
    baselineScalingFactor: cb,
    cfiScaled: indices.cfiScaled,
    tliScaled: indices.tliScaled,
    rmseaScaled: indices.rmseaScaled,
  };
  if (!fiml) return { ...scaled, cfiRobust: indices.cfiRobust, tliRobust: indices.tliRobust, ...robustRmsea(chisq, df, c, n, G) };
  const corrected = df > 0 ? fimlCorrectedTest(fiml.structure, fiml.evaluation, groupRows, fiml.samples, df, base.df, exogenous) : null;
  if (!corrected) {
    if (df > 0) fiml.warnings.push('the FIML-corrected test behind the robust CFI/TLI/RMSEA could not be computed (a singular information matrix).');
    return scaled;
  }
  const robust = robustFitIndices(corrected.chisq, df, corrected.scalingFactor, corrected.baselineChisq, base.df, corrected.baselineScalingFactor, n, G);
  return {
    ...scaled,
    cfiRobust: robust.cfiRobust,
    tliRobust: robust.tliRobust,
    ...robustRmsea(corrected.chisq, df, corrected.scalingFactor, n, G),
  };
}

/**
 * The robust RMSEA from a statistic T with scaling factor ĉ (lavaan 0.6.14's lav_fit_rmsea with
 * c.hat): √G·√max(T/(N·df) − ĉ/N, 0); its 90% interval from T/ĉ with the bounds scaled by ĉ
 * (lav_fit_rmsea_ci with c.hat), and the close-fit p-value P(χ²(df, λ₀) ≥ T/ĉ) with
 * λ₀ = N·df·0.05²/(ĉ·G) (lav_fit_rmsea_closefit).
 */
function robustRmsea(t: number, df: number, cHat: number, n: number, groups: number): Pick<SemFit, 'rmseaRobust' | 'rmseaLowerRobust' | 'rmseaUpperRobust' | 'rmseaPvalueRobust'> {
  if (!(df > 0)) return { rmseaRobust: 0, rmseaLowerRobust: 0, rmseaUpperRobust: 0, rmseaPvalueRobust: NaN };
  const ci = rmsea(t / cHat, df, n, groups, cHat);
  return {
    rmseaRobust: Math.sqrt(groups) * Math.sqrt(Math.max(t / n / df - cHat / n, 0)),
    rmseaLowerRobust: ci.lower,
    rmseaUpperRobust: ci.upper,
    rmseaPvalueRobust: 1 - noncentralChiSquareCdf(t / cHat, df, (n * df * 0.05 ** 2) / (cHat * groups)),
  };
}

/** cᵀMc for a q × q matrix M. */
function quadraticForm(m: Float64Array, c: ArrayLike<number>, q: number): number {
  let s = 0;
  for (let i = 0; i < q; i++) {
    if (c[i] === 0) continue;
    let t = 0;
    for (let j = 0; j < q; j++) t += m[i * q + j] * c[j];
    s += c[i] * t;
  }
  return s;
}

/** Log-likelihood of the saturated model: Σ −½[n_obs·ln 2π + n_g·h1_g], n_obs counting observed values. */
function saturatedLogl(samples: readonly GroupSample[], h1: readonly number[], p: number): number {
  let ll = 0;
  for (let g = 0; g < samples.length; g++) {
    const s = samples[g];
    const values = s.patterns ? s.patterns.reduce((a, pt) => a + pt.n * pt.observed.length, 0) : s.n * p;
    ll += -0.5 * (values * Math.log(2 * Math.PI) + s.n * h1[g]);
  }
  return ll;
}

/**
 * The saturated log-likelihood of the exogenous covariates alone, Σ_g −(n_g/2)(k ln 2π + ln|S_xx| + k):
 * with fixed.x lavaan reports the likelihood of the outcomes given the covariates, i.e. the
 * joint likelihood less this marginal part.
 */
function covariateLogl(samples: readonly GroupSample[], idx: readonly number[], p: number): number {
  const k = idx.length;
  if (k === 0) return 0;
  let ll = 0;
  for (const s of samples) {
    const sxx = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sxx[a * k + b] = s.cov[idx[a] * p + idx[b]];
    const l = cholesky(sxx, k);
    const logDet = l ? choleskyLogDet(l, k) : NaN;
    ll += -0.5 * s.n * (k * Math.log(2 * Math.PI) + logDet + k);
  }
  return ll;
}

/**
 * Defined parameters (`name := expression`, lavaan's :=): the expression at the estimates, its
 * standard error by the delta method, √(∇gᵀ Cov(θ̂) ∇g) with ∇g by central differences, and its
 * standardized values from the labelled parameters' std.all and std.lv values (as lavaan).
 */
function definedParameters(
  table: ParameterTable,
  estimates: readonly SemEstimate[],
  x: Float64Array,
  factor: { quadratic(c: ArrayLike<number>): number } | null,
): SemEstimate[] {
  if (table.defined.length === 0) return [];
  const byLabel = new Map<string, { free: number; est: number; std: number; stdLv: number }>();
  table.rows.forEach((r, i) => {
    if (r.label !== '' && !byLabel.has(r.label)) byLabel.set(r.label, { free: r.free, est: estimates[i].est, std: estimates[i].std, stdLv: estimates[i].stdLv });
  });
  return table.defined.map((d) => {
    const at = (theta: ArrayLike<number>) =>
      evaluateExpression(d.expression, (l) => {
        const b = byLabel.get(l)!;
        return b.free > 0 ? theta[b.free - 1] : b.est;
      });
    const est = at(x);
    const grad = new Float64Array(x.length);
    const xp = Float64Array.from(x);
    for (const l of new Set(expressionLabels(d.expression))) {
      const k = byLabel.get(l)!.free - 1;
      if (k < 0) continue;
      const h = 1e-6 * Math.max(1, Math.abs(x[k]));
      xp[k] = x[k] + h;
      const up = at(xp);
      xp[k] = x[k] - h;
      const down = at(xp);
      xp[k] = x[k];
      grad[k] = (up - down) / (2 * h);
    }
    const se = factor ? Math.sqrt(Math.max(factor.quadratic(grad), 0)) : NaN;
    const z = se > 0 ? est / se : null;
    return {
      lhs: d.name,
      op: ':=',
      rhs: d.text,
      free: false,
      est,
      se,
      z,
      pvalue: z === null ? null : normalTwoSided(z),
      std: evaluateExpression(d.expression, (l) => byLabel.get(l)!.std),
      stdLv: evaluateExpression(d.expression, (l) => byLabel.get(l)!.stdLv),
    };
  });
}

/**
 * R² of the observed indicators (1 − θ_ii/σ_ii) and of latent outcomes (1 − ψ_jj/m_jj), as
 * lavaan::inspect(fit, "r2"); NaN (JSON null) where the residual variance is negative, as lavaan's NA.
 */
function explainedVariance(model: ModelStructure, evaluation: ModelEvaluation, labels: readonly string[]) {
  const { p, m } = model;
  const out: { variable: string; group?: string; r2: number }[] = [];
  const ratio = (residual: number, total: number) => (residual < 0 ? NaN : 1 - residual / total);
  evaluation.groups.forEach(({ mats, implied }, g) => {
    const group = labels.length > 1 ? { group: labels[g] } : {};
    const predicted = (j: number) => model.entries[g].some((e) => e.mat === Mat.Beta && e.i === j);
    for (let i = 0; i < p; i++) {
      const loaded = model.entries[g].some((e) => e.mat === Mat.Lambda && e.i === i);
      const ph = model.phantomOf.indexOf(i);
      if (loaded) out.push({ variable: model.observed[i], ...group, r2: ratio(mats.theta[i * p + i], implied.sigma[i * p + i]) });
      else if (ph >= 0 && predicted(ph)) out.push({ variable: model.observed[i], ...group, r2: ratio(mats.psi[ph * m + ph], implied.latentCov[ph * m + ph]) });
    }
    for (let j = 0; j < m; j++) {
      if (model.phantomOf[j] >= 0 || !predicted(j)) continue;
      out.push({ variable: model.latentAll[j], ...group, r2: ratio(mats.psi[j * m + j], implied.latentCov[j * m + j]) });
    }
  });
  return out;
}

/** Heywood cases and non-positive-definite latent covariance matrices, as readable warnings. */
function admissibility(model: ModelStructure, evaluation: ModelEvaluation, labels: readonly string[]): string[] {
  const out: string[] = [];
  const { p, m } = model;
  evaluation.groups.forEach(({ mats }, g) => {
    const where = labels.length > 1 ? ` in group ${labels[g]}` : '';
    for (let i = 0; i < p; i++) {
      if (mats.theta[i * p + i] < 0) out.push(`Heywood case: the residual variance of ${model.observed[i]} is negative (${mats.theta[i * p + i].toFixed(4)})${where}.`);
    }
    const lat: number[] = [];
    for (let j = 0; j < m; j++) {
      if (model.phantomOf[j] >= 0) continue;
      lat.push(j);
      if (mats.psi[j * m + j] < 0) out.push(`Heywood case: the variance of ${model.latentAll[j]} is negative (${mats.psi[j * m + j].toFixed(4)})${where}.`);
    }
    if (lat.length > 1) {
      const k = lat.length;
      const sub = new Float64Array(k * k);
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sub[a * k + b] = mats.psi[lat[a] * m + lat[b]];
      const anyNegative = lat.some((j) => mats.psi[j * m + j] < 0);
      if (!anyNegative && !cholesky(sub, k)) out.push(`the covariance matrix of the latent variables is not positive definite${where}.`);
      for (let a = 0; a < k; a++)
        for (let b = 0; b < a; b++) {
          const r = sub[a * k + b] / Math.sqrt(sub[a * k + a] * sub[b * k + b]);
          if (Math.abs(r) > 1) out.push(`the correlation of ${model.latentAll[lat[a]]} and ${model.latentAll[lat[b]]} exceeds 1 in absolute value (${r.toFixed(4)})${where}.`);
        }
    }
  });
  return out;
}

/**
 * The groups of a multi-group fit in order of first appearance, as lavaan orders them, and each
 * row's group index (−1 for a row without a group); one unnamed group when there is no group column.
 */
export function groupLabels(input: SemData | SemColumns): { labels: string[]; groupOf: number[] } {
  const labels: string[] = [];
  let groupOf: number[];
  if (input.groups) {
    if (input.groups.length !== rowCount(input)) throw new InputError('group', 'group must give one label per data row.');
    for (const gl of input.groups) if (gl !== null && !labels.includes(gl)) labels.push(gl);
    if (labels.length < 2) throw new InputError('group', `group must have at least 2 different values; got ${labels.length}.`);
    groupOf = input.groups.map((gl) => (gl === null ? -1 : labels.indexOf(gl)));
  } else {
    labels.push('');
    groupOf = new Array<number>(rowCount(input)).fill(0);
  }
  return { labels, groupOf };
}
