import { InputError } from '../errors.js';
import { closedForm, type Diagnostics } from '../diagnostics.js';
import { nullVariance, NULL_DISTRIBUTIONS, type NullDistribution } from './null_variance.js';
import { columnVariances, meanOf, rwgJFromVariance, rwgJLindellFromVariance } from './rwg_j.js';
import { awgItem } from './awg.js';
import { averageDeviationItem, averageDeviationCutoff } from './average_deviation.js';
import { oneWayIccByUnit } from './icc.js';
import { compareUnitNames } from './group_index.js';
import { codeLabels, columnsFromRows, isCodedLabels, missingCode, type AnswerColumns, type CodedLabels, type NumericColumns } from '../data/columns.js';
import { rwgJNullDistribution } from './rwg_j_null.js';
import { LazyList } from '../data/lazy_list.js';
import { agreementStrength, type AgreementStrength } from './agreement_strength.js';
import {
  aggregationVerdict,
  DEFAULT_AGGREGATION_CRITERIA,
  type AggregationCriteria,
  type AggregationVerdict,
} from './aggregation_verdict.js';

export interface AgreementOptions {
  /** Number of response options A. */
  readonly scalePoints: number;
  /** Null distribution for σ²E; default uniform, (A² − 1)/12. */
  readonly null?: NullDistribution;
  /**
   * Lowest response option, for awg's scale ends L and H = L + A − 1. Default 1, or the smallest
   * observed answer when that is below 1 (a 0-based scale).
   */
  readonly scaleMin?: number;
  readonly criteria?: AggregationCriteria;
  /**
   * Also compare each unit's rwg(j) with its chance distribution (uniform random answers, the
   * unit's size, J items; `rwgJNullDistribution`), simulated once per distinct unit size.
   */
  readonly chance?: { readonly replications?: number; readonly seed?: number };
}

/** Within-unit agreement of one unit. Indices that need two respondents are absent for a unit of one. */
export interface UnitAgreement {
  readonly unit: string;
  readonly n: number;
  /** rwg(j) (rwg with one item) against the chosen null, mean item variance capped at σ²E. */
  readonly rwgj?: number;
  /** LeBreton & Senter's verbal band of rwg(j). */
  readonly strength?: AgreementStrength | null;
  /** Lindell et al.'s r*wg(j) = 1 − S̄²/σ²E (uncapped). */
  readonly rwgjLindell?: number;
  /** awg (Brown & Hauenstein, 2005), the mean of the defined item values; null when none is defined. */
  readonly awg?: number | null;
  /** AD_M(J) around the item means (Burke et al., 1999). */
  readonly ad?: number;
  /** AD at or below the practical cut-off A/6. */
  readonly adAgrees?: boolean;
  /** With `chance`: the rwg(j) that random answering exceeds with probability ≤ .05, for this unit's size. */
  readonly rwgjCritical95?: number;
  /** With `chance`: rwg(j) ≥ rwgjCritical95. */
  readonly aboveChance?: boolean;
  readonly verdict: AggregationVerdict;
}

export interface AgreementResult {
  /** Respondents used (complete on the items and the unit). */
  readonly n: number;
  readonly dropped: number;
  readonly items: number;
  /** One entry per unit, in unit-name order (numbers as numbers: "2" before "10"). */
  readonly units: readonly UnitAgreement[];
  readonly icc1: number;
  readonly icc2: number;
  readonly anova: { readonly F: number; readonly df1: number; readonly df2: number; readonly p: number; readonly msb: number; readonly msw: number };
  readonly meanRwgj: number;
  /** Share of units (with rwg(j)) at or above the criterion. */
  readonly shareAgreeing: number;
  readonly adCutoff: number;
  readonly options: {
    readonly scalePoints: number;
    readonly null: NullDistribution;
    readonly nullVariance: number;
    readonly scaleMin: number;
    readonly scaleMax: number;
    readonly criteria: AggregationCriteria;
    readonly chance: { readonly replications: number; readonly seed: number } | null;
  };
  readonly diagnostics: Diagnostics;
}

/**
 * {@link AgreementResult} with the units as a {@link LazyList}: each unit's object is built when
 * asked for, from statistics held in typed arrays (the same objects `agreement` returns). For
 * writing the result of hundreds of thousands of rows without holding every unit's object.
 */
export interface AgreementReport extends Omit<AgreementResult, 'units'> {
  readonly units: LazyList<UnitAgreement>;
}

/**
 * Within-unit agreement and between-unit variance for aggregating a J-item scale to the unit:
 * per unit rwg(j) (James, Demaree & Wolf, 1984, doi:10.1037/0021-9010.69.1.85) against a uniform
 * or skewed null (LeBreton & Senter, 2008, doi:10.1177/1094428106296642), Lindell's r*wg(j),
 * awg (Brown & Hauenstein, 2005, doi:10.1177/1094428105275376) and AD_M(J) (Burke et al., 1999,
 * doi:10.1177/109442819921004) with its A/6 cut-off; for the sample ICC(1), ICC(2) and the F test
 * of a one-way ANOVA of respondents' item means on the unit (Bliese, 2000); and each unit's
 * aggregation verdict. Rows with a missing answer or unit are dropped. `data` is respondents × items,
 * as rows or column-stored (a file read by the streaming CSV reader, ratings one byte each), `units`
 * strings or codes.
 * Matches multilevel 2.7: rwg.j / rwg, rwg.j.lindell, awg, ad.m, ICC1, ICC2.
 */
