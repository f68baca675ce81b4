import { InputError } from '../errors.js';
import { columnsFromRows } from './columns.js';

export type MissingPolicy = 'listwise' | 'pairwise';
export type Divisor = 'n' | 'n-1';

/** Sample moments of a data matrix: means, covariances, and the count behind each entry. */
export interface Moments {
  /** Column means (listwise: over the complete rows; pairwise: over each column's observed values). */
  readonly means: number[];
  readonly cov: number[][];
  /** Rows used: listwise, the number of complete rows; pairwise, the smallest pairwise count. */
  readonly n: number;
  /** Pairwise counts (every entry equals `n` under listwise deletion). */
  readonly counts: number[][];
  readonly missing: MissingPolicy;
  readonly divisor: Divisor;
}

/**
 * Covariance matrix with listwise or pairwise deletion of missing values (NaN).
 * Pairwise, each entry uses the rows where both columns are observed, centred on the means of
 * those rows, as R's `cov(x, use = "pairwise.complete.obs")` does. Divisor n − 1 (R's default)
 * or n (the maximum-likelihood estimate, as lavaan and psych's omega use). Rows × variables;
 * {@link columnCovariance} is the same computation on column-stored data.
 */
export function covariance(
  data: readonly (readonly number[])[],
  options: { missing?: MissingPolicy; divisor?: Divisor } = {},
): Moments {
  const p = data.length > 0 ? data[0].length : 0;
  if (p === 0) throw new InputError('items', 'items must name at least 1 column; got 0.');
  return columnCovariance(columnsFromRows(data, p).columns, data.length, options);
}

/** Rows per block of {@link columnCovariance}'s listwise pass: the block's centred values stay in cache. */
const BLOCK = 512;

/**
 * {@link covariance} of the first `length` observations of column-stored data (one Float64Array
 * per variable, NaN missing), as the streaming CSV reader gives them, without row arrays. Every
 * sum is accumulated in row order into one running total per entry, exactly as a pass over the
 * rows does, so the result is the same to the last bit; the listwise cross-products are formed
 * block by block of rows, each block's centred values held in cache while every pair uses them.
 */
export function columnCovariance(
  columns: readonly Float64Array[],
  length: number,
  { missing = 'listwise', divisor = 'n-1', rows }: { missing?: MissingPolicy; divisor?: Divisor; rows?: Uint8Array } = {},
): Moments {
  const p = columns.length;
  if (p === 0) throw new InputError('items', 'items must name at least 1 column; got 0.');
  if (rows !== undefined && missing !== 'listwise') throw new Error('columnCovariance: a row selection is for listwise moments');
  return missing === 'listwise' ? listwiseMoments(columns, length, divisor, rows) : pairwiseMoments(columns, length, divisor);
}

/** `rows` (listwise only): 1 for the observations that may be used (e.g. one group's), 0 for the others. */
function listwiseMoments(columns: readonly Float64Array[], length: number, divisor: Divisor, rows?: Uint8Array): Moments {
  const p = columns.length;
  const complete = completeMask(columns, length);
  if (rows !== undefined) for (let i = 0; i < length; i++) complete[i] &= rows[i];
  let n = 0;
  for (let i = 0; i < length; i++) n += complete[i];
  const means = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let s = 0;
    for (let i = 0; i < length; i++) if (complete[i]) s += col[i];
    means[j] = s / n;
  }
  const cross = new Float64Array(p * p);
  const centred = new Float64Array(p * BLOCK);
  const block = new Int32Array(BLOCK);
  for (let i0 = 0; i0 < length; ) {
    // the next block of complete rows
    let m = 0;
    while (i0 < length && m < BLOCK) {
      if (complete[i0]) block[m++] = i0;
      i0++;
    }
    for (let j = 0; j < p; j++) {
      const col = columns[j];
      const mean = means[j];
      const at = j * BLOCK;
      for (let k = 0; k < m; k++) centred[at + k] = col[block[k]] - mean;
    }
    for (let a = 0; a < p; a++) {
      const at = a * BLOCK;
      for (let b = a; b < p; b++) {
        const bt = b * BLOCK;
        let s = cross[a * p + b];
        for (let k = 0; k < m; k++) s += centred[at + k] * centred[bt + k];
        cross[a * p + b] = s;
      }
    }
  }
  const d = divisor === 'n' ? n : n - 1;
  const cov = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      cov[a][b] = cross[a * p + b] / d;
      cov[b][a] = cov[a][b];
    }
  }
  const counts = Array.from({ length: p }, () => new Array<number>(p).fill(n));
  return { means, cov, n, counts, missing: 'listwise', divisor };
}

