import type { Diagnostics } from '../../diagnostics.js';
import { InputError } from '../../errors.js';
import { chiSquareUpperTail } from '../../math/chi_square_distribution.js';
import { addTransposeProduct } from '../../math/blocked_products.js';
import { schurFactor, schurSolve, type SchurFactor } from '../../math/schur_solve.js';
import type { SemData, SemResult } from '../fit_sem.js';
import { parseModelSyntax, type Statement } from '../model_syntax.js';
import { buildParameterTable, observedCovariates, type GroupEqual } from '../parameter_table.js';
import { fitOrdinalTable, ordinalData, ordinalSamples, ordinalSampleWarnings, type OrdinalData, type OrdinalFit, type OrdinalInternal } from './fit_ordinal.js';
import type { OrdinalModelOptions } from './ordinal_model.js';
import type { OrdinalGroupSample } from './ordinal_sample_statistics.js';
import { ordinalScoreTests, type OrdinalScoreTest } from './ordinal_score_tests.js';

/** The steps of ordinal invariance (Wu & Estabrook, 2016), in order of increasing constraint. */
export type OrdinalInvarianceLevel = 'configural' | 'thresholds' | 'loadings' | 'intercepts';
export const ORDINAL_INVARIANCE_LEVELS: readonly OrdinalInvarianceLevel[] = ['configural', 'thresholds', 'loadings', 'intercepts'];

/** One level's fit (lavaan fitMeasures names, camelCase). */
export interface OrdinalInvarianceModel {
  readonly level: OrdinalInvarianceLevel;
  readonly npar: number;
  readonly chisq: number;
  readonly df: number;
  readonly chisqScaled: number;
  readonly pvalueScaled: number;
  readonly scalingFactor: number;
  readonly cfi: number;
  readonly rmsea: number;
  readonly cfiScaled: number;
  readonly tliScaled: number;
  readonly rmseaScaled: number;
  /** Cat-ML robust indices; lavaan reports them only while thresholds are free across groups. */
  readonly cfiRobust?: number;
  readonly tliRobust?: number;
  readonly rmseaRobust?: number;
  readonly converged: boolean;
  /** Constraints released at this level or below (partial invariance): `lhs=~rhs`, `x~1`, or `x|*` for all of an item's thresholds. */
  readonly freed: readonly string[];
}

/** lavTestLRT between consecutive levels (scaled-shifted Satorra, 2000), with Chen's (2007) ΔCFI/ΔRMSEA on the scaled indices. */
export interface OrdinalInvarianceComparison {
  readonly from: OrdinalInvarianceLevel;
  readonly to: OrdinalInvarianceLevel;
  readonly chisqDiff: number;
  readonly dfDiff: number;
  readonly p: number;
  readonly deltaCfi: number;
  readonly deltaRmsea: number;
  readonly holds: boolean;
}

export interface OrdinalInvarianceResult {
  readonly n: number;
  readonly groups: readonly string[];
  readonly groupSizes: readonly number[];
  readonly models: readonly OrdinalInvarianceModel[];
  readonly comparisons: readonly OrdinalInvarianceComparison[];
  /** With `partial`: for each level that failed at first, what was released (with the score statistic that chose it) and the comparison after release. */
  readonly partial?: readonly OrdinalPartialStep[];
  readonly options: { readonly levels: readonly OrdinalInvarianceLevel[]; readonly estimator: 'wlsmv'; readonly parameterization: 'delta'; readonly identification: 'Wu.Estabrook.2016'; readonly partial: boolean; readonly maxCfiDrop: number; readonly maxRmseaRise: number };
  readonly diagnostics: Diagnostics;
}

/** The partial-invariance search at one level. */
export interface OrdinalPartialStep {
  readonly level: OrdinalInvarianceLevel;
  readonly freed: readonly string[];
  /** The score statistic (χ², 1 df) of each release when it was chosen. */
  readonly scores: readonly number[];
  readonly holds: boolean;
  readonly comparison: OrdinalInvarianceComparison;
}

/** What partial invariance has released so far (all groups). */
export interface OrdinalReleases {
  /** Loadings as `factor=~item` (lavaan's group.partial). */
  readonly loadings: readonly string[];
  /** Items whose thresholds are all free across groups (their intercept and scale factor fixed, as configural). */
  readonly thresholds: readonly string[];
  /** Items whose intercept is free outside the first group. */
  readonly intercepts: readonly string[];
}

export interface OrdinalInvarianceOptions {
  readonly levels?: readonly OrdinalInvarianceLevel[];
  /** Search for partial invariance where a level fails (default false). */
  readonly partial?: boolean;
  readonly maxCfiDrop?: number;
  readonly maxRmseaRise?: number;
}

