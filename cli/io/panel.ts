import { InputError } from '../../analysis/errors.js';
import type { LongPanel } from '../../analysis/index.js';
import { columnIndex, isMissing, numericMatrix, readTable } from './csv.js';

/**
 * Reads a unit-wave panel CSV for the research commands: the unit and wave columns as labels
 * (a row without either is an input error naming it) and `wanted` columns as numbers, those that
 * the file has (a non-number in one of them is an input error naming its row and column).
 */
export function readPanel(path: string, unitColumn: string, waveColumn: string, wanted: readonly string[]): LongPanel {
  const t = readTable(path);
  const ui = columnIndex(t, unitColumn, '--unit');
  const wi = columnIndex(t, waveColumn, '--wave');
  const unit: string[] = new Array(t.rows.length);
  const wave: string[] = new Array(t.rows.length);
  for (let r = 0; r < t.rows.length; r++) {
    const row = t.rows[r];
    if (isMissing(row[ui])) throw new InputError('--unit', `${t.source}: row ${r + 1} has no ${unitColumn}.`);
    if (isMissing(row[wi])) throw new InputError('--wave', `${t.source}: row ${r + 1} has no ${waveColumn}.`);
    unit[r] = row[ui].trim();
    wave[r] = row[wi].trim();
  }
  const present = [...new Set(wanted)].filter((c) => t.columns.includes(c) && c !== unitColumn && c !== waveColumn);
  const m = numericMatrix(t, present, '--csv');
  const columns: Record<string, Float64Array> = {};
  present.forEach((c, j) => (columns[c] = Float64Array.from(m, (row) => row[j])));
  return { unit, wave, columns, source: t.source };
}
