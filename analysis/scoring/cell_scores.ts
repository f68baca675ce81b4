import { CELLS } from '../sei_model.js';
import type { ResolvedItemMap } from './item_map.js';
import { columnsFromRows, isNumericColumns, type NumericColumns } from '../data/columns.js';

/**
 * Respondents' nine cell scores as one flat array (respondent r's cells at 9r … 9r + 8, CELLS
 * order): reverse-keyed items count as scaleMin + scaleMax − x, and a cell's score is the mean of
 * its answered items when at least half of them are answered, else NaN
 * (shared/CONTRACT.md `score`, steps 1–2). The kernel behind `respondentCellScores`; `answers`
 * are rows or column-stored.
 */
export function cellScoreMatrix(answers: readonly (readonly number[])[] | NumericColumns, map: ResolvedItemMap): Float64Array {
  const data = isNumericColumns(answers) ? answers : columnsFromRows(answers, answers.length > 0 ? answers[0].length : 0);
  const total = map.scaleMin + map.scaleMax;
  const n = data.length;
  const reversed = new Set(map.reverseColumns);
  const out = new Float64Array(n * 9);
  const sum = new Float64Array(n);
  const answered = new Int32Array(n);
  for (let c = 0; c < 9; c++) {
    const cols = map.cellColumns[CELLS[c]];
    sum.fill(0);
    answered.fill(0);
    // item by item in map order, so each respondent's sum is added up as a row-wise loop would
    for (const j of cols) {
      const x = data.columns[j];
      const flip = reversed.has(j);
      for (let r = 0; r < n; r++) {
        const v = x[r];
        if (v === v) {
          sum[r] += flip ? total - v : v;
          answered[r]++;
        }
      }
    }
    const half = cols.length / 2;
    for (let r = 0; r < n; r++) {
      const k = answered[r];
      out[r * 9 + c] = k > 0 && k >= half ? sum[r] / k : NaN;
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
