import { choleskyRows } from '../math/cholesky.js';
import { SubmatrixQuadraticForms } from '../math/submatrix_quadratic.js';
import { chiSquareUpperTail } from '../math/chi_square_distribution.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';
import { columnCovariance, completeMask } from '../data/covariance.js';

/** Squared Mahalanobis distances of respondents from the sample centroid, with chi-square p-values. */
export interface MahalanobisDistances {
  /** D² per row; NaN when the row answers fewer than two items. */
  readonly d2: Float64Array;
  /** P(χ²(df) > D²), df = the number of items the row answered. */
  readonly p: Float64Array;
  readonly df: Int32Array;
  /** Rows used for the centroid and covariance matrix (complete rows). */
  readonly nComplete: number;
  readonly warnings: readonly string[];
}

/** Missing-data patterns whose Cholesky factors are kept at once (only when S is singular). */
const FACTORS_KEPT = 1_024;

/**
 * D² = (x − x̄)ᵀ S⁻¹ (x − x̄) for each row, x̄ and S (n − 1 divisor) from the complete rows; a
 * row with missing answers is measured on its answered items with the matching sub-matrix of S
 * (df = items answered). Large D² flags multivariate outliers such as random responders (Meade &
 * Craig, 2012, doi:10.1037/a0028085). Matches R's `mahalanobis(x, colMeans(x), cov(x))` on
 * complete data, with `pchisq(d2, ncol(x), lower.tail = FALSE)`. `data` is rows × items or
 * column-stored (the streaming reader's Float64Array columns, read without row arrays); x̄ and S
 * come from `columnCovariance`, every sum in row order. S is factored once and a row's distance on
 * its answered items taken from S⁻¹ through the Schur complement of its missing items
 * (`SubmatrixQuadraticForms`: n² + k³/6 per row with k missing, instead of a factor of S_oo per
 * missing-data pattern); only when S itself is singular is each pattern's S_oo factored on its own.
 */
export function mahalanobisDistances(data: readonly (readonly number[])[] | NumericColumns): MahalanobisDistances {
  const x = isNumericColumns(data) ? data : columnsFromRows(data, data.length > 0 ? data[0].length : 0);
  const N = x.length;
  const J = x.columns.length;
  const complete = completeMask(x.columns, N);
  let n = 0;
  for (let i = 0; i < N; i++) n += complete[i];
  const warnings: string[] = [];
  const d2 = new Float64Array(N).fill(NaN);
  const p = new Float64Array(N).fill(NaN);
  const df = new Int32Array(N);
  if (n <= J) {
    warnings.push(`Mahalanobis distances need more complete rows (${n}) than items (${J}); they are not computed.`);
    return { d2, p, df, nComplete: n, warnings };
  }
  const { means: mean, cov: S } = columnCovariance(x.columns, N, { missing: 'listwise', divisor: 'n-1' });

  const minPivot = 1e-10;
  const packed = new Float64Array(J * J);
  for (let a = 0; a < J; a++) for (let b = 0; b < J; b++) packed[a * J + b] = S[a][b];
  // S factored once; null when S is singular, and then each pattern's S_oo is factored on its own
  const forms = SubmatrixQuadraticForms.of(packed, J, minPivot);

  // Cholesky factors by missing-data pattern (S singular), at most FACTORS_KEPT of them: with many
  // items and a little missingness most patterns are unique, and keeping a p × p factor for each
  // would grow without bound; a factor dropped is recomputed, the same
  const factors = new Map<string, { cols: number[]; L: number[][] | null }>();
  const factorFor = (row: Float64Array) => {
    let key = '';
    for (let j = 0; j < J; j++) key += Number.isNaN(row[j]) ? '0' : '1';
    let f = factors.get(key);
    if (f === undefined) {
      const cols: number[] = [];
      for (let j = 0; j < J; j++) if (!Number.isNaN(row[j])) cols.push(j);
      f = { cols, L: cols.length >= 2 ? choleskyRows(cols.map((a) => cols.map((b) => S[a][b])), minPivot) : null };
      if (factors.size >= FACTORS_KEPT) factors.clear();
      factors.set(key, f);
    }
    return f;
  };
  /** D² of `row` from its pattern's own factor: L z = x − x̄, D² = zᵀz; NaN when S_oo is singular. */
  const z = new Float64Array(J);
  const patternDistance = (row: Float64Array): number => {
    const { cols, L } = factorFor(row);
    if (L === null) return NaN;
    let sum = 0;
    for (let i = 0; i < cols.length; i++) {
      let v = row[cols[i]] - mean[cols[i]];
      const Li = L[i];
      for (let k = 0; k < i; k++) v -= Li[k] * z[k];
      z[i] = v / Li[i];
      sum += z[i] * z[i];
    }
    return sum;
  };

  let singular = false;
  const row = new Float64Array(J);
  const centred = new Float64Array(J);
  const missing = new Int32Array(J);
  for (let r = 0; r < N; r++) {
    let k = 0;
    for (let j = 0; j < J; j++) {
      const v = x.columns[j][r];
      row[j] = v;
      if (Number.isNaN(v)) missing[k++] = j;
      else centred[j] = v - mean[j];
    }
    df[r] = J - k;
    if (J - k < 2) continue;
    let sum = forms === null ? NaN : forms.evaluate(centred, missing, k);
    if (Number.isNaN(sum)) sum = patternDistance(row);
    if (Number.isNaN(sum)) {
      singular = true;
      continue;
    }
    if (sum < 0) sum = 0;
    d2[r] = sum;
    p[r] = chiSquareUpperTail(sum, J - k);
  }
  if (singular) warnings.push('the item covariance matrix is singular (an item is constant or a linear combination of others); some distances are not computed.');
  return { d2, p, df, nComplete: n, warnings };
}
