import { InputError } from '../errors.js';
import { columnCovariance, completeMask, covarianceToCorrelation, type MissingPolicy } from '../data/covariance.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';
import { keyItemColumns, type ItemScale } from './keyed_items.js';

/** Options shared by item analysis and reliability: which items, how keyed, how missing values are handled. */
export interface ItemSetOptions {
  /** Item names, one per data column. */
  readonly items: readonly string[];
  /** Reverse-worded items, keyed as `scaleMin + scaleMax − x`. */
  readonly reverse?: readonly string[];
  readonly scaleMin?: number;
  readonly scaleMax?: number;
  /** `listwise` (default) drops rows with any missing item; `pairwise` uses every pair available. */
  readonly missing?: MissingPolicy;
}

/**
 * A keyed item set ready for analysis: the rows used, their covariance matrix (n − 1 divisor)
 * and its rescaling to correlations, as psych::alpha forms them.
 */
export interface ItemSet {
  readonly items: readonly string[];
  /** The rows used, column by column: the complete rows under listwise deletion, every row under pairwise. */
  readonly data: NumericColumns;
  readonly cov: number[][];
  /** `cov` rescaled by its own diagonal: psych's `cov2cor(cov(x, use))`. */
  readonly cor: number[][];
  /** Listwise: complete rows; pairwise: the smallest number of rows behind any covariance. */
  readonly n: number;
  /** Rows given, before any deletion. */
  readonly nRows: number;
  readonly missing: MissingPolicy;
  readonly scale: ItemScale;
  readonly reverse: readonly string[];
}

/**
 * Validates and prepares an item set: at least two named items, reverse keying on the stated or
 * observed scale (`keyItems`), listwise or pairwise deletion, and the item covariance matrix.
 * Input errors: fewer than two items, fewer than two usable rows (or, pairwise, two items
 * answered together fewer than twice), an item whose answers do not vary. `data`: one column per
 * item as the CSV reader stores it (never copied into rows), or rows × items.
 */
export function prepareItemSet(data: NumericColumns | readonly (readonly number[])[], options: ItemSetOptions): ItemSet {
  const { items, missing = 'listwise' } = options;
  if (items.length < 2) {
    throw new InputError('items', `items must name at least 2 columns; got ${items.length}.`);
  }
  if (new Set(items).size !== items.length) throw new InputError('items', 'items names the same column twice.');
  if (missing !== 'listwise' && missing !== 'pairwise') {
    throw new InputError('missing', `missing must be listwise or pairwise; got "${String(missing)}".`);
  }
  if (!isNumericColumns(data)) {
    for (const [r, row] of data.entries()) {
      if (row.length !== items.length) throw new InputError('items', `row ${r + 1} has ${row.length} values for ${items.length} items.`);
    }
  }
  const columns = isNumericColumns(data) ? data : columnsFromRows(data, items.length);
  const keyed = keyItemColumns(columns, options);
  const used = missing === 'listwise' ? completeColumns(keyed.data) : keyed.data;
  if (missing === 'listwise' && used.length < 2) {
    throw new InputError(
      'data',
      `only ${used.length} row${used.length === 1 ? ' answers' : 's answer'} every item; listwise deletion needs at least 2.`,
    );
  }
  const moments = columnCovariance(used.columns, used.length, { missing, divisor: 'n-1' });
  if (missing === 'pairwise') {
    for (let a = 0; a < items.length; a++) {
      for (let b = a; b < items.length; b++) {
        const k = moments.counts[a][b];
        if (k >= 2) continue;
        const what = a === b ? `item ${items[a]} is answered in` : `items ${items[a]} and ${items[b]} are answered together in`;
        throw new InputError('data', `${what} only ${k} row${k === 1 ? '' : 's'}; pairwise covariances need at least 2.`);
      }
    }
  }
  for (let j = 0; j < items.length; j++) {
    if (!(moments.cov[j][j] > 0)) {
      const value = used.columns[j].find((v) => !Number.isNaN(v));
      throw new InputError('items', `item ${items[j]} has no variance (every answer is ${value}); leave it out.`);
    }
  }
  return {
    items: [...items],
    data: used,
    cov: moments.cov,
    cor: covarianceToCorrelation(moments.cov),
    n: moments.n,
    nRows: columns.length,
    missing,
    scale: keyed.scale,
    reverse: keyed.reverse,
  };
}

/** Listwise deletion on columns: the complete rows in their original order (the columns themselves when every row is complete). */
export function completeColumns(data: NumericColumns): NumericColumns {
  const complete = completeMask(data.columns, data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) n += complete[i];
  if (n === data.length) return data;
  const columns = data.columns.map((col) => {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < data.length; i++) if (complete[i]) out[k++] = col[i];
    return out;
  });
  return { length: n, columns };
}
