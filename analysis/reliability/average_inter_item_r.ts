/**
 * The average inter-item correlation r̄ = (1'R1 − p) / (p(p − 1)): the mean of the off-diagonal
 * entries of the p × p correlation matrix R. A homogeneity index that, unlike alpha, does not
 * grow with the number of items; Clark & Watson (1995, doi:10.1037/1040-3590.7.3.309) suggest
 * .15 to .50 for a scale measuring one construct. Matches psych::alpha 2.2.9's `average_r`.
 */
export function averageInterItemR(cor: readonly (readonly number[])[]): number {
  const p = cor.length;
  let total = 0;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) if (a !== b) total += cor[a][b];
  return total / (p * (p - 1));
}
