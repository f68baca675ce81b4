/**
 * The asymptotic standard error of Cronbach's alpha without assuming normal, parallel items
 * (van Zyl, Neudecker & Nel, 2000, doi:10.1007/BF02296146; Duhachek & Iacobucci, 2004,
 * doi:10.1037/0021-9010.89.5.792): with S = 1'C1, se = √(Q/n) and
 * Q = 2p² / ((p − 1)² S³) · (S (tr(C²) + tr(C)²) − 2 tr(C) · 1'C²1).
 * Matches psych::alpha 2.2.9's `total$ase`, where n is the number of rows psych was given.
 */
export function alphaStandardError(cov: readonly (readonly number[])[], n: number): number {
  const p = cov.length;
  let total = 0;
  let trace = 0;
  let traceSquare = 0;
  let sumSquare = 0;
  const colSums = new Array<number>(p).fill(0);
  for (let a = 0; a < p; a++) {
    trace += cov[a][a];
    for (let b = 0; b < p; b++) {
      colSums[a] += cov[a][b];
      traceSquare += cov[a][b] * cov[b][a];
    }
    total += colSums[a];
  }
  // 1'C²1 = (C1)'(C1) for symmetric C.
  for (const s of colSums) sumSquare += s * s;
  const q = ((2 * p * p) / ((p - 1) ** 2 * total ** 3)) * (total * (traceSquare + trace * trace) - 2 * trace * sumSquare);
  return Math.sqrt(q / n);
}
