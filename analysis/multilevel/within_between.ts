import { correlation } from '../data/covariance.js';
import { closedForm, type Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';

/** One item's split into unit and person variance. */
export interface ItemLevels {
  readonly item: string;
  /** Respondents with a value, and units with at least one. */
  readonly n: number;
  readonly units: number;
  readonly msb: number;
  readonly msw: number;
  readonly F: number;
  /** (MSB − MSW) / (MSB + (k − 1)·MSW), k = N/J: psych::statsBy's ICC1. */
  readonly icc1: number;
  /** (MSB − MSW) / MSB: psych::statsBy's ICC2. */
  readonly icc2: number;
  /** Correlation of the item with its unit means (psych's etabg). */
  readonly etaBetween: number;
  /** Correlation of the item with its deviations from the unit means (psych's etawg). */
  readonly etaWithin: number;
  /** etaBetween²: the share of the item's variance that lies between units. */
  readonly etaSquared: number;
}

/** Pooled within-unit and between-unit correlations of a set of items (psych::statsBy). */
export interface WithinBetween {
  readonly items: readonly string[];
  readonly n: number;
  readonly units: number;
  /** Correlations of the deviations from the unit means, over all respondents (psych's rwg). */
  readonly within: readonly (readonly number[])[];
  /** Correlations of the unit means, each respondent carrying its unit's means (psych's rbg). */
  readonly between: readonly (readonly number[])[];
  readonly levels: readonly ItemLevels[];
  readonly diagnostics: Diagnostics;
}

/**
 * Splits items into their within-unit and between-unit parts as psych::statsBy does (Revelle,
 * psych 2.2.9; Pedhazur, 1997, ch. 16; Dansereau, Alutto & Yammarino's WABA): each value
 * x_ij = x̄_j + (x_ij − x̄_j), and
 * - `within` (rwg) = the correlation matrix of the deviations x_ij − x̄_j over all respondents;
 * - `between` (rbg) = the correlation matrix of the unit means x̄_j, each respondent carrying
 *   its unit's means (so units weigh by their size);
 * - per item, MSB = Σ n_j(x̄_j − x̄)²/(J − 1), MSW = Σ (n_j − 1)s_j²/Σ (n_j − 1),
 *   ICC1 = (MSB − MSW)/(MSB + (k − 1)MSW) with k = N/J, ICC2 = (MSB − MSW)/MSB,
 *   etaBetween = cor(x, x̄_j), etaWithin = cor(x, x − x̄_j), etaSquared = etaBetween².
 * Missing values (NaN) are skipped item by item and correlations are pairwise, as statsBy's
 * defaults (`use = "pairwise"`): a respondent without an answer still carries the unit's mean
 * into `between`. Matches psych::statsBy(data, group) 2.2.9 (`rwg`, `rbg`,
 * `ICC1`, `ICC2`, `F`, `etabg`, `etawg`). `units` gives one unit label per row (null: row
 * left out).
 */
export function withinBetween(rows: readonly (readonly number[])[], units: readonly (string | null)[], items: readonly string[]): WithinBetween {
  const p = items.length;
  if (p < 1) throw new InputError('items', 'items must name at least 1 column; got 0.');
  if (units.length !== rows.length) throw new InputError('units', `units must give one unit per row; got ${units.length} for ${rows.length} rows.`);
  for (const r of rows) if (r.length !== p) throw new InputError('items', `every row must have ${p} values, one per item.`);
  const labels: string[] = [];
  const unitOf: number[] = [];
  const kept: (readonly number[])[] = [];
  rows.forEach((r, i) => {
    const u = units[i];
    if (u === null) return;
    let k = labels.indexOf(u);
    if (k < 0) k = labels.push(u) - 1;
    unitOf.push(k);
    kept.push(r);
  });
  const J = labels.length;
  if (J < 2) throw new InputError('units', `units must name at least 2 different units; got ${J}.`);
  // unit means and counts per item
  const sum = Array.from({ length: J }, () => new Float64Array(p));
  const count = Array.from({ length: J }, () => new Float64Array(p));
  kept.forEach((r, i) => {
    for (let a = 0; a < p; a++) {
      if (Number.isNaN(r[a])) continue;
      sum[unitOf[i]][a] += r[a];
      count[unitOf[i]][a]++;
    }
  });
  const mean = sum.map((s, j) => s.map((v, a) => (count[j][a] > 0 ? v / count[j][a] : NaN)));
  const meansRows = kept.map((_, i) => Array.from({ length: p }, (_, a) => mean[unitOf[i]][a]));
  const devRows = kept.map((r, i) => Array.from({ length: p }, (_, a) => r[a] - meansRows[i][a]));
  const warnings: string[] = [];
  const levels: ItemLevels[] = items.map((item, a) => {
    let n = 0;
    let grand = 0;
    let nUnits = 0;
    for (let j = 0; j < J; j++) {
      n += count[j][a];
      grand += sum[j][a];
      if (count[j][a] > 0) nUnits++;
    }
    grand /= n;
    let ssb = 0;
    let ssw = 0;
    kept.forEach((r, i) => {
      if (!Number.isNaN(r[a])) ssw += devRows[i][a] * devRows[i][a];
    });
    for (let j = 0; j < J; j++) if (count[j][a] > 0) ssb += count[j][a] * (mean[j][a] - grand) ** 2;
    const msb = ssb / (nUnits - 1);
    const msw = ssw / (n - nUnits);
    const k = n / nUnits;
    const pair = (x: (i: number) => number, y: (i: number) => number) => {
      const xs: number[][] = [];
      kept.forEach((_, i) => xs.push([x(i), y(i)]));
      return correlation(xs, { missing: 'pairwise' }).r[0][1];
    };
    const etaBetween = pair((i) => meansRows[i][a], (i) => kept[i][a]);
    const etaWithin = pair((i) => kept[i][a], (i) => devRows[i][a]);
    if (!(msw > 0)) warnings.push(`item ${item} does not vary within units; its ICCs are undefined.`);
    return {
      item,
      n,
      units: nUnits,
      msb,
      msw,
      F: msb / msw,
      icc1: (msb - msw) / (msb + (k - 1) * msw),
      icc2: (msb - msw) / msb,
      etaBetween,
      etaWithin,
      etaSquared: etaBetween * etaBetween,
    };
  });
  const within = correlation(devRows, { missing: 'pairwise' }).r;
  const between = correlation(meansRows, { missing: 'pairwise' }).r;
  return { items: [...items], n: kept.length, units: J, within, between, levels, diagnostics: closedForm(warnings) };
}
