import type { Diagnostics } from '../diagnostics.js';
import { closedForm } from '../diagnostics.js';
import { fUpperTail } from '../math/f_distribution.js';
import { centringMeans, designColumns, formula, type Columns, type LinearModel } from './design.js';
import { leastSquares, type LeastSquaresFit } from './least_squares.js';
import { classicalCovariance, clusterCovariance, hc3Covariance } from './ols_covariance.js';
import { tQuantile, tTwoSided } from '../math/t_distribution.js';

/** One coefficient: estimate, classical and HC3 standard errors, t and p from the classical SE. */
export interface RegressionTerm {
  readonly term: string;
  readonly est: number;
  /** Classical OLS standard error, R's `summary(lm)`. */
  readonly se: number;
  /** `sandwich::vcovHC(type = "HC3")`. */
  readonly seHc3: number;
  /** CR1 cluster-robust standard error, when clusters were given. */
  readonly seCluster?: number;
  readonly t: number;
  readonly p: number;
  /** The t interval at the requested level from the classical SE (R's `confint`). */
  readonly ciLower: number;
  readonly ciUpper: number;
}

export interface Regression {
  readonly formula: string;
  readonly n: number;
  readonly dfResidual: number;
  readonly r2: number;
  readonly adjR2: number;
  /** The overall F test of all predictors (R's `summary(lm)$fstatistic`). */
  readonly f: { readonly value: number; readonly df1: number; readonly df2: number; readonly p: number };
  readonly sigma: number;
  readonly rss: number;
  readonly terms: readonly RegressionTerm[];
  /** Classical covariance of the coefficients, in term order. */
  readonly covariance: readonly (readonly number[])[];
  /** The means subtracted from centred variables before products were formed. */
  readonly centred: Readonly<Record<string, number>>;
  readonly level: number;
  readonly diagnostics: Diagnostics;
}

export interface RegressionOptions {
  /** Names the model in error messages (default "model"). */
  readonly label?: string;
  /** Confidence level of the coefficient intervals (default 0.95). */
  readonly level?: number;
  /** A cluster label per row: adds CR1 cluster-robust standard errors. */
  readonly clusters?: ArrayLike<string | number>;
}

/**
 * An OLS regression with an intercept over every row of `data` (the caller picks the complete
 * rows): estimates, classical, HC3 and optional CR1 standard errors, t, p and t intervals, R²,
 * adjusted R² and the overall F. Matches R's `summary(lm(...))`, `confint` and
 * `sandwich::vcovHC(type = "HC3")`; products of centred predictors as `lm` on centred columns.
 */
export function regression(data: Columns, model: LinearModel, options: RegressionOptions = {}): Regression {
  const label = options.label ?? 'model';
  const level = options.level ?? 0.95;
  const means = centringMeans(data, model);
  const { names, columns, y } = designColumns(data, model, means);
  const fit = leastSquares(columns, names, y, label);
  return summarise(fit, model, means, level, options.clusters, label);
}

function summarise(
  fit: LeastSquaresFit,
  model: LinearModel,
  means: Map<string, number>,
  level: number,
  clusters: ArrayLike<string | number> | undefined,
  label: string,
): Regression {
  const { n, p, dfResidual, rss } = fit;
  const v = classicalCovariance(fit);
  const hc3 = hc3Covariance(fit);
  const cl = clusters ? clusterCovariance(fit, clusters, label) : undefined;
  const q = tQuantile((1 + level) / 2, dfResidual);
  const warnings: string[] = [];
  const terms = fit.names.map((term, j) => {
    const est = fit.coefficients[j];
    const se = Math.sqrt(v[j * p + j]);
    const t = est / se;
    const out: RegressionTerm = {
      term,
      est,
      se,
      seHc3: Math.sqrt(hc3[j * p + j]),
      ...(cl ? { seCluster: Math.sqrt(cl[j * p + j]) } : {}),
      t,
      p: tTwoSided(t, dfResidual),
      ciLower: est - q * se,
      ciUpper: est + q * se,
    };
    return out;
  });
  if (terms.some((t) => !Number.isFinite(t.seHc3))) warnings.push(`${label}: a row has leverage 1, so the HC3 standard errors are undefined.`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += fit.y[i];
  mean /= n;
  let tss = 0;
  for (let i = 0; i < n; i++) tss += (fit.y[i] - mean) ** 2;
  const r2 = 1 - rss / tss;
  const df1 = p - 1;
  const fValue = df1 > 0 ? ((tss - rss) / df1) / (rss / dfResidual) : NaN;
  const covariance = Array.from({ length: p }, (_, i) => Array.from(v.subarray(i * p, i * p + p)));
  return {
    formula: formula(model),
    n,
    dfResidual,
    r2,
    adjR2: 1 - (1 - r2) * ((n - 1) / dfResidual),
    f: { value: fValue, df1, df2: dfResidual, p: df1 > 0 ? fUpperTail(fValue, df1, dfResidual) : NaN },
    sigma: Math.sqrt(rss / dfResidual),
    rss,
    terms,
    covariance,
    centred: Object.fromEntries(means),
    level,
    diagnostics: closedForm(warnings),
  };
}

/** The index of a term in a regression, or −1. */
export function termIndex(r: Regression, term: string): number {
  return r.terms.findIndex((t) => t.term === term);
}

/** A term's estimate (throws on an unknown name: a programming error). */
export function coefficient(r: Regression, term: string): RegressionTerm {
  const t = r.terms.find((x) => x.term === term);
  if (!t) throw new Error(`no term ${term} in ${r.formula}`);
  return t;
}
