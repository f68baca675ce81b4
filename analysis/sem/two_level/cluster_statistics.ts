import { cholesky, choleskyLogDet } from '../dense.js';

/** The clusters of one size, summarised by the mean and covariance of their cluster means. */
export interface ClusterSizeClass {
  /** Cluster size n. */
  readonly size: number;
  /** Number of clusters of this size. */
  readonly count: number;
  /** Mean over these clusters of v_j = (z_j, ȳ_j): between-only values first, then level-1 means. */
  readonly mean: Float64Array;
  /** Covariance of v_j over these clusters, divisor `count`. */
  readonly cov: Float64Array;
}

/**
 * The sufficient statistics of two-level data for random-intercept models (lavaan's YLp):
 * y are the level-1 variables (within-only and shared), z the between-only variables.
 */
export interface ClusterStatistics {
  readonly n: number;
  readonly clusters: number;
  readonly clusterLabels: readonly string[];
  readonly py: number;
  readonly pz: number;
  /** Pooled within-cluster covariance of y, Σ_j Σ_i (y_ij − ȳ_j)(y_ij − ȳ_j)ᵀ / (N − J). */
  readonly pooledWithin: Float64Array;
  readonly sizeClasses: readonly ClusterSizeClass[];
  /** Total covariance (divisor N) and mean of y over all rows. */
  readonly totalCov: Float64Array;
  readonly totalMean: Float64Array;
  /** Covariance (divisor J) and mean of z over clusters. */
  readonly clusterCov: Float64Array;
  readonly clusterMean: Float64Array;
  /** One cluster mean vector v_j = (z_j, ȳ_j) per cluster, and the cluster sizes. */
  readonly clusterMeans: readonly Float64Array[];
  readonly clusterSizes: readonly number[];
}

/**
 * Sufficient statistics of complete two-level data (lavaan 0.6.14,
 * lav_samplestats_cluster_patterns): the pooled within-cluster covariance S_PW, and for each
 * distinct cluster size the mean and covariance of the cluster means; plus the moments that
 * fixed covariates take (totals for level-1 covariates, cluster values for level-2 ones).
 * `y` and `z` hold each row's level-1 and between-only values; `clusterOf` each row's cluster.
 */
export function clusterStatistics(y: readonly Float64Array[], z: readonly Float64Array[], clusterOf: readonly number[], clusterLabels: readonly string[]): ClusterStatistics {
  const n = y.length;
  const J = clusterLabels.length;
  const py = n > 0 ? y[0].length : 0;
  const pz = n > 0 ? z[0].length : 0;
  const pv = pz + py;
  const sizes = new Array<number>(J).fill(0);
  const sums = Array.from({ length: J }, () => new Float64Array(pv));
  for (let r = 0; r < n; r++) {
    const c = clusterOf[r];
    sizes[c]++;
    const s = sums[c];
    for (let a = 0; a < pz; a++) s[a] = z[r][a]; // constant within a cluster (checked by the caller)
    for (let a = 0; a < py; a++) s[pz + a] += y[r][a];
  }
  const means = sums.map((s, c) => {
    const m = Float64Array.from(s);
    for (let a = pz; a < pv; a++) m[a] /= sizes[c];
    return m;
  });
  const pooledWithin = new Float64Array(py * py);
  const d = new Float64Array(py);
  for (let r = 0; r < n; r++) {
    const m = means[clusterOf[r]];
    for (let a = 0; a < py; a++) d[a] = y[r][a] - m[pz + a];
    for (let a = 0; a < py; a++) for (let b = 0; b <= a; b++) pooledWithin[a * py + b] += d[a] * d[b];
  }
  symmetrise(pooledWithin, py, 1 / (n - J));
  const totalMean = new Float64Array(py);
  for (const row of y) for (let a = 0; a < py; a++) totalMean[a] += row[a] / n;
  const totalCov = new Float64Array(py * py);
  for (const row of y) {
    for (let a = 0; a < py; a++) d[a] = row[a] - totalMean[a];
    for (let a = 0; a < py; a++) for (let b = 0; b <= a; b++) totalCov[a * py + b] += d[a] * d[b];
  }
  symmetrise(totalCov, py, 1 / n);
  const clusterMean = new Float64Array(pz);
  for (const m of means) for (let a = 0; a < pz; a++) clusterMean[a] += m[a] / J;
  const clusterCov = new Float64Array(pz * pz);
  for (const m of means) for (let a = 0; a < pz; a++) for (let b = 0; b <= a; b++) clusterCov[a * pz + b] += (m[a] - clusterMean[a]) * (m[b] - clusterMean[b]);
  symmetrise(clusterCov, pz, 1 / J);
  const distinct = [...new Set(sizes)].sort((a, b) => a - b);
  const sizeClasses = distinct.map((size) => {
    const members = means.filter((_, c) => sizes[c] === size);
    const count = members.length;
    const mean = new Float64Array(pv);
    for (const m of members) for (let a = 0; a < pv; a++) mean[a] += m[a] / count;
    const cov = new Float64Array(pv * pv);
    for (const m of members) for (let a = 0; a < pv; a++) for (let b = 0; b <= a; b++) cov[a * pv + b] += (m[a] - mean[a]) * (m[b] - mean[b]);
    symmetrise(cov, pv, 1 / count);
    return { size, count, mean, cov };
  });
  return { n, clusters: J, clusterLabels, py, pz, pooledWithin, sizeClasses, totalCov, totalMean, clusterCov, clusterMean, clusterMeans: means, clusterSizes: sizes };
}

/** Fills the upper triangle from the lower one, scaling both by `f`. */
function symmetrise(a: Float64Array, p: number, f: number): void {
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      a[i * p + j] *= f;
      a[j * p + i] = a[i * p + j];
    }
}

/**
 * The saturated log-likelihood of fixed covariates, −(n/2)(k ln 2π + ln|S| + k) for S the ML
 * covariance of k covariates over n rows (lavaan's loglik.x, which a two-level fit subtracts
 * with fixed.x: level-1 covariates over the N rows, level-2 ones over the J clusters).
 */
export function covariateLoglik(cov: Float64Array, p: number, idx: readonly number[], n: number): number {
  const k = idx.length;
  if (k === 0) return 0;
  const s = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s[a * k + b] = cov[idx[a] * p + idx[b]];
  const l = cholesky(s, k);
  const logDet = l ? choleskyLogDet(l, k) : NaN;
  return -0.5 * n * (k * Math.log(2 * Math.PI) + logDet + k);
}