export function agreement(
  data: readonly (readonly number[])[] | NumericColumns | AnswerColumns,
  units: readonly (string | null)[] | CodedLabels,
  options: AgreementOptions,
): AgreementResult {
  const report = agreementReport(data, units, options);
  return { ...report, units: report.units.toArray() };
}

/** {@link agreement} with its units built one at a time when read (see {@link AgreementReport}). */
export function agreementReport(
  data: readonly (readonly number[])[] | NumericColumns | AnswerColumns,
  units: readonly (string | null)[] | CodedLabels,
  options: AgreementOptions,
): AgreementReport {
  const A = options.scalePoints;
  const dist = options.null ?? 'uniform';
  if (!(NULL_DISTRIBUTIONS as readonly string[]).includes(dist)) {
    throw new InputError('null', `null must be one of ${NULL_DISTRIBUTIONS.join(', ')}; got "${dist}".`);
  }
  const sigma2 = nullVariance(A, dist);
  const criteria = options.criteria ?? DEFAULT_AGGREGATION_CRITERIA;
  const N = data.length;
  const unitCount = isCodedLabels(units) ? units.codes.length : units.length;
  if (unitCount !== N) throw new InputError('units', `units must have one entry per row (${N}); got ${unitCount}.`);
  const x = asColumns(data);
  const J = x.columns.length;
  if (J < 1) throw new InputError('items', 'items must name at least 1 column; got 0.');
  const coded = isCodedLabels(units) ? units : codeLabels(units);
  // a missing answer: NaN in a Float64Array column, 255 in a one-byte column
  const missing = x.columns.map(missingCode);

  // Complete rows, grouped by unit in order of first appearance among them: a first pass counts
  // each unit's complete rows, a second lists them (a counting sort into one Int32Array), so no
  // array holds a value per row of the file besides the answers and the unit codes themselves.
  const complete = (r: number): boolean => {
    for (let j = 0; j < J; j++) {
      const v = x.columns[j][r];
      if (v !== v || v === missing[j]) return false;
    }
    return true;
  };
  const groupOfLevel = new Int32Array(coded.levels.length).fill(-1);
  const names: string[] = [];
  const counts: number[] = [];
  let used = 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (let r = 0; r < N; r++) {
    const u = coded.codes[r];
    if (u < 0 || !complete(r)) continue;
    for (let j = 0; j < J; j++) {
      const v = x.columns[j][r];
      if (v < lowest) lowest = v;
      if (v > highest) highest = v;
    }
    let g = groupOfLevel[u];
    if (g < 0) {
      g = groupOfLevel[u] = names.length;
      names.push(coded.levels[u]);
      counts.push(0);
    }
    counts[g]++;
    used++;
  }
  const offsets = new Int32Array(names.length + 1);
  let largest = 0;
  for (let g = 0; g < names.length; g++) {
    offsets[g + 1] = offsets[g] + counts[g];
    largest = Math.max(largest, counts[g]);
  }
  const members = new Int32Array(used);
  const placed = counts.fill(0);
  for (let r = 0; r < N; r++) {
    const u = coded.codes[r];
    if (u < 0 || !complete(r)) continue;
    const g = groupOfLevel[u];
    members[offsets[g] + placed[g]++] = r;
  }
  const warnings: string[] = [];
  const dropped = N - used;
  if (dropped > 0) warnings.push(`${dropped} row${dropped === 1 ? '' : 's'} with a missing answer or unit ${dropped === 1 ? 'was' : 'were'} dropped.`);
  if (used === 0) throw new InputError('items', 'no row is complete on the items and the unit.');
  const scaleMin = options.scaleMin ?? (lowest < 1 ? lowest : 1);
  const scaleMax = scaleMin + A - 1;
  const awgDefined = lowest >= scaleMin && highest <= scaleMax;
  if (!awgDefined) {
    warnings.push(`answers run from ${lowest} to ${highest}, outside the scale ${scaleMin}–${scaleMax}; awg is not computed (set the scale's lowest option).`);
  }

  // the ANOVA of respondents' item means, each mean summed item by item as meanOf does and
  // formed when its unit is reached rather than kept for every row
  const aov = oneWayIccByUnit(names.length, largest, (g, out) => {
    const from = offsets[g];
    const to = offsets[g + 1];
    for (let k = from; k < to; k++) {
      const r = members[k];
      let s = 0;
      for (let j = 0; j < J; j++) s += x.columns[j][r];
      out[k - from] = s / J;
    }
    return to - from;
  });
  if (names.length < 2) warnings.push('there is only one unit, so ICC(1), ICC(2) and the F test are undefined.');
  else if (aov.df2 === 0) warnings.push('every unit has one respondent, so ICC(1), ICC(2) and the F test are undefined.');
  const sample = { icc1: aov.icc1, icc2: aov.icc2, p: aov.p };

  const chance = options.chance === undefined ? null : { replications: options.chance.replications ?? 10_000, seed: options.chance.seed ?? 1 };
  if (chance !== null && dist !== 'uniform') {
    throw new InputError('chance', 'the chance comparison simulates uniform random answers; use it with the uniform null.');
  }
  const critical = new Map<number, number>();
  const criticalFor = (n: number): number => {
    let c = critical.get(n);
    if (c === undefined) {
      c = rwgJNullDistribution(n, J, A, chance!).critical95;
      critical.set(n, c);
    }
    return c;
  };
  // Each unit's statistics first, one number per unit in typed arrays; the result objects are
  // built afterwards, once, in the order they are reported (few objects outlive the loop, so the
  // young generation of the JavaScript heap does not grow to hold 20,000 units' results).
  const G = names.length;
  const meanVariance = new Float64Array(G).fill(NaN);
  const awg = new Float64Array(G).fill(NaN); // NaN: no item's awg is defined
  const ad = new Float64Array(G).fill(NaN);
  // one item's answers in the unit at hand
  const buffer = new Float64Array(largest);
  for (let g = 0; g < G; g++) {
    const from = offsets[g];
    const to = offsets[g + 1];
    const n = to - from;
    if (n < 2) continue;
    meanVariance[g] = meanOf(columnVariances(x.columns, members, from, to));
    let awgSum = 0;
    let awgCount = 0;
    let adSum = 0;
    const values = buffer.subarray(0, n);
    for (let j = 0; j < J; j++) {
      const col = x.columns[j];
      for (let i = 0; i < n; i++) values[i] = col[members[from + i]];
      if (awgDefined) {
        const a = awgItem(values, scaleMin, scaleMax);
        if (!Number.isNaN(a)) {
          awgSum += a;
          awgCount++;
        }
      }
      adSum += averageDeviationItem(values);
    }
    if (awgCount > 0) awg[g] = awgSum / awgCount;
    ad[g] = adSum / J;
  }
  const order = Array.from(names.keys()).sort((a, b) => compareUnitNames(names[a], names[b]));
  const unitAt = (i: number): UnitAgreement => {
    const g = order[i];
    const unit = names[g];
    const n = offsets[g + 1] - offsets[g];
    if (n < 2) return { unit, n, verdict: aggregationVerdict(NaN, sample, criteria) };
    const S = meanVariance[g];
    const rwgj = rwgJFromVariance(S, J, sigma2);
    return {
      unit,
      n,
      rwgj,
      strength: agreementStrength(rwgj),
      rwgjLindell: rwgJLindellFromVariance(S, sigma2),
      ...(awgDefined ? { awg: Number.isNaN(awg[g]) ? null : awg[g] } : {}),
      ad: ad[g],
      adAgrees: ad[g] <= averageDeviationCutoff(A),
      ...(chance !== null ? { rwgjCritical95: criticalFor(n), aboveChance: rwgj >= criticalFor(n) } : {}),
      verdict: aggregationVerdict(rwgj, sample, criteria),
    };
  };
  // the mean rwg(j) and the share agreeing over the units that have one, summed in report order
  let rwgSum = 0;
  let withRwg = 0;
  let agreeing = 0;
  for (const g of order) {
    if (offsets[g + 1] - offsets[g] < 2) continue;
    const rwgj = rwgJFromVariance(meanVariance[g], J, sigma2);
    rwgSum += rwgj;
    withRwg++;
    if (rwgj >= criteria.minRwgJ) agreeing++;
  }
  return {
    n: used,
    dropped,
    items: J,
    units: new LazyList(G, unitAt),
    icc1: aov.icc1,
    icc2: aov.icc2,
    anova: { F: aov.F, df1: aov.df1, df2: aov.df2, p: aov.p, msb: aov.msb, msw: aov.msw },
    meanRwgj: withRwg === 0 ? NaN : rwgSum / withRwg,
    shareAgreeing: withRwg === 0 ? NaN : agreeing / withRwg,
    adCutoff: averageDeviationCutoff(A),
    options: { scalePoints: A, null: dist, nullVariance: sigma2, scaleMin, scaleMax, criteria, chance },
    diagnostics: closedForm(warnings),
  };
}

/** The answers as columns, checking that every row of a row array has as many values as the first. */
function asColumns(data: readonly (readonly number[])[] | NumericColumns | AnswerColumns): AnswerColumns {
  if (!Array.isArray(data)) return data as AnswerColumns;
  const J = data.length > 0 ? data[0].length : 0;
  for (let r = 0; r < data.length; r++) {
    if (data[r].length !== J) throw new InputError('data', `data row ${r + 1} has ${data[r].length} values; expected ${J}.`);
  }
  return columnsFromRows(data, J);
}