/** What each level holds equal and frees, as semTools::measEq.syntax writes it under delta with ID.fac = "std.lv". */
const LEVEL: Record<OrdinalInvarianceLevel, { groupEqual: GroupEqual[]; ordinal: Omit<OrdinalModelOptions, 'parameterization'> }> = {
  configural: { groupEqual: [], ordinal: {} },
  thresholds: { groupEqual: [], ordinal: { equalThresholds: true, freeScales: true, freeIntercepts: true } },
  loadings: { groupEqual: ['loadings'], ordinal: { equalThresholds: true, freeScales: true, freeIntercepts: true } },
  intercepts: { groupEqual: ['loadings', 'intercepts'], ordinal: { equalThresholds: true, freeScales: true } },
};

/**
 * Measurement invariance of ordered indicators across groups with the identification of Wu &
 * Estabrook (2016, doi:10.1007/s11336-016-9506-0), as semTools::measEq.syntax (ID.cat =
 * "Wu.Estabrook.2016", ID.fac = "std.lv", delta parameterization) writes it and lavaan fits it by
 * WLSMV: configural (latent variances 1 and means 0, intercepts 0 and scale factors 1 in every group),
 * thresholds (equal thresholds; intercepts and scale factors free outside the first group), loadings
 * (+ equal loadings; latent variances free outside the first group) and intercepts (+ intercepts 0
 * everywhere; latent means free outside the first group). Consecutive levels are compared by
 * lavaan::lavTestLRT's scaled-shifted difference test (Satorra, 2000, method "satorra.2000",
 * A.method "delta") and by Chen's (2007) ΔCFI ≥ −0.010 and ΔRMSEA ≤ 0.015 on the scaled indices.
 */
export function ordinalInvariance(input: SemData, model: string | readonly Statement[], options: OrdinalInvarianceOptions = {}): OrdinalInvarianceResult {
  const statements = typeof model === 'string' ? parseModelSyntax(model) : model;
  if (!input.groups) throw new InputError('group', 'invariance needs a grouping column.');
  const levels = options.levels ?? ORDINAL_INVARIANCE_LEVELS;
  if (levels.length === 0) throw new InputError('levels', 'levels must name at least one level.');
  for (let i = 1; i < levels.length; i++) {
    if (ORDINAL_INVARIANCE_LEVELS.indexOf(levels[i]) <= ORDINAL_INVARIANCE_LEVELS.indexOf(levels[i - 1])) {
      throw new InputError('levels', `levels must be in the order ${ORDINAL_INVARIANCE_LEVELS.join(', ')}; got ${levels.join(', ')}.`);
    }
  }
  const maxCfiDrop = options.maxCfiDrop ?? 0.01;
  const maxRmseaRise = options.maxRmseaRise ?? 0.015;
  const { labels, data, samples } = prepareGroups(input, statements);
  const fits: SemResult[] = [];
  const warnings: string[] = ordinalSampleWarnings(samples, data.categories.length);
  const partial = options.partial ?? false;
  const partialOut: OrdinalPartialStep[] = [];
  const freedAt: string[][] = [];
  let released: OrdinalReleases = { loadings: [], thresholds: [], intercepts: [] };
  let iterations = 0;
  const fitLevel = (level: OrdinalInvarianceLevel, rel: OrdinalReleases) => {
    const fit = ordinalLevelFit(statements, labels.length, data, samples, level, rel);
    iterations += fit.diagnostics.iterations;
    return fit;
  };
  const compare = (a: SemResult, b: SemResult, from: OrdinalInvarianceLevel, to: OrdinalInvarianceLevel): OrdinalInvarianceComparison => {
    const diff = scaledShiftedDifference(a, b);
    const deltaCfi = (b.fit.cfiScaled ?? NaN) - (a.fit.cfiScaled ?? NaN);
    const deltaRmsea = (b.fit.rmseaScaled ?? NaN) - (a.fit.rmseaScaled ?? NaN);
    return { from, to, ...diff, deltaCfi, deltaRmsea, holds: deltaCfi >= -maxCfiDrop && deltaRmsea <= maxRmseaRise };
  };
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    let fit = fitLevel(level, released);
    const freedHere: string[] = [];
    if (partial && i > 0) {
      let cmp = compare(fits[i - 1], fit, levels[i - 1], level);
      if (!cmp.holds) {
        const scores: number[] = [];
        for (let step = 0; step < 200 && !cmp.holds && fit.converged; step++) {
          const next = strongestRelease(fit, level, released);
          if (!next) break;
          released = next.released;
          freedHere.push(next.key);
          scores.push(next.x2);
          fit = fitLevel(level, released);
          cmp = compare(fits[i - 1], fit, levels[i - 1], level);
        }
        partialOut.push({ level, freed: [...freedHere], scores, holds: cmp.holds, comparison: cmp });
        if (!cmp.holds) warnings.push(`partial ${level} invariance does not hold even after releasing ${freedHere.length} constraint${freedHere.length === 1 ? '' : 's'}.`);
      }
    }
    if (!fit.converged) warnings.push(`the ${level} model did not converge.`);
    for (const w of fit.diagnostics.warnings) warnings.push(`${level}: ${w}`);
    fits.push(fit);
    freedAt.push([...released.loadings.map((k) => k), ...released.thresholds.map((v) => `${v}|*`), ...released.intercepts.map((v) => `${v}~1`)]);
  }
  const models: OrdinalInvarianceModel[] = fits.map((f, i) => {
    const fit = f.fit as OrdinalFit;
    return {
      level: levels[i],
      npar: fit.npar,
      chisq: fit.chisq,
      df: fit.df,
      chisqScaled: fit.chisqScaled ?? NaN,
      pvalueScaled: fit.pvalueScaled ?? NaN,
      scalingFactor: fit.scalingFactor ?? NaN,
      cfi: fit.cfi,
      rmsea: fit.rmsea,
      cfiScaled: fit.cfiScaled ?? NaN,
      tliScaled: fit.tliScaled ?? NaN,
      rmseaScaled: fit.rmseaScaled ?? NaN,
      ...(fit.cfiRobust !== undefined ? { cfiRobust: fit.cfiRobust, tliRobust: fit.tliRobust, rmseaRobust: fit.rmseaRobust } : {}),
      converged: f.converged,
      freed: freedAt[i],
    };
  });
  const comparisons: OrdinalInvarianceComparison[] = [];
  for (let i = 1; i < fits.length; i++) comparisons.push(compare(fits[i - 1], fits[i], levels[i - 1], levels[i]));
  return {
    n: fits[0].n,
    groups: labels,
    groupSizes: fits[0].groupSizes,
    models,
    comparisons,
    ...(partial ? { partial: partialOut } : {}),
    options: { levels, estimator: 'wlsmv', parameterization: 'delta', identification: 'Wu.Estabrook.2016', partial, maxCfiDrop, maxRmseaRise },
    diagnostics: { converged: fits.every((f) => f.converged), iterations, warnings },
  };
}

