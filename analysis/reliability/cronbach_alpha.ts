/**
 * Cronbach's coefficient alpha from an item covariance matrix C of p items:
 * α = p/(p − 1) · (1 − tr(C) / 1'C1), the share of the total-score variance that is common to the
 * items, a lower bound to reliability when the items are essentially tau-equivalent.
 * Cronbach (1951), doi:10.1007/BF02310555. Matches psych::alpha 2.2.9's `raw_alpha`
 * (`alpha.drop$raw_alpha` for a matrix without the dropped item).
 */
export function cronbachAlpha(cov: readonly (readonly number[])[]): number {
  const p = cov.length;
  let trace = 0;
  let total = 0;
  for (let a = 0; a < p; a++) {
    trace += cov[a][a];
    for (let b = 0; b < p; b++) total += cov[a][b];
  }
  return (p / (p - 1)) * (1 - trace / total);
}

/**
 * Standardized alpha: Cronbach's alpha of the correlation matrix R, that is of the items
 * rescaled to unit variance, α_std = p/(p − 1) · (1 − p / 1'R1) = p r̄ / (1 + (p − 1) r̄) with r̄
 * the average inter-item correlation (the Spearman-Brown formula). Cronbach (1951),
 * doi:10.1007/BF02310555. Matches psych::alpha 2.2.9's `std.alpha`.
 */
export function standardizedAlpha(cor: readonly (readonly number[])[]): number {
  return cronbachAlpha(cor);
}

/**
 * Alpha if item deleted: for each item i, the raw alpha of the covariance matrix without row and
 * column i. Undefined (NaN) for a two-item scale, where one item would remain; psych reports
 * a covariance ratio there instead. Matches psych::alpha 2.2.9's `alpha.drop$raw_alpha` for
 * three items or more.
 */
export function alphaIfDropped(cov: readonly (readonly number[])[]): number[] {
  const p = cov.length;
  let trace = 0;
  let total = 0;
  const colSums = new Array<number>(p).fill(0);
  for (let a = 0; a < p; a++) {
    trace += cov[a][a];
    for (let b = 0; b < p; b++) colSums[a] += cov[a][b];
    total += colSums[a];
  }
  return colSums.map((s, i) => {
    if (p < 3) return NaN;
    const q = p - 1;
    const restTotal = total - 2 * s + cov[i][i];
    return (q / (q - 1)) * (1 - (trace - cov[i][i]) / restTotal);
  });
}
