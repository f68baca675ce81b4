/** True when every value in `row` is observed (not NaN). */
export function isCompleteRow(row: readonly number[]): boolean {
  for (let j = 0; j < row.length; j++) if (Number.isNaN(row[j])) return false;
  return true;
}

/**
 * Listwise deletion: the rows with no missing value (NaN), in their original order.
 * Matches R's `na.omit` / `use = "complete.obs"` row selection.
 */
export function completeRows(data: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  for (const row of data) if (isCompleteRow(row)) out.push(row.slice());
  return out;
}
