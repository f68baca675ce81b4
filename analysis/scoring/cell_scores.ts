import { CELLS } from '../../instrument/model.js';
import type { ResolvedItemMap } from './item_map.js';

/**
 * Respondents' nine cell scores as one flat array (respondent r's cells at 9r … 9r + 8, CELLS
 * order): reverse-keyed items count as scaleMin + scaleMax − x, and a cell's score is the mean of
 * its answered items when at least half of them are answered, else NaN
 * (shared/CONTRACT.md `score`, steps 1–2). The kernel behind `respondentCellScores`.
 */
export function cellScoreMatrix(answers: readonly (readonly number[])[], map: ResolvedItemMap): Float64Array {
  const total = map.scaleMin + map.scaleMax;
  const width = answers.length > 0 ? answers[0].length : 0;
  const reversed = new Uint8Array(width);
  for (const j of map.reverseColumns) reversed[j] = 1;
  const cells = CELLS.map((c) => Int32Array.from(map.cellColumns[c]));
  const out = new Float64Array(answers.length * 9);
  for (let r = 0; r < answers.length; r++) {
    const row = answers[r];
    for (let c = 0; c < 9; c++) {
      const cols = cells[c];
      let sum = 0;
      let k = 0;
      for (let i = 0; i < cols.length; i++) {
        const j = cols[i];
        const v = row[j];
        if (v === v) {
          sum += reversed[j] === 1 ? total - v : v;
          k++;
        }
      }
      out[r * 9 + c] = k > 0 && k >= cols.length / 2 ? sum / k : NaN;
    }
  }
  return out;
}

/**
 * A respondent's nine cell scores (shared/CONTRACT.md `score`, steps 1–2): reverse-keyed items
 * become scaleMin + scaleMax − x, and a cell's score is the mean of its answered items when at
 * least half of them are answered, else missing (NaN). One row of 9 per respondent, CELLS order.
 */
export function respondentCellScores(answers: readonly (readonly number[])[], map: ResolvedItemMap): number[][] {
  const flat = cellScoreMatrix(answers, map);
  return answers.map((_, r) => Array.from(flat.subarray(r * 9, r * 9 + 9)));
}
