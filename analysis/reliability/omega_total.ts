import type { Diagnostics } from '../diagnostics.js';
import { columnCovariance } from '../data/covariance.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';
import { InputError } from '../errors.js';
import { fitCovariance } from '../sem/fit_covariance.js';
import { parseModelSyntax } from '../sem/model_syntax.js';
import { modelStructure, type ModelStructure } from '../sem/model_matrices.js';
import { buildParameterTable } from '../sem/parameter_table.js';

/**
 * Omega total of a one-factor (congeneric) model: ω = (Σλ)² / ((Σλ)² + Σθ), the share of the
 * sum score's variance due to the common factor, with λ the loadings and θ the residual variances
 * in the items' own metric. McDonald (1999), Test Theory: A Unified Treatment, ch. 6;
 * Raykov (1997), doi:10.1177/01466216970214001.
 */
export function omegaFromLoadings(loadings: readonly number[], residualVariances: readonly number[]): number {
  let sumLoadings = 0;
  let sumResiduals = 0;
  for (const l of loadings) sumLoadings += l;
  for (const t of residualVariances) sumResiduals += t;
  const common = sumLoadings * sumLoadings;
  return common / (common + sumResiduals);
}

/** A one-factor maximum-likelihood model and its omega total. */
export interface OneFactorOmega {
  readonly omegaTotal: number;
  /** λ, in the items' metric. */
  readonly loadings: number[];
  /** θ, in the items' metric; negative in a Heywood case. */
  readonly residualVariances: number[];
  readonly diagnostics: Diagnostics;
}

const models = new Map<number, ModelStructure>();

/** The model `f =~ x1 + … + xp` with the latent variance fixed to 1 (lavaan's std.lv), built once per p. */
function oneFactorModel(p: number): ModelStructure {
  let model = models.get(p);
  if (!model) {
    const items = Array.from({ length: p }, (_, j) => `x${j + 1}`);
    model = modelStructure(buildParameterTable(parseModelSyntax(`f =~ ${items.join(' + ')}`), { stdLv: true }));
    models.set(p, model);
  }
  return model;
}

/**
 * Omega total from a one-factor maximum-likelihood factor model of the item covariance matrix
 * `cov` (N divisor), fitted by the SEM engine exactly as `seici cfa` fits `f =~ x1 + … + xp`
 * with `--std-lv` (lavaan 0.6.14's `cfa(..., std.lv = TRUE)`), then `omegaFromLoadings`.
 * The estimate is unbounded as lavaan's: in a Heywood case a residual variance goes negative
 * and stays in the formula, and `diagnostics` warns of it (psych::omega/psych::fa would hold
 * the uniqueness at 0.005 instead and report a different omega). `n` only scales χ², not the
 * estimate; `items` name the items in warnings; `fallback: false` skips the optimiser's BFGS fallback (bootstrap). McDonald (1999); Raykov (1997), doi:10.1177/01466216970214001.
 */
export function oneFactorOmega(cov: readonly (readonly number[])[], n = 100, items?: readonly string[], fallback = true): OneFactorOmega {
  const p = cov.length;
  if (p < 3) throw new InputError('items', `omega total needs at least 3 items for a one-factor model; got ${p}.`);
  const s = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s[i * p + j] = cov[i][j];
  const fit = fitCovariance(oneFactorModel(p), s, n, { fallback });
  if (!fit) throw new InputError('items', 'the item covariance matrix is singular: some item is constant or a linear combination of others.');
  const loadings = Array.from({ length: p }, (_, j) => fit.matrices.lambda[j]);
  const residualVariances = Array.from({ length: p }, (_, j) => fit.matrices.theta[j * p + j]);
  const warnings: string[] = [];
  if (!fit.converged) warnings.push(`the optimizer did not converge (${fit.message}) after ${fit.iterations} iterations.`);
  residualVariances.forEach((t, j) => {
    if (t < 0) warnings.push(`Heywood case: the residual variance of ${items?.[j] ?? `item ${j + 1}`} is negative (${t.toFixed(4)}); omega total keeps it, as lavaan does.`);
  });
  return {
    omegaTotal: omegaFromLoadings(loadings, residualVariances),
    loadings,
    residualVariances,
    diagnostics: { converged: fit.converged, iterations: fit.iterations, warnings },
  };
}

/** `oneFactorOmega` of complete `data` (one column per item, or rows × items), with the N-divisor covariance matrix. */
export function oneFactorOmegaOfRows(data: NumericColumns | readonly (readonly number[])[], items?: readonly string[]): OneFactorOmega {
  const { columns, length } = isNumericColumns(data) ? data : columnsFromRows(data, data.length > 0 ? data[0].length : 0);
  return oneFactorOmega(columnCovariance(columns, length, { missing: 'listwise', divisor: 'n' }).cov, length, items);
}
