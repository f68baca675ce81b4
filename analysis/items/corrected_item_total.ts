/**
 * Corrected item-total correlations (psych's `r.drop`): the correlation of each item with the
 * sum of the other items, computed from the item covariance matrix C as
 * r_i = (Σ_k C_ik − C_ii) / √(C_ii · Σ_{k,l≠i} C_kl).
 * Using the covariances rather than the raw rows makes it exact under listwise deletion and the
 * same approximation psych makes under pairwise deletion. Matches psych::alpha 2.2.9's
 * `item.stats$r.drop`. Reference: Nunnally & Bernstein (1994), Psychometric Theory, 3rd ed., ch. 8.
 */
export function correctedItemTotal(cov: readonly (readonly number[])[]): number[] {
  const p = cov.length;
  let total = 0;
  const colSums = new Array<number>(p).fill(0);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) colSums[a] += cov[a][b];
    total += colSums[a];
  }
  return colSums.map((s, i) => {
    const withOthers = s - cov[i][i];
    // The variance of the sum of the others: the total minus row i and column i (C_ii counted once).
    const restVariance = total - 2 * s + cov[i][i];
    return withOthers / Math.sqrt(cov[i][i] * restVariance);
  });
}
