import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { fitSem, type SemData, type SemFit, type SemResult } from './fit_sem.js';
import { modificationIndices } from './modification_indices.js';
import { parseModelSyntax, type Statement } from './model_syntax.js';
import { chiSquareUpperTail } from '../math/chi_square_distribution.js';
import type { GroupEqual } from './parameter_table.js';
import type { SemMissing } from './sample_statistics.js';

export type InvarianceLevel = 'configural' | 'metric' | 'scalar' | 'strict';
/** The levels in order of increasing constraint. */
export const INVARIANCE_LEVELS: readonly InvarianceLevel[] = ['configural', 'metric', 'scalar', 'strict'];

/** What each level holds equal across groups (lavaan's group.equal). */
export const LEVEL_CONSTRAINTS: Readonly<Record<InvarianceLevel, readonly GroupEqual[]>> = {
  configural: [],
  metric: ['loadings'],
  scalar: ['loadings', 'intercepts'],
  strict: ['loadings', 'intercepts', 'residuals'],
};

/** The fit of one invariance level (lavaan::fitMeasures names). */
export interface InvarianceModel extends Pick<SemFit, 'chisq' | 'df' | 'pvalue' | 'cfi' | 'tli' | 'rmsea' | 'rmseaLower' | 'rmseaUpper' | 'srmr' | 'aic' | 'bic' | 'logl'> {
  readonly level: InvarianceLevel;
  readonly converged: boolean;
  /** Parameters released from this level's equality constraints (partial invariance), as `lhs op rhs`. */
  readonly freed: readonly string[];
}

/** A likelihood-ratio test between consecutive levels with Chen's (2007) ΔCFI/ΔRMSEA decision. */
export interface InvarianceComparison {
  readonly from: InvarianceLevel;
  readonly to: InvarianceLevel;
  readonly chisqDiff: number;
  readonly dfDiff: number;
  readonly p: number;
  readonly deltaCfi: number;
  readonly deltaRmsea: number;
  /** ΔCFI ≥ −0.010 and ΔRMSEA ≤ 0.015. */
  readonly holds: boolean;
}

export interface InvarianceOptions {
  readonly levels?: readonly InvarianceLevel[];
  readonly missing?: SemMissing;
  /** Search for partial invariance where a level fails (default false). */
  readonly partial?: boolean;
  /** Chen's cut-offs. */
  readonly maxCfiDrop?: number;
  readonly maxRmseaRise?: number;
}

export interface InvarianceResult {
  readonly n: number;
  readonly groups: readonly string[];
  readonly groupSizes: readonly number[];
  readonly models: readonly InvarianceModel[];
  readonly comparisons: readonly InvarianceComparison[];
  /** With `partial`: for each level that failed at first, the released parameters and the comparison after release. */
  readonly partial?: readonly { level: InvarianceLevel; freed: readonly string[]; holds: boolean; comparison: InvarianceComparison }[];
  readonly options: { readonly levels: readonly InvarianceLevel[]; readonly missing: SemMissing; readonly partial: boolean; readonly maxCfiDrop: number; readonly maxRmseaRise: number };
  readonly diagnostics: Diagnostics;
}

/**
 * Measurement invariance across groups: the same model fitted as configural (same pattern),
 * metric (equal loadings), scalar (+ equal intercepts, latent means free outside the first
 * group) and strict (+ equal residual variances), identified as lavaan's group.equal does
 * (markers fixed to 1 in every group); consecutive levels compared by the χ² difference test
 * (lavaan::lavTestLRT) and by Chen's (2007, doi:10.1080/10705510701301834) criteria
 * ΔCFI ≥ −0.010 and ΔRMSEA ≤ 0.015 (Vandenberg & Lance, 2000, doi:10.1177/109442810031002).
 * With `partial`, a failing level is relaxed one parameter at a time: the equality constraint
 * with the largest score statistic (lavaan::lavTestScore) is released in all groups (lavaan's
 * group.partial), the model refitted, until the comparison with the level below holds; the
 * released parameters stay free at the higher levels (Byrne, Shavelson & Muthén, 1989,
 * doi:10.1037/0033-2909.105.3.456). Matches semTools::measurementInvariance / lavaan fits.
 */
