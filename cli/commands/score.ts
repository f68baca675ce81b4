import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
// modules imported one by one, not through analysis/index.ts, so that the command starts fast
import { scoreUnits, type ScoreResult } from '../../analysis/scoring/score_units.js';
import type { ItemMap } from '../../analysis/scoring/item_map.js';
import { DEFAULT_AGGREGATION_CRITERIA } from '../../analysis/agreement/aggregation_verdict.js';
import { openCsv } from '../io/csv.js';
import { parseNumber } from '../io/args.js';
import { emit, table } from '../output.js';

/** Reads the item map JSON of shared/CONTRACT.md `score`. */
export function readItemMap(path: string): ItemMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError('--map', `--map ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be read'}.`);
  }
  try {
    return JSON.parse(text) as ItemMap;
  } catch {
    throw new InputError('--map', `--map ${path} is not valid JSON.`);
  }
}

function render(r: ScoreResult): string {
  const rows = r.units.map((u) => [
    u.unit,
    u.wave,
    u.n,
    u.dimensions.structural,
    u.dimensions.relational,
    u.dimensions.translational,
    u.seiCi,
    u.misalignment,
    u.dominant,
    u.drift,
    u.aggregation.justified,
  ]);
  const lines = [
    `baseline wave: ${r.baselineWave}; ${r.units.length} unit-waves, ${r.n} respondents` +
      (r.suppressed > 0 ? `; ${r.suppressed} unit-waves suppressed (too small)` : ''),
    table(['unit', 'wave', 'n', 'S', 'R', 'T', 'SEI-CI', 'M', 'dominant', 'drift', 'aggregate'], rows),
  ];
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('score')
    .description('SEI-CI unit scores per wave: cells, dimensions, levers, SEI-CI, z, misalignment, drift, rwg(j)')
    .requiredOption('--csv <file>', 'respondent CSV')
    .requiredOption('--map <file>', 'item map JSON: {scaleMin, scaleMax, items: {column: {cell, reverse}}}')
    .requiredOption('--unit <column>', 'the unit column')
    .option('--wave <column>', 'the wave column (default: one wave)')
    .option('--baseline-wave <wave>', 'the wave z is standardized against (default: the first in the file)')
    .option('--min-group-size <n>', 'suppress unit-waves with fewer respondents (default 1: none)')
    .option('--min-rwgj <x>', 'rwg(j) a unit needs for aggregation (default .70)')
    .option('--alpha <p>', 'significance level of the between-unit F test (default .05)')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { csv: string; map: string; unit: string; wave?: string; baselineWave?: string; minGroupSize?: string; minRwgj?: string; alpha?: string; json?: boolean }) => {
      const map = readItemMap(opts.map);
      const csv = openCsv(opts.csv);
      const itemNames = typeof map?.items === 'object' && map.items !== null ? Object.keys(map.items) : [];
      for (const name of itemNames) {
        if (!csv.columns.includes(name)) throw new InputError('--map', `--map item "${name}" is not a column of ${csv.source}.`);
      }
      const data = csv.read({
        numbers: [{ names: itemNames, argument: '--map' }],
        texts: [{ names: [opts.unit], argument: '--unit' }, ...(opts.wave === undefined ? [] : [{ names: [opts.wave], argument: '--wave' }])],
      });
      const answers = data.numbers(itemNames);
      const unit = data.text(opts.unit);
      const wave = opts.wave === undefined ? undefined : data.text(opts.wave);
      const minGroupSize =
        opts.minGroupSize === undefined ? 1 : parseNumber(opts.minGroupSize, '--min-group-size', { integer: true, min: 1 });
      const criteria = {
        ...DEFAULT_AGGREGATION_CRITERIA,
        ...(opts.minRwgj !== undefined ? { minRwgJ: parseNumber(opts.minRwgj, '--min-rwgj', { min: 0, max: 1 }) } : {}),
        ...(opts.alpha !== undefined ? { alpha: parseNumber(opts.alpha, '--alpha', { min: 1e-12, max: 0.5 }) } : {}),
      };
      const result = scoreUnits({ items: itemNames, answers, unit, wave }, map, {
        baselineWave: opts.baselineWave,
        minGroupSize,
        criteria,
      });
      emit(result, opts.json === true, render);
    });
}