/** Groups, ordered data and their sample statistics, shared by every level's fit. */
function prepareGroups(input: SemData, statements: readonly Statement[]): { labels: string[]; data: OrdinalData; samples: OrdinalGroupSample[] } {
  if (!input.groups) throw new InputError('group', 'invariance needs a grouping column.');
  const labels: string[] = [];
  for (const gl of input.groups) if (gl !== null && !labels.includes(gl)) labels.push(gl);
  if (labels.length < 2) throw new InputError('group', `group must have at least 2 different values; got ${labels.length}.`);
  const groupOf = input.groups.map((gl) => (gl === null ? -1 : labels.indexOf(gl)));
  const probe = buildParameterTable(statements, { groups: labels.length, stdLv: true, meanstructure: true });
  if (observedCovariates(probe).length > 0) throw new InputError('ordered', 'ordered indicators cannot be fitted with observed covariates in this version.');
  const data = ordinalData(input, probe.observed, labels, groupOf);
  return { labels, data, samples: ordinalSamples(data) };
}

/**
 * One level of ordinal invariance fitted on its own (as `ordinalInvariance` fits it), for its score
 * tests (`ordinalScoreTests`) or a look at its estimates.
 */
export function fitOrdinalInvarianceLevel(input: SemData, model: string | readonly Statement[], level: OrdinalInvarianceLevel, released?: OrdinalReleases): SemResult {
  const statements = typeof model === 'string' ? parseModelSyntax(model) : model;
  if (!ORDINAL_INVARIANCE_LEVELS.includes(level)) throw new InputError('level', `level must be one of ${ORDINAL_INVARIANCE_LEVELS.join(', ')}; got "${level}".`);
  const { labels, data, samples } = prepareGroups(input, statements);
  return ordinalLevelFit(statements, labels.length, data, samples, level, released);
}

/**
 * One invariance level's WLSMV fit with the constraints released so far (shared sample statistics).
 * Released loadings are lavaan's group.partial; a released item's thresholds are free in every
 * group with its intercept and scale factor fixed as in the configural model; a released intercept
 * is free outside the first group, as at the thresholds level.
 */
