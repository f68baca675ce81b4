/**
 * Standardized root mean square residual (Bentler's form, lavaan's default "srmr"): per group,
 * the root mean square of the residuals (s_ij − σ_ij)/√(s_ii s_jj) over the p(p+1)/2 distinct
 * covariances and, with a mean structure, of (x̄_i − μ_i)/√s_ii over the p means; groups
 * averaged with weights n_g/N (Bentler, 1995; Hu & Bentler, 1999,
 * doi:10.1080/10705519909540118). Matches lavaan::fitMeasures "srmr" (srmr_bentler).
 */
export function srmrGroup(
  s: Float64Array,
  mean: Float64Array,
  sigma: Float64Array,
  mu: Float64Array,
  p: number,
  meanstructure: boolean,
): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      const r = (s[i * p + j] - sigma[i * p + j]) / Math.sqrt(s[i * p + i] * s[j * p + j]);
      sum += r * r;
      count++;
    }
  }
  if (meanstructure) {
    for (let i = 0; i < p; i++) {
      const r = (mean[i] - mu[i]) / Math.sqrt(s[i * p + i]);
      sum += r * r;
      count++;
    }
  }
  return Math.sqrt(sum / count);
}

/** The n-weighted mean of the groups' SRMR values. */
export function srmr(perGroup: readonly number[], n: readonly number[]): number {
  const total = n.reduce((a, b) => a + b, 0);
  return perGroup.reduce((acc, v, g) => acc + (n[g] / total) * v, 0);
}
