/**
 * Pearson correlation matrix of complete data held as columns (one Float64Array of n values per
 * variable; the columns are overwritten by their standardised values): each column is centred and scaled once, then r_ab = Σ z_a z_b over contiguous memory.
 * The kernel parallel analysis runs on each of its random data sets, where the general
 * `correlation` (row-wise, with missing-value handling) would dominate the run time. Same values as
 * R's `cor(x)` up to rounding.
 */
export function columnCorrelation(columns: readonly Float64Array[], n: number): number[][] {
  const p = columns.length;
  // standardise in place (the callers' columns are scratch buffers): no second n × p copy
  const z = columns.map((col) => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = col[i] - mean;
      col[i] = d;
      ss += d * d;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < n; i++) col[i] *= inv;
    return col;
  });
  const r = Array.from({ length: p }, () => new Array<number>(p).fill(1));
  for (let a = 0; a < p; a++) {
    const za = z[a];
    let b = 0;
    // four columns at a time: each z_a[i] is loaded once for four products
    for (; b + 3 < a; b += 4) {
      const [s0, s1, s2, s3] = dot4(za, z[b], z[b + 1], z[b + 2], z[b + 3], n);
      r[a][b] = r[b][a] = s0;
      r[a][b + 1] = r[b + 1][a] = s1;
      r[a][b + 2] = r[b + 2][a] = s2;
      r[a][b + 3] = r[b + 3][a] = s3;
    }
    for (; b < a; b++) r[a][b] = r[b][a] = dot(za, z[b], n);
  }
  return r;
}

function dot(x: Float64Array, y: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
  }
  if (i < n) s0 += x[i] * y[i];
  return s0 + s1;
}

function dot4(x: Float64Array, y0: Float64Array, y1: Float64Array, y2: Float64Array, y3: Float64Array, n: number): [number, number, number, number] {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    s0 += xi * y0[i];
    s1 += xi * y1[i];
    s2 += xi * y2[i];
    s3 += xi * y3[i];
  }
  return [s0, s1, s2, s3];
}

/**
 * Pearson correlations of the complete rows of `rows` (rows × variables), via `columnCorrelation`:
 * the listwise correlation matrix (R's `cor(x, use = "complete.obs")`) and the number of rows used.
 */
export function listwiseCorrelation(rows: readonly (readonly number[])[]): { r: number[][]; n: number } {
  const p = rows.length > 0 ? rows[0].length : 0;
  const buffers = Array.from({ length: p }, () => new Float64Array(rows.length));
  let n = 0;
  outer: for (const row of rows) {
    for (let j = 0; j < p; j++) if (Number.isNaN(row[j])) continue outer;
    for (let j = 0; j < p; j++) buffers[j][n] = row[j];
    n++;
  }
  const columns = buffers.map((b) => b.subarray(0, n));
  return { r: columnCorrelation(columns, n), n };
}
