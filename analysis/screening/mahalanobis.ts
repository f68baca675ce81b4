import { choleskyRows } from '../math/cholesky.js';
import { chiSquareUpperTail } from '../math/chi_square_distribution.js';

/** Squared Mahalanobis distances of respondents from the sample centroid, with chi-square p-values. */
export interface MahalanobisDistances {
  /** D² per row; NaN when the row answers fewer than two items. */
  readonly d2: readonly number[];
  /** P(χ²(df) > D²), df = the number of items the row answered. */
  readonly p: readonly number[];
  readonly df: readonly number[];
  /** Rows used for the centroid and covariance matrix (complete rows). */
  readonly nComplete: number;
  readonly warnings: readonly string[];
}

/**
 * D² = (x − x̄)ᵀ S⁻¹ (x − x̄) for each row, x̄ and S (n − 1 divisor) from the complete rows; a
 * row with missing answers is measured on its answered items with the matching sub-matrix of S
 * (df = items answered). Large D² flags multivariate outliers such as random responders (Meade &
 * Craig, 2012, doi:10.1037/a0028085). Matches R's `mahalanobis(x, colMeans(x), cov(x))` on
 * complete data, with `pchisq(d2, ncol(x), lower.tail = FALSE)`.
 */
export function mahalanobisDistances(data: readonly (readonly number[])[]): MahalanobisDistances {
  const J = data.length > 0 ? data[0].length : 0;
  const complete = data.filter((r) => r.every((v) => !Number.isNaN(v)));
  const n = complete.length;
  const warnings: string[] = [];
  const nan = () => data.map(() => NaN);
  if (n <= J) {
    warnings.push(`Mahalanobis distances need more complete rows (${n}) than items (${J}); they are not computed.`);
    return { d2: nan(), p: nan(), df: data.map(() => 0), nComplete: n, warnings };
  }
  const mean = new Array<number>(J).fill(0);
  for (const r of complete) for (let j = 0; j < J; j++) mean[j] += r[j];
  for (let j = 0; j < J; j++) mean[j] /= n;
  const S = Array.from({ length: J }, () => new Array<number>(J).fill(0));
  for (const r of complete) {
    for (let i = 0; i < J; i++) {
      const di = r[i] - mean[i];
      const Si = S[i];
      for (let j = 0; j <= i; j++) Si[j] += di * (r[j] - mean[j]);
    }
  }
  for (let i = 0; i < J; i++) for (let j = 0; j <= i; j++) S[j][i] = S[i][j] = S[i][j] / (n - 1);

  const factors = new Map<string, { cols: number[]; L: number[][] | null }>();
  const factorFor = (row: readonly number[]) => {
    let key = '';
    for (let j = 0; j < J; j++) key += Number.isNaN(row[j]) ? '0' : '1';
    let f = factors.get(key);
    if (f === undefined) {
      const cols: number[] = [];
      for (let j = 0; j < J; j++) if (!Number.isNaN(row[j])) cols.push(j);
      f = { cols, L: cols.length >= 2 ? choleskyRows(cols.map((a) => cols.map((b) => S[a][b])), 1e-10) : null };
      factors.set(key, f);
    }
    return f;
  };
  const d2: number[] = [];
  const p: number[] = [];
  const df: number[] = [];
  let singular = false;
  const z = new Array<number>(J);
  for (const row of data) {
    const { cols, L } = factorFor(row);
    if (L === null) {
      if (cols.length >= 2) singular = true;
      d2.push(NaN);
      p.push(NaN);
      df.push(cols.length);
      continue;
    }
    // forward substitution: L z = x − x̄, D² = zᵀz
    let sum = 0;
    for (let i = 0; i < cols.length; i++) {
      let v = row[cols[i]] - mean[cols[i]];
      const Li = L[i];
      for (let k = 0; k < i; k++) v -= Li[k] * z[k];
      z[i] = v / Li[i];
      sum += z[i] * z[i];
    }
    d2.push(sum);
    p.push(chiSquareUpperTail(sum, cols.length));
    df.push(cols.length);
  }
  if (singular) warnings.push('the item covariance matrix is singular (an item is constant or a linear combination of others); some distances are not computed.');
  return { d2, p, df, nComplete: n, warnings };
}
