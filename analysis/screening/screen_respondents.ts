import { InputError } from '../errors.js';
import { closedForm, type Diagnostics } from '../diagnostics.js';
import { longString } from './long_string.js';
import { intraIndividualSd } from './intra_individual_sd.js';
import { mahalanobisDistances } from './mahalanobis.js';

/** The thresholds at which a screen flags a respondent. */
export interface ScreeningCriteria {
  /** Flag a longest string of identical answers at or above this length. Default: half the items, rounded up (at least 2). */
  readonly maxLongString?: number;
  /** Flag an intra-individual SD below this. Default 0.5 scale points. */
  readonly minIrv?: number;
  /** Flag a Mahalanobis D² whose chi-square p is below this. Default .001. */
  readonly alpha?: number;
  /** Flag a completion time below this many seconds per item. Default 2 (Huang et al., 2012). */
  readonly minSecondsPerItem?: number;
}

export type ScreeningFlag = 'long-string' | 'low-variability' | 'multivariate-outlier' | 'too-fast';

/** The screens of one respondent (row numbers count data rows from 1). */
export interface RespondentScreen {
  readonly row: number;
  readonly answered: number;
  readonly longString: number;
  readonly irv: number;
  readonly mahalanobis: number;
  readonly p: number;
  readonly seconds?: number;
  readonly flags: readonly ScreeningFlag[];
}

export interface ScreeningResult {
  readonly n: number;
  readonly items: number;
  readonly respondents: readonly RespondentScreen[];
  /** Respondents with at least one flag. */
  readonly flagged: number;
  readonly counts: Readonly<Record<ScreeningFlag, number>>;
  readonly criteria: Required<ScreeningCriteria>;
  readonly diagnostics: Diagnostics;
}

/**
 * Careless-response screens per respondent (Meade & Craig, 2012, doi:10.1037/a0028085; Curran,
 * 2016, doi:10.1016/j.jesp.2015.07.006): the longest string of identical answers, the
 * intra-individual SD, the Mahalanobis distance from the centroid with its chi-square p, and the
 * completion time when given, each compared with a stated threshold. The screens only report:
 * nobody is removed, and the caller decides what to do with a flag. Run it on the answers as
 * given (before reverse keying), since straight-lining ignores keying.
 */
export function screenRespondents(
  data: readonly (readonly number[])[],
  options: { readonly seconds?: readonly number[]; readonly criteria?: ScreeningCriteria } = {},
): ScreeningResult {
  const J = data.length > 0 ? data[0].length : 0;
  if (data.length === 0) throw new InputError('data', 'data must hold at least one respondent.');
  if (J < 2) throw new InputError('items', `items must name at least 2 columns; got ${J}.`);
  for (const [r, row] of data.entries()) {
    if (row.length !== J) throw new InputError('data', `data row ${r + 1} has ${row.length} values; expected ${J}.`);
  }
  const { seconds } = options;
  if (seconds !== undefined && seconds.length !== data.length) {
    throw new InputError('seconds', `seconds must have one entry per respondent (${data.length}); got ${seconds.length}.`);
  }
  const c = options.criteria ?? {};
  const criteria: Required<ScreeningCriteria> = {
    maxLongString: c.maxLongString ?? Math.max(2, Math.ceil(J / 2)),
    minIrv: c.minIrv ?? 0.5,
    alpha: c.alpha ?? 0.001,
    minSecondsPerItem: c.minSecondsPerItem ?? 2,
  };
  if (!(criteria.alpha > 0 && criteria.alpha < 1)) throw new InputError('alpha', `alpha must lie between 0 and 1; got ${criteria.alpha}.`);
  const maha = mahalanobisDistances(data);
  const counts: Record<ScreeningFlag, number> = { 'long-string': 0, 'low-variability': 0, 'multivariate-outlier': 0, 'too-fast': 0 };
  let flagged = 0;
  const respondents = data.map((row, i): RespondentScreen => {
    const answered = row.filter((v) => !Number.isNaN(v)).length;
    const ls = longString(row);
    const irv = intraIndividualSd(row);
    const flags: ScreeningFlag[] = [];
    if (ls >= criteria.maxLongString) flags.push('long-string');
    if (irv < criteria.minIrv) flags.push('low-variability');
    if (maha.p[i] < criteria.alpha) flags.push('multivariate-outlier');
    const t = seconds?.[i];
    if (t !== undefined && !Number.isNaN(t) && t < criteria.minSecondsPerItem * J) flags.push('too-fast');
    for (const f of flags) counts[f]++;
    if (flags.length > 0) flagged++;
    return {
      row: i + 1,
      answered,
      longString: ls,
      irv,
      mahalanobis: maha.d2[i],
      p: maha.p[i],
      ...(seconds !== undefined ? { seconds: seconds[i] } : {}),
      flags,
    };
  });
  return { n: data.length, items: J, respondents, flagged, counts, criteria, diagnostics: closedForm(maha.warnings) };
}