function ordinalLevelFit(
  statements: readonly Statement[],
  groups: number,
  data: OrdinalData,
  samples: readonly OrdinalGroupSample[],
  level: OrdinalInvarianceLevel,
  released: OrdinalReleases = { loadings: [], thresholds: [], intercepts: [] },
): SemResult {
  const spec = LEVEL[level];
  const table = buildParameterTable(statements, { groups, stdLv: true, meanstructure: true, groupEqual: spec.groupEqual, groupPartial: released.loadings });
  const ordinal = { ...spec.ordinal, releasedThresholds: released.thresholds, releasedIntercepts: released.intercepts };
  return fitOrdinalTable(table, data, { estimator: 'wlsmv', parameterization: 'delta', ordinal }, samples);
}

/** What each level newly constrains, as score-test operators. */
const LEVEL_OP: Record<OrdinalInvarianceLevel, string | null> = { configural: null, thresholds: '|', loadings: '=~', intercepts: '~1' };

/**
 * The release with the largest univariate score statistic among the constraints this level adds
 * (Byrne, Shavelson & Muthén, 1989, doi:10.1037/0033-2909.105.3.456), applied in all groups; null
 * when nothing is left to release.
 */
function strongestRelease(fit: SemResult, level: OrdinalInvarianceLevel, released: OrdinalReleases): { key: string; x2: number; released: OrdinalReleases } | null {
  const op = LEVEL_OP[level];
  let best: OrdinalScoreTest | null = null;
  for (const t of ordinalScoreTests(fit)) {
    if (t.op !== op || !Number.isFinite(t.x2)) continue;
    if (op === '|' && released.thresholds.includes(t.lhs)) continue;
    if (op === '~1' && released.intercepts.includes(t.lhs)) continue;
    if (op === '=~' && released.loadings.includes(`${t.lhs}=~${t.rhs}`)) continue;
    if (!best || t.x2 > best.x2) best = t;
  }
  if (!best) return null;
  if (op === '|') return { key: `${best.lhs}|*`, x2: best.x2, released: { ...released, thresholds: [...released.thresholds, best.lhs] } };
  if (op === '~1') return { key: `${best.lhs}~1`, x2: best.x2, released: { ...released, intercepts: [...released.intercepts, best.lhs] } };
  const key = `${best.lhs}=~${best.rhs}`;
  return { key, x2: best.x2, released: { ...released, loadings: [...released.loadings, key] } };
}

/**
 * The scaled-shifted χ² difference of nested WLSMV fits (Satorra, 2000; lavaan 0.6.14
 * lav_test_diff_Satorra2000 with scaled.shifted = TRUE, A.method = "delta", H1 = TRUE): with the
 * less constrained model's information P, meat B = Σ_g (n_g/N)Δ_gᵀW_gΓ_gW_gΔ_g and Jacobian Δ₁,
 * and the constrained model's Jacobian Δ₀, H = Δ₁⁺Δ₀ spans the directions the constrained model keeps
 * and M = P⁻¹A'(AP⁻¹A')⁻¹AP⁻¹ = P⁻¹ − H(HᵀPH)⁻¹Hᵀ for any A with AH = 0 of full row rank; then
 * a = √(m/tr((MB)²)), b = m − a·tr(MB) and T_d = a(T₀ − T₁) + b on m = df₀ − df₁.
 */
