/**
 * Which respondents count toward the minimum group size: those with a score for every one of
 * the nine cells (shared/CONTRACT.md `score`: a cell is scored when at least half of its items
 * are answered). An empty or near-empty "complete" answer set has unscored cells and so never
 * makes a unit reportable; a unit's published cell means then each cover all its valid
 * respondents. `cellScores` is the flat matrix of `cellScoreMatrix` (respondent r's cells at
 * 9r … 9r + 8, NaN when unscored).
 */
export function validRespondents(cellScores: Float64Array, respondents: number): boolean[] {
  const valid = new Array<boolean>(respondents);
  for (let r = 0; r < respondents; r++) {
    let ok = true;
    for (let c = 0; c < 9 && ok; c++) {
      const v = cellScores[r * 9 + c];
      if (v !== v) ok = false;
    }
    valid[r] = ok;
  }
  return valid;
}

/** The cells a respondent leaves unscored (CELLS order indices), for the message refusing a submission. */
export function unscoredCells(cellScores: Float64Array, respondent: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < 9; c++) {
    const v = cellScores[respondent * 9 + c];
    if (v !== v) out.push(c);
  }
  return out;
}
