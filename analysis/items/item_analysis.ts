import { closedForm, type Diagnostics } from '../diagnostics.js';
import type { MissingPolicy } from '../data/covariance.js';
import type { NumericColumns } from '../data/columns.js';
import { alphaIfDropped } from '../reliability/cronbach_alpha.js';
import { correctedItemTotal } from './corrected_item_total.js';
import { itemDistribution } from './item_distribution.js';
import { itemTotal } from './item_total.js';
import type { ItemScale } from './keyed_items.js';
import { prepareItemSet, type ItemSet, type ItemSetOptions } from './item_set.js';

/** One item's line in an item analysis. */
export interface ItemStatistics {
  readonly item: string;
  /** Answers used: the complete rows under listwise deletion, the item's answers under pairwise. */
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  /** Share of answers at the scale minimum (after keying). */
  readonly floor: number;
  /** Share of answers at the scale maximum (after keying). */
  readonly ceiling: number;
  /** Correlation of the item with the mean of all items, itself included (psych's raw.r). */
  readonly rTotal: number;
  /** Corrected item-total correlation: with the sum of the other items (psych's r.drop). */
  readonly rDrop: number;
  /** Raw alpha of the other items (NaN for a two-item scale). */
  readonly alphaIfDropped: number;
}

/** The result of `itemAnalysis`. */
export interface ItemAnalysis {
  /** Complete rows used (listwise only; left out under pairwise deletion). */
  readonly n?: number;
  readonly nRows: number;
  readonly nItems: number;
  readonly missing: MissingPolicy;
  readonly scale: ItemScale;
  readonly reverse: readonly string[];
  readonly items: readonly ItemStatistics[];
  readonly diagnostics: Diagnostics;
}

/**
 * The item table of a prepared item set: per item its answer count, mean, SD, floor and ceiling
 * shares, item-total and corrected item-total correlations and alpha if dropped. Matches
 * psych::alpha 2.2.9's `item.stats` (n, raw.r, r.drop, mean, sd) and `alpha.drop$raw_alpha`,
 * under listwise and under pairwise deletion alike.
 */
export function itemStatistics(set: ItemSet): ItemStatistics[] {
  const rDrop = correctedItemTotal(set.cov);
  const dropped = alphaIfDropped(set.cov);
  const rTotal = itemTotal(set.data);
  return set.items.map((item, j) => {
    const d = itemDistribution(set.data, j, set.scale);
    return {
      item,
      n: d.n,
      mean: d.mean,
      sd: d.sd,
      floor: d.floor,
      ceiling: d.ceiling,
      rTotal: rTotal[j],
      rDrop: rDrop[j],
      alphaIfDropped: dropped[j],
    };
  });
}

/** Warnings a scale developer should act on, from an item table. */
export function itemWarnings(items: readonly ItemStatistics[]): string[] {
  const warnings: string[] = [];
  for (const s of items) {
    if (s.rDrop < 0) {
      warnings.push(`item ${s.item} correlates negatively with the other items (rDrop ${s.rDrop.toFixed(3)}); should it be reverse-keyed?`);
    }
  }
  return warnings;
}

/**
 * Item analysis of a scale: reverse keying, listwise or pairwise deletion as psych::alpha's
 * `use` does, and `itemStatistics` for each item. Matches psych::alpha 2.2.9 where the two
 * overlap; floor and ceiling shares follow Terwee et al. (2007, doi:10.1016/j.jclinepi.2006.03.012).
 */
export function itemAnalysis(data: NumericColumns | readonly (readonly number[])[], options: ItemSetOptions): ItemAnalysis {
  const set = prepareItemSet(data, options);
  const items = itemStatistics(set);
  return {
    ...(set.missing === 'listwise' ? { n: set.n } : {}),
    nRows: set.nRows,
    nItems: set.items.length,
    missing: set.missing,
    scale: set.scale,
    reverse: set.reverse,
    items,
    diagnostics: closedForm(itemWarnings(items)),
  };
}