export function measurementInvariance(input: SemData, model: string | readonly Statement[], options: InvarianceOptions = {}): InvarianceResult {
  const statements = typeof model === 'string' ? parseModelSyntax(model) : model;
  if (!input.groups) throw new InputError('group', 'invariance needs a grouping column.');
  const levels = options.levels ?? INVARIANCE_LEVELS;
  if (levels.length === 0) throw new InputError('levels', 'levels must name at least one level.');
  for (let i = 1; i < levels.length; i++) {
    if (INVARIANCE_LEVELS.indexOf(levels[i]) <= INVARIANCE_LEVELS.indexOf(levels[i - 1])) {
      throw new InputError('levels', `levels must be in the order ${INVARIANCE_LEVELS.join(', ')}; got ${levels.join(', ')}.`);
    }
  }
  const missing = options.missing ?? 'listwise';
  const partial = options.partial ?? false;
  const maxCfiDrop = options.maxCfiDrop ?? 0.01;
  const maxRmseaRise = options.maxRmseaRise ?? 0.015;
  const compare = (a: SemResult, b: SemResult, from: InvarianceLevel, to: InvarianceLevel): InvarianceComparison => {
    const chisqDiff = b.fit.chisq - a.fit.chisq;
    const dfDiff = b.fit.df - a.fit.df;
    const deltaCfi = b.fit.cfi - a.fit.cfi;
    const deltaRmsea = b.fit.rmsea - a.fit.rmsea;
    return {
      from,
      to,
      chisqDiff,
      dfDiff,
      p: dfDiff > 0 ? chiSquareUpperTail(Math.max(chisqDiff, 0), dfDiff) : NaN,
      deltaCfi,
      deltaRmsea,
      holds: deltaCfi >= -maxCfiDrop && deltaRmsea <= maxRmseaRise,
    };
  };
  const warnings: string[] = [];
  const fits: SemResult[] = [];
  const freedAt: string[][] = [];
  const partialOut: { level: InvarianceLevel; freed: string[]; holds: boolean; comparison: InvarianceComparison }[] = [];
  let released: string[] = [];
  let iterations = 0;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    const fitLevel = (groupPartial: readonly string[]) =>
      fitSem(input, statements, { missing, groupEqual: LEVEL_CONSTRAINTS[level], groupPartial, standardErrors: false });
    let fit = fitLevel(released);
    iterations += fit.diagnostics.iterations;
    const freedHere: string[] = [];
    if (partial && i > 0 && level !== 'configural') {
      let cmp = compare(fits[i - 1], fit, levels[i - 1], level);
      if (!cmp.holds) {
        const tiedKinds = new Set(LEVEL_CONSTRAINTS[level].filter((k) => !LEVEL_CONSTRAINTS[levels[i - 1]].includes(k)));
        for (let step = 0; step < 200 && !cmp.holds; step++) {
          const scores = modificationIndices(fit, { kinds: ['equality'] }).filter(
            (m) => Number.isFinite(m.mi) && tiedKinds.has(kindOf(m, statements)) && !released.includes(keyOf(m)),
          );
          if (scores.length === 0) break;
          scores.sort((a, b) => b.mi - a.mi);
          const key = keyOf(scores[0]);
          released = [...released, key];
          freedHere.push(key);
          fit = fitLevel(released);
          iterations += fit.diagnostics.iterations;
          cmp = compare(fits[i - 1], fit, levels[i - 1], level);
        }
        partialOut.push({ level, freed: [...freedHere], holds: cmp.holds, comparison: cmp });
        if (!cmp.holds) warnings.push(`partial ${level} invariance does not hold even after releasing ${freedHere.length} parameters.`);
      }
    }
    if (!fit.converged) warnings.push(`the ${level} model did not converge.`);
    for (const w of fit.diagnostics.warnings) warnings.push(`${level}: ${w}`);
    fits.push(fit);
    freedAt.push(freedHere);
  }
  const models: InvarianceModel[] = fits.map((f, i) => ({
    level: levels[i],
    chisq: f.fit.chisq,
    df: f.fit.df,
    pvalue: f.fit.pvalue,
    cfi: f.fit.cfi,
    tli: f.fit.tli,
    rmsea: f.fit.rmsea,
    rmseaLower: f.fit.rmseaLower,
    rmseaUpper: f.fit.rmseaUpper,
    srmr: f.fit.srmr,
    aic: f.fit.aic,
    bic: f.fit.bic,
    logl: f.fit.logl,
    converged: f.converged,
    freed: freedAt[i],
  }));
  const comparisons: InvarianceComparison[] = [];
  for (let i = 1; i < fits.length; i++) comparisons.push(compare(fits[i - 1], fits[i], levels[i - 1], levels[i]));
  return {
    n: fits[0].n,
    groups: fits[0].groupLabels,
    groupSizes: fits[0].groupSizes,
    models,
    comparisons,
    ...(partial ? { partial: partialOut } : {}),
    options: { levels, missing, partial, maxCfiDrop, maxRmseaRise },
    diagnostics: { converged: fits.every((f) => f.converged), iterations, warnings },
  };
}

function keyOf(m: { lhs: string; op: string; rhs: string }): string {
  return `${m.lhs}${m.op}${m.rhs}`;
}

function kindOf(m: { lhs: string; op: string; rhs: string }, statements: readonly Statement[]): GroupEqual {
  const latent = new Set(statements.filter((s) => s.op === '=~').flatMap((s) => s.lhs));
  if (m.op === '=~') return 'loadings';
  if (m.op === '~1') return latent.has(m.lhs) ? 'means' : 'intercepts';
  if (m.op === '~') return 'regressions';
  if (latent.has(m.lhs)) return m.lhs === m.rhs ? 'lv.variances' : 'lv.covariances';
  return m.lhs === m.rhs ? 'residuals' : 'residual.covariances';
}
