/**
 * The longest string of identical consecutive answers in one respondent's row (Johnson, 2005,
 * doi:10.1016/j.jrp.2004.09.009): long strings suggest straight-lining. A missing answer (NaN)
 * ends a string and starts none. Matches careless::longstring (its `avg = FALSE` value) on rows
 * without missing answers.
 */
export function longString(row: ArrayLike<number>): number {
  let best = 0;
  let run = 0;
  let last = NaN;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (Number.isNaN(v)) {
      run = 0;
      last = NaN;
      continue;
    }
    run = v === last ? run + 1 : 1;
    last = v;
    if (run > best) best = run;
  }
  return best;
}
