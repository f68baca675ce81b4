import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';

/** Complete rows prepared for fast resampling: centred at their means, stored row by row. */
export interface CentredRows {
  readonly n: number;
  readonly p: number;
  /** n × p values minus the column means, row-major. */
  readonly values: Float64Array;
}

/** Centres complete data (one column per variable, or rows) at their column means (covariances do not depend on the centre). */
export function centreRows(data: NumericColumns | readonly (readonly number[])[]): CentredRows {
  const { columns, length: n } = isNumericColumns(data) ? data : columnsFromRows(data, data.length > 0 ? data[0].length : 0);
  const p = columns.length;
  const values = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    for (let i = 0; i < n; i++) values[i * p + j] = col[i] - mean;
  }
  return { n, p, values };
}

/**
 * The covariance matrix (N divisor) of a bootstrap resample given as how often each row was drawn:
 * with w_i the counts and m = Σ w_i x_i / Σ w_i, S = Σ w_i (x_i − m)(x_i − m)′ / Σ w_i. Equal to
 * the N-divisor covariance of the resampled rows, without copying them.
 */
export function resampledCovariance(rows: CentredRows, counts: Uint32Array): number[][] {
  const { n, p, values } = rows;
  const mean = new Float64Array(p);
  const cross = new Float64Array(p * p);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = counts[i];
    if (w === 0) continue;
    total += w;
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const wa = w * values[offset + a];
      mean[a] += wa;
      const rowStart = a * p;
      for (let b = a; b < p; b++) cross[rowStart + b] += wa * values[offset + b];
    }
  }
  for (let a = 0; a < p; a++) mean[a] /= total;
  const cov: number[][] = Array.from({ length: p }, () => new Array<number>(p));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const v = cross[a * p + b] / total - mean[a] * mean[b];
      cov[a][b] = v;
      cov[b][a] = v;
    }
  }
  return cov;
}
