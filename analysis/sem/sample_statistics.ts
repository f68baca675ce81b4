import { cholesky, choleskyLogDet } from './dense.js';
import { saturatedEm } from './saturated_em.js';
import { columnCovariance } from '../data/covariance.js';

/** Rows of one group that share the same observed variables, with their moments. */
export interface MissingPattern {
  /** Indices (into the model's observed variables) of the variables observed in this pattern. */
  readonly observed: Int32Array;
  readonly n: number;
  /** Pattern mean of the observed variables. */
  readonly mean: Float64Array;
  /** Pattern covariance of the observed variables about the pattern mean, divisor n. */
  readonly cov: Float64Array;
  /** The pattern's rows on its observed variables (n × n_o, row-major), for row-by-row likelihood terms. */
  readonly rows?: Float64Array;
}

/** The sample statistics of one group. */
export interface GroupSample {
  readonly label: string;
  readonly n: number;
  /** Means and covariances (divisor n); under full-information ML the saturated EM estimates. */
  readonly mean: Float64Array;
  readonly cov: Float64Array;
  readonly logDetCov: number;
  /** Missing-data patterns, present only under full-information ML. */
  readonly patterns?: readonly MissingPattern[];
  readonly emIterations?: number;
}

/** How rows with missing values are treated: dropped (`listwise`) or used as they are (`ml`). */
export type SemMissing = 'listwise' | 'ml';

/**
 * Sample means and covariances (divisor N, the ML estimates lavaan uses) per group.
 * `listwise` drops each row with a missing model variable; `ml` keeps every row with at
 * least one observed model variable, groups the rows by missing-data pattern, and takes
 * the saturated model's means and covariances from the EM algorithm (lavaan's h1 under
 * missing = "ml"). `groupOf[r]` is row r's 0-based group, or -1 to leave it out.
 */
export function sampleStatistics(
  data: readonly (readonly number[])[],
  groupOf: readonly number[],
  labels: readonly string[],
  missing: SemMissing,
): GroupSample[] {
  const p = data.length ? data[0].length : 0;
  return labels.map((label, g) => {
    const rows = data.filter((row, r) => groupOf[r] === g && (missing === 'ml' ? row.some((v) => !Number.isNaN(v)) : row.every((v) => !Number.isNaN(v))));
    if (missing === 'listwise' || rows.every((row) => row.every((v) => !Number.isNaN(v)))) {
      const { mean, cov } = moments(rows, p);
      const l = cholesky(cov, p);
      const patterns = missing === 'ml' ? [{ observed: Int32Array.from({ length: p }, (_, i) => i), n: rows.length, mean, cov }] : undefined;
      return { label, n: rows.length, mean, cov, logDetCov: l ? choleskyLogDet(l, p) : NaN, patterns };
    }
    const patterns = missingPatterns(rows, p);
    const em = saturatedEm(patterns, p, rows.length);
    const l = cholesky(em.cov, p);
    return { label, n: rows.length, mean: em.mean, cov: em.cov, logDetCov: l ? choleskyLogDet(l, p) : NaN, patterns, emIterations: em.iterations };
  });
}

/**
 * {@link sampleStatistics} under listwise deletion from column-stored data (`columns[j]` is model
 * variable j, NaN missing; the streaming CSV reader's Float64Arrays), without row arrays. The
 * moments come from `columnCovariance` with divisor n over each group's complete rows: every sum
 * in row order and each cross-product the same as a pass over the rows makes, so the statistics
 * are those of `sampleStatistics(rows, …, 'listwise')` to the last bit.
 */
export function columnSampleStatistics(
  columns: readonly Float64Array[],
  length: number,
  groupOf: readonly number[],
  labels: readonly string[],
): GroupSample[] {
  const p = columns.length;
  return labels.map((label, g) => {
    const inGroup = new Uint8Array(length);
    for (let r = 0; r < length; r++) inGroup[r] = groupOf[r] === g ? 1 : 0;
    const m = columnCovariance(columns, length, { missing: 'listwise', divisor: 'n', rows: inGroup });
    const mean = Float64Array.from(m.means);
    const cov = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) cov[i * p + j] = m.cov[i][j];
    const l = cholesky(cov, p);
    return { label, n: m.n, mean, cov, logDetCov: l ? choleskyLogDet(l, p) : NaN, patterns: undefined };
  });
}

function moments(rows: readonly (readonly number[])[], p: number): { mean: Float64Array; cov: Float64Array } {
  const n = rows.length;
  const mean = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] += r[j];
  for (let j = 0; j < p; j++) mean[j] /= n;
  const cov = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (const r of rows) {
    for (let j = 0; j < p; j++) d[j] = r[j] - mean[j];
    for (let i = 0; i < p; i++) {
      const di = d[i];
      for (let j = 0; j <= i; j++) cov[i * p + j] += di * d[j];
    }
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      cov[i * p + j] /= n;
      cov[j * p + i] = cov[i * p + j];
    }
  return { mean, cov };
}

/** Groups rows by which variables they observe; each pattern keeps its own mean and covariance. */
export function missingPatterns(rows: readonly (readonly number[])[], p: number): MissingPattern[] {
  const byKey = new Map<string, number[][]>();
  for (const r of rows) {
    let key = '';
    for (let j = 0; j < p; j++) key += Number.isNaN(r[j]) ? '0' : '1';
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(r as number[]);
  }
  const out: MissingPattern[] = [];
  for (const [key, list] of byKey) {
    const observed = Int32Array.from([...key].flatMap((c, j) => (c === '1' ? [j] : [])));
    const sub = list.map((r) => Array.from(observed, (j) => r[j]));
    const no = observed.length;
    // a single row is its own mean, with zero covariance
    const { mean, cov } = sub.length === 1 ? { mean: Float64Array.from(sub[0]), cov: new Float64Array(no * no) } : moments(sub, no);
    const flat = new Float64Array(list.length * no);
    sub.forEach((r, i) => flat.set(r, i * no));
    out.push({ observed, n: list.length, mean, cov, rows: flat });
  }
  return out;
}
