import { CELLS } from '../../instrument/model.js';
import type { ResolvedItemMap } from './item_map.js';

/**
 * A respondent's nine cell scores (shared/CONTRACT.md `score`, steps 1–2): reverse-keyed items
 * become scaleMin + scaleMax − x, and a cell's score is the mean of its answered items when at
 * least half of them are answered, else missing (NaN). `keyed` receives the reverse-keyed
 * answers (same shape as `answers`) so later steps need not flip them again.
 * Returns one row of 9 per respondent, cells in CELLS order.
 */
export function respondentCellScores(
  answers: readonly (readonly number[])[],
  map: ResolvedItemMap,
  keyed: number[][] = [],
): number[][] {
  const total = map.scaleMin + map.scaleMax;
  const flip = new Set(map.reverseColumns);
  const out: number[][] = new Array(answers.length);
  for (let r = 0; r < answers.length; r++) {
    const row = flip.size === 0 ? answers[r].slice() : answers[r].map((v, j) => (flip.has(j) ? total - v : v));
    keyed[r] = row;
    const scores = new Array<number>(9);
    for (let c = 0; c < 9; c++) {
      const cols = map.cellColumns[CELLS[c]];
      let sum = 0;
      let k = 0;
      for (const j of cols) {
        const v = row[j];
        if (v === v) {
          sum += v;
          k++;
        }
      }
      scores[c] = k > 0 && k >= cols.length / 2 ? sum / k : NaN;
    }
    out[r] = scores;
  }
  return out;
}