export function scaledShiftedDifference(m1: SemResult, m0: SemResult): { chisqDiff: number; dfDiff: number; p: number } {
  const i1 = (m1 as unknown as { internal: OrdinalInternal }).internal;
  const i0 = (m0 as unknown as { internal: OrdinalInternal }).internal;
  const m = m0.fit.df - m1.fit.df;
  const raw = m0.fit.chisq - m1.fit.chisq;
  if (m <= 0 || !i1.eInv || !i1.robust) return { chisqDiff: raw, dfDiff: m, p: NaN };
  const q1 = i1.model.nFree;
  const q0 = i0.model.nFree;
  // Δ₁ᵀΔ₁ (q1 × q1) and Δ₁ᵀΔ₀ (q1 × q0), stacked over groups
  const d11 = new Float64Array(q1 * q1);
  const d10 = new Float64Array(q1 * q0);
  i1.jacobian.forEach((J1, g) => {
    const J0 = i0.jacobian[g];
    J1.rows.forEach((row1, r) => {
      const row0 = J0.rows[r];
      for (let a = 0; a < row1.cols.length; a++) {
        const ca = row1.cols[a];
        const va = row1.vals[a];
        for (let b = 0; b < row1.cols.length; b++) d11[ca * q1 + row1.cols[b]] += va * row1.vals[b];
        for (let b = 0; b < row0.cols.length; b++) d10[ca * q0 + row0.cols[b]] += va * row0.vals[b];
      }
    });
  });
  // Δ₁ᵀΔ₁, X and P below hold the thresholds uncoupled from each other: each is factored through
  // the Schur complement of that diagonal block (schurFactor) instead of a q × q Cholesky
  const f11 = schurFactor(d11, q1);
  if (!f11) return { chisqDiff: raw, dfDiff: m, p: NaN };
  // H = (Δ₁ᵀΔ₁)⁻¹Δ₁ᵀΔ₀, column by column
  const H = solveColumns(f11, d10, q1, q0);
  // P = E₁ (the information whose inverse fit_ordinal keeps)
  // with A = P⁻¹B (its traces kept by the fit), X = HᵀPH, Y = HᵀBH and V = (BH)ᵀP⁻¹(BH):
  // tr(MB) = tr(A) − tr(X⁻¹Y) and tr((MB)²) = tr(A²) − 2tr(X⁻¹V) + tr(X⁻¹YX⁻¹Y)
  const B = i1.robust.meat;
  const BH = sparseRightProduct(B, H, q1, q0);
  const PH = sparseRightProduct(i1.information, H, q1, q0);
  const X = transposeProduct(H, PH, q1, q0);
  const Y = transposeProduct(H, BH, q1, q0);
  const fX = schurFactor(X, q0);
  const fP = schurFactor(i1.information, q1);
  if (!fX || !fP) return { chisqDiff: raw, dfDiff: m, p: NaN };
  // P⁻¹(BH), X⁻¹Y and X⁻¹V by solves with the factors (a product with E⁻¹ would cost q1²·q0)
  const V = transposeProduct(BH, solveColumns(fP, BH, q1, q0), q1, q0);
  const XY = solveColumns(fX, Y, q0, q0);
  const XV = solveColumns(fX, V, q0, q0);
  let trXY = 0;
  let trXV = 0;
  let trXY2 = 0;
  for (let a = 0; a < q0; a++) {
    trXY += XY[a * q0 + a];
    trXV += XV[a * q0 + a];
    for (let b = 0; b < q0; b++) trXY2 += XY[a * q0 + b] * XY[b * q0 + a];
  }
  const tr1 = i1.robust.traceEM - trXY;
  const tr2 = i1.robust.traceEM2 - 2 * trXV + trXY2;
  const a = Math.sqrt(m / tr2);
  const chisqDiff = raw * a + (m - a * tr1);
  return { chisqDiff, dfDiff: m, p: chiSquareUpperTail(Math.max(chisqDiff, 0), m) };
}

/** A⁻¹C for A (r × r) given by its Schur factor and C (r × c), column by column. */
function solveColumns(f: SchurFactor, C: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  const column = new Float64Array(r);
  for (let b = 0; b < c; b++) {
    for (let a = 0; a < r; a++) column[a] = C[a * c + b];
    const v = schurSolve(f, column);
    for (let a = 0; a < r; a++) out[a * c + b] = v[a];
  }
  return out;
}

/** B·H for dense B (r × r) and H (r × c) with many zeros: row by row through H's nonzeros. */
function sparseRightProduct(B: Float64Array, H: Float64Array, r: number, c: number): Float64Array {
  const rows: { cols: Int32Array; vals: Float64Array }[] = [];
  for (let k = 0; k < r; k++) {
    const cols: number[] = [];
    const vals: number[] = [];
    for (let b = 0; b < c; b++) {
      const v = H[k * c + b];
      if (v !== 0) {
        cols.push(b);
        vals.push(v);
      }
    }
    rows.push({ cols: Int32Array.from(cols), vals: Float64Array.from(vals) });
  }
  const out = new Float64Array(r * c);
  for (let a = 0; a < r; a++) {
    const oa = a * c;
    for (let k = 0; k < r; k++) {
      const bak = B[a * r + k];
      if (bak === 0) continue;
      const { cols, vals } = rows[k];
      for (let e = 0; e < cols.length; e++) out[oa + cols[e]] += bak * vals[e];
    }
  }
  return out;
}

/** HᵀC for H, C (r × c). */
function transposeProduct(H: Float64Array, C: Float64Array, r: number, c: number): Float64Array {
  return addTransposeProduct(new Float64Array(c * c), H, C, r, c, 1);
}
