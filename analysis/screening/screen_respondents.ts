import { InputError } from '../errors.js';
import { closedForm, type Diagnostics } from '../diagnostics.js';
import { longString } from './long_string.js';
import { intraIndividualSd } from './intra_individual_sd.js';
import { mahalanobisDistances } from './mahalanobis.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';
import { LazyList } from '../data/lazy_list.js';

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

/** {@link ScreeningResult} with the respondents as a {@link LazyList}, each object made when read. */
export interface ScreeningReport extends Omit<ScreeningResult, 'respondents'> {
  readonly respondents: LazyList<RespondentScreen>;
}

export interface ScreeningOptions {
  /** Completion time in seconds, one per respondent (NaN when unknown). */
  readonly seconds?: ArrayLike<number>;
  readonly criteria?: ScreeningCriteria;
}

/**
 * Careless-response screens per respondent (Meade & Craig, 2012, doi:10.1037/a0028085; Curran,
 * 2016, doi:10.1016/j.jesp.2015.07.006): the longest string of identical answers, the
 * intra-individual SD, the Mahalanobis distance from the centroid with its chi-square p, and the
 * completion time when given, each compared with a stated threshold. The screens only report:
 * nobody is removed, and the caller decides what to do with a flag. Run it on the answers as
 * given (before reverse keying), since straight-lining ignores keying. `data` is rows × items or
 * column-stored (the streaming reader's Float64Array columns).
 */
export function screenRespondents(data: readonly (readonly number[])[] | NumericColumns, options: ScreeningOptions = {}): ScreeningResult {
  const report = screeningReport(data, options);
  return { ...report, respondents: report.respondents.toArray() };
}

/** Flags as bits of one byte per respondent, in the order they are listed. */
const FLAGS: readonly ScreeningFlag[] = ['long-string', 'low-variability', 'multivariate-outlier', 'too-fast'];

/**
 * {@link screenRespondents} with the screens of each respondent kept in typed arrays and its
 * object made when read (for a million respondents, written one at a time by `writeJson`).
 */
export function screeningReport(data: readonly (readonly number[])[] | NumericColumns, options: ScreeningOptions = {}): ScreeningReport {
  let x: NumericColumns;
  if (isNumericColumns(data)) {
    x = data;
    if (x.length === 0) throw new InputError('data', 'data must hold at least one respondent.');
    if (x.columns.length < 2) throw new InputError('items', `items must name at least 2 columns; got ${x.columns.length}.`);
  } else {
    const J = data.length > 0 ? data[0].length : 0;
    if (data.length === 0) throw new InputError('data', 'data must hold at least one respondent.');
    if (J < 2) throw new InputError('items', `items must name at least 2 columns; got ${J}.`);
    for (const [r, row] of data.entries()) {
      if (row.length !== J) throw new InputError('data', `data row ${r + 1} has ${row.length} values; expected ${J}.`);
    }
    x = columnsFromRows(data, J);
  }
  const N = x.length;
  const J = x.columns.length;
  const { seconds } = options;
  if (seconds !== undefined && seconds.length !== N) {
    throw new InputError('seconds', `seconds must have one entry per respondent (${N}); got ${seconds.length}.`);
  }
  const c = options.criteria ?? {};
  const criteria: Required<ScreeningCriteria> = {
    maxLongString: c.maxLongString ?? Math.max(2, Math.ceil(J / 2)),
    minIrv: c.minIrv ?? 0.5,
    alpha: c.alpha ?? 0.001,
    minSecondsPerItem: c.minSecondsPerItem ?? 2,
  };
  if (!(criteria.alpha > 0 && criteria.alpha < 1)) throw new InputError('alpha', `alpha must lie between 0 and 1; got ${criteria.alpha}.`);
  const maha = mahalanobisDistances(x);
  const counts: Record<ScreeningFlag, number> = { 'long-string': 0, 'low-variability': 0, 'multivariate-outlier': 0, 'too-fast': 0 };
  let flagged = 0;
  const answered = new Int32Array(N);
  const longest = new Int32Array(N);
  const irv = new Float64Array(N);
  const flags = new Uint8Array(N);
  const row = new Float64Array(J);
  for (let i = 0; i < N; i++) {
    let k = 0;
    for (let j = 0; j < J; j++) {
      const v = (row[j] = x.columns[j][i]);
      if (!Number.isNaN(v)) k++;
    }
    answered[i] = k;
    longest[i] = longString(row);
    irv[i] = intraIndividualSd(row);
    const t = seconds?.[i];
    let bits = 0;
    if (longest[i] >= criteria.maxLongString) bits |= 1;
    if (irv[i] < criteria.minIrv) bits |= 2;
    if (maha.p[i] < criteria.alpha) bits |= 4;
    if (t !== undefined && !Number.isNaN(t) && t < criteria.minSecondsPerItem * J) bits |= 8;
    for (let f = 0; f < FLAGS.length; f++) if ((bits & (1 << f)) !== 0) counts[FLAGS[f]]++;
    flags[i] = bits;
    if (bits !== 0) flagged++;
  }
  const respondentAt = (i: number): RespondentScreen => ({
    row: i + 1,
    answered: answered[i],
    longString: longest[i],
    irv: irv[i],
    mahalanobis: maha.d2[i],
    p: maha.p[i],
    ...(seconds !== undefined ? { seconds: seconds[i] } : {}),
    flags: FLAGS.filter((_, f) => (flags[i] & (1 << f)) !== 0),
  });
  return { n: N, items: J, respondents: new LazyList(N, respondentAt), flagged, counts, criteria, diagnostics: closedForm(maha.warnings) };
}
