import { InputError } from '../errors.js';
import { normalTwoSided } from '../math/normal_distribution.js';
import { quantileType7 } from '../math/quantile.js';
import { seededUniform } from '../math/random.js';
import { fitSem, type SemData, type SemEstimate, type SemOptions, type SemResult } from './fit_sem.js';
import type { Statement } from './model_syntax.js';

export interface SemBootstrapOptions {
  /** Resamples (default 1000, lavaan's R). */
  readonly replicates?: number;
  /** Seed of the random stream (default 1): the same seed gives the same standard errors. */
  readonly seed?: number;
  /** Coverage of the percentile intervals (default 0.95). */
  readonly level?: number;
}

/** A parameter with bootstrap standard error and percentile interval. */
export interface SemBootstrapEstimate extends SemEstimate {
  readonly ciLower: number;
  readonly ciUpper: number;
}

export interface SemBootstrapResult extends Omit<SemResult, 'estimates'> {
  readonly estimates: readonly SemBootstrapEstimate[];
  readonly bootstrap: { readonly replicates: number; readonly valid: number; readonly seed: number; readonly level: number };
}

/**
 * Bootstrap standard errors and percentile intervals for every parameter, defined (`:=`)
 * parameters such as indirect effects included, as lavaan's se = "bootstrap" with
 * parameterEstimates(boot.ci.type = "perc"): the usable rows of each group are resampled with
 * replacement (group sizes kept), the model is refitted to each resample, and a parameter's
 * standard error is the standard deviation (n − 1) of its resampled estimates, its interval the
 * (1 ± level)/2 quantiles (R's type 7); z and p use the bootstrap standard error. Resamples
 * that cannot be fitted or do not converge are left out (lavaan drops them too) and counted.
 * The rows are drawn with seici's seeded generator, not R's stream, so the numbers agree with
 * lavaan's within Monte Carlo error (Efron & Tibshirani, 1993, doi:10.1201/9780429246593).
 */
export function bootstrapSem(
  input: SemData,
  model: string | readonly Statement[],
  options: SemOptions = {},
  { replicates = 1000, seed = 1, level = 0.95 }: SemBootstrapOptions = {},
): SemBootstrapResult {
  if (!Number.isInteger(replicates) || replicates < 2) throw new InputError('bootstrap', `bootstrap must be a whole number of resamples, at least 2; got ${replicates}.`);
  if (!(level > 0 && level < 1)) throw new InputError('level', `level must be between 0 and 1; got ${level}.`);
  const fit = fitSem(input, model, options);
  const listwise = (options.missing ?? 'listwise') === 'listwise';
  // the rows a fit uses, by group label (a row without a group or without data takes no part)
  const byGroup = new Map<string, number[]>();
  input.rows.forEach((row, r) => {
    const label = input.groups ? input.groups[r] : '';
    if (label === null) return;
    const usable = listwise ? row.every((v) => !Number.isNaN(v)) : row.some((v) => !Number.isNaN(v));
    if (!usable) return;
    let list = byGroup.get(label);
    if (!list) byGroup.set(label, (list = []));
    list.push(r);
  });
  const random = seededUniform(seed);
  const k = fit.estimates.length;
  const draws: number[][] = Array.from({ length: k }, () => []);
  let valid = 0;
  for (let b = 0; b < replicates; b++) {
    const rows: (readonly number[])[] = [];
    const groups: string[] = [];
    for (const [label, list] of byGroup) {
      for (let i = 0; i < list.length; i++) {
        rows.push(input.rows[list[Math.floor(random() * list.length)]]);
        groups.push(label);
      }
    }
    let refit: SemResult;
    try {
      refit = fitSem({ columns: input.columns, rows, groups: input.groups ? groups : undefined }, model, { ...options, standardErrors: false });
    } catch (err) {
      if (err instanceof InputError) continue;
      throw err;
    }
    if (!refit.converged || refit.estimates.length !== k) continue;
    valid++;
    refit.estimates.forEach((e, j) => draws[j].push(e.est));
  }
  const estimates = fit.estimates.map((e, j): SemBootstrapEstimate => {
    const free = e.free || e.op === ':=';
    if (!free) return { ...e, ciLower: e.est, ciUpper: e.est };
    const values = draws[j].filter(Number.isFinite).sort((a, c) => a - c);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const se = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    const z = se > 0 ? e.est / se : null;
    return {
      ...e,
      se,
      z,
      pvalue: z === null ? null : normalTwoSided(z),
      ciLower: quantileType7(values, (1 - level) / 2),
      ciUpper: quantileType7(values, (1 + level) / 2),
    };
  });
  const warnings = [...fit.diagnostics.warnings];
  if (valid < replicates) warnings.push(`bootstrap: ${replicates - valid} of ${replicates} resamples could not be fitted or did not converge and were left out.`);
  const result = {
    ...fit,
    estimates,
    options: { ...fit.options, se: 'bootstrap' as const },
    bootstrap: { replicates, valid, seed, level },
    diagnostics: { ...fit.diagnostics, warnings },
  };
  Object.defineProperty(result, 'internal', { value: fit.internal, enumerable: false });
  return result as SemBootstrapResult;
}
