/**
 * Intra-individual response variability (IRV): the standard deviation (n − 1 divisor) of one
 * respondent's answered items (Dunn, Heggestad, Shanock & Theilgard, 2018,
 * doi:10.1007/s10869-016-9479-0). Near 0 suggests straight-lining, very high values random
 * responding. NaN with fewer than two answers. Matches careless::irv (`na.rm = TRUE`).
 */
export function intraIndividualSd(row: ArrayLike<number>): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (!Number.isNaN(v)) {
      n++;
      sum += v;
    }
  }
  if (n < 2) return NaN;
  const m = sum / n;
  let ss = 0;
  for (let i = 0; i < row.length; i++) if (!Number.isNaN(row[i])) ss += (row[i] - m) * (row[i] - m);
  return Math.sqrt(ss / (n - 1));
}
