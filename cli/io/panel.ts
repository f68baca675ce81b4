import { InputError } from '../../analysis/errors.js';
import type { LongPanel } from '../../analysis/index.js';
import { openCsv } from './csv.js';

/**
 * Reads a unit-wave panel CSV for the research commands through the streaming reader: the unit
 * and wave columns as labels (a row without either is an input error naming it) and `wanted`
 * columns as numbers, those that the file has (a non-number in one of them is an input error
 * naming its row and column). Only these columns are read, straight into typed arrays.
 */
export function readPanel(path: string, unitColumn: string, waveColumn: string, wanted: readonly string[]): LongPanel {
  const csv = openCsv(path);
  const present = [...new Set(wanted)].filter((c) => csv.columns.includes(c) && c !== unitColumn && c !== waveColumn);
  const data = csv.read({
    numbers: [{ names: present, argument: '--csv' }],
    texts: [
      { names: [unitColumn], argument: '--unit' },
      { names: [waveColumn], argument: '--wave' },
    ],
  });
  const unitCodes = data.text(unitColumn);
  const waveCodes = data.text(waveColumn);
  const unit = new Array<string>(data.length);
  const wave = new Array<string>(data.length);
  for (let r = 0; r < data.length; r++) {
    const u = unitCodes.codes[r];
    const w = waveCodes.codes[r];
    if (u < 0) throw new InputError('--unit', `${data.source}: row ${r + 1} has no ${unitColumn}.`);
    if (w < 0) throw new InputError('--wave', `${data.source}: row ${r + 1} has no ${waveColumn}.`);
    unit[r] = unitCodes.levels[u];
    wave[r] = waveCodes.levels[w];
  }
  const columns: Record<string, Float64Array> = {};
  for (const c of present) columns[c] = data.number(c);
  return { unit, wave, columns, source: data.source };
}