/** 1 for the observations with no missing value in any column, else 0. */
export function completeMask(columns: readonly Float64Array[], length: number): Uint8Array {
  const complete = new Uint8Array(length).fill(1);
  for (const col of columns) for (let i = 0; i < length; i++) if (Number.isNaN(col[i])) complete[i] = 0;
  return complete;
}

function pairwiseMoments(columns: readonly Float64Array[], length: number, divisor: Divisor): Moments {
  const p = columns.length;
  const means = new Array<number>(p).fill(0);
  const cov = Array.from({ length: p }, () => new Array<number>(p).fill(NaN));
  const counts = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let s = 0;
    let k = 0;
    for (let i = 0; i < length; i++) {
      if (!Number.isNaN(col[i])) {
        s += col[i];
        k++;
      }
    }
    means[j] = k > 0 ? s / k : NaN;
  }
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const pair = pairSums(columns[a], columns[b], length);
      counts[a][b] = counts[b][a] = pair.k;
      const d = divisor === 'n' ? pair.k : pair.k - 1;
      if (d > 0) cov[a][b] = cov[b][a] = pair.sxy / d;
    }
  }
  let n = Infinity;
  for (const r of counts) for (const c of r) if (c < n) n = c;
  return { means, cov, n, counts, missing: 'pairwise', divisor };
}

/**
 * Rescales a covariance matrix to a correlation matrix, r_ab = s_ab / sqrt(s_aa s_bb).
 * Under pairwise deletion this is not R's pairwise `cor` (which uses each pair's own SDs);
 * use `correlation` for that.
 */
export function covarianceToCorrelation(cov: readonly (readonly number[])[]): number[][] {
  const sd = cov.map((r, i) => Math.sqrt(r[i]));
  return cov.map((r, a) => r.map((v, b) => (a === b ? 1 : v / (sd[a] * sd[b]))));
}

/**
 * Pearson correlation matrix with listwise or pairwise deletion. Pairwise, each r uses only the
 * rows where both variables are observed, with those rows' means and SDs, as R's
 * `cor(x, use = "pairwise.complete.obs")` (and so psych's `use = "pairwise"`) does. Rows ×
 * variables; {@link columnCorrelationMatrix} is the same computation on column-stored data.
 */
export function correlation(
  data: readonly (readonly number[])[],
  { missing = 'listwise' }: { missing?: MissingPolicy } = {},
): { r: number[][]; n: number; counts: number[][]; missing: MissingPolicy } {
  const p = data.length > 0 ? data[0].length : 0;
  if (p === 0) throw new InputError('items', 'items must name at least 1 column; got 0.');
  return columnCorrelationMatrix(columnsFromRows(data, p).columns, data.length, { missing });
}

/**
 * {@link correlation} of the first `length` observations of column-stored data (one Float64Array
 * per variable, NaN missing), with the same sums in the same order, so the same matrix to the
 * last bit: listwise, the {@link columnCovariance} (divisor n − 1) rescaled; pairwise, each pair's
 * centred sums over the rows where both are observed.
 */
export function columnCorrelationMatrix(
  columns: readonly Float64Array[],
  length: number,
  { missing = 'listwise' }: { missing?: MissingPolicy } = {},
): { r: number[][]; n: number; counts: number[][]; missing: MissingPolicy } {
  const p = columns.length;
  if (p === 0) throw new InputError('items', 'items must name at least 1 column; got 0.');
  if (missing === 'listwise') {
    const m = columnCovariance(columns, length, { missing, divisor: 'n-1' });
    return { r: covarianceToCorrelation(m.cov), n: m.n, counts: m.counts, missing };
  }
  const r = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? 1 : NaN)));
  const counts = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const pair = pairSums(columns[a], columns[b], length);
      counts[a][b] = counts[b][a] = pair.k;
      if (a !== b && pair.k >= 2) r[a][b] = r[b][a] = pair.sxy / Math.sqrt(pair.sxx * pair.syy);
    }
  }
  let n = Infinity;
  for (const row of counts) for (const c of row) if (c < n) n = c;
  return { r, n, counts, missing };
}

/**
 * Sums over the first `length` observations where x and y are both observed: the count k and the
 * centred cross-products Σ(x − x̄)(y − ȳ), Σ(x − x̄)², Σ(y − ȳ)², with the means taken over those rows.
 */
function pairSums(xs: Float64Array, ys: Float64Array, length: number): { k: number; sxy: number; sxx: number; syy: number } {
  let k = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    k++;
    sa += x;
    sb += y;
  }
  const ma = sa / k;
  const mb = sb / k;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const dx = x - ma;
    const dy = y - mb;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { k, sxy, sxx, syy };
}
