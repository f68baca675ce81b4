/** Anderson & Gerbing's item-sort indices of one item. */
export interface ItemSortIndices {
  /** p_sa = n_c / N: the proportion of substantive agreement. */
  readonly psa: number | null;
  /** c_sv = (n_c − n_o) / N: the substantive-validity coefficient. */
  readonly csv: number | null;
  /** N: the experts who sorted the item. */
  readonly n: number;
  /** n_c: the experts who put it in its intended cell. */
  readonly intended: number;
  /** n_o: the most experts who put it in any one other cell, and that cell (null when none did). */
  readonly strongestOther: number;
  readonly strongestOtherCell: string | null;
}

/**
 * The item-sort indices of Anderson & Gerbing (1991, doi:10.1037/0021-9010.76.5.732): experts
 * place each item in the construct (here the SEI cell) they think it measures, without being
 * told the intended one. With N sorters, n_c of whom chose the intended cell and n_o the
 * largest number who chose any single other cell,
 *
 *   p_sa = n_c / N  (0…1),   c_sv = (n_c − n_o) / N  (−1…1).
 *
 * Both are null when nobody sorted the item. Ties among other cells do not matter (n_o is a count).
 */
export function itemSortIndices(sortedCells: readonly string[], intendedCell: string): ItemSortIndices {
  const n = sortedCells.length;
  const counts = new Map<string, number>();
  for (const c of sortedCells) counts.set(c, (counts.get(c) ?? 0) + 1);
  const intended = counts.get(intendedCell) ?? 0;
  let strongestOther = 0;
  let strongestOtherCell: string | null = null;
  for (const [cell, count] of counts) {
    if (cell !== intendedCell && count > strongestOther) {
      strongestOther = count;
      strongestOtherCell = cell;
    }
  }
  if (n === 0) return { psa: null, csv: null, n, intended, strongestOther, strongestOtherCell };
  return { psa: intended / n, csv: (intended - strongestOther) / n, n, intended, strongestOther, strongestOtherCell };
}
