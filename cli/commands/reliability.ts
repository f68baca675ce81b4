import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
// modules imported one by one, not through analysis/index.ts, so that the command starts fast
import { scaleReliability, type ScaleReliability } from '../../analysis/reliability/scale_reliability.js';
import { readCsv } from '../io/csv.js';
import { parseChoice, parseList, parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';

interface ReliabilityFlags {
  csv: string;
  items: string;
  reverse?: string;
  scaleMin?: string;
  scaleMax?: string;
  missing?: string;
  level?: string;
  bootstrap?: string;
  seed?: string;
  json?: boolean;
}

function render(r: ScaleReliability): string {
  const head = [
    `${r.nItems} items, ${r.n !== undefined ? `${r.n} complete rows of ${r.nRows}` : `${r.nRows} rows, pairwise`}` +
      `; scale ${r.scale.min} to ${r.scale.max}${r.reverse.length > 0 ? `; reversed: ${r.reverse.join(', ')}` : ''}`,
    `alpha ${fmt(r.alpha)} (${Math.round(r.alphaCi.level * 100)}% Feldt CI ${fmt(r.alphaCi.lower)} to ${fmt(r.alphaCi.upper)}), ` +
      `standardized ${fmt(r.alphaStd)}, average r ${fmt(r.averageR)}`,
  ];
  if (r.omegaTotal !== undefined) {
    const ci = r.omegaTotalCi;
    head.push(
      `omega total ${fmt(r.omegaTotal)}` +
        (ci ? ` (${Math.round(ci.level * 100)}% bootstrap CI ${fmt(ci.lower)} to ${fmt(ci.upper)}, ${ci.replicates} resamples, seed ${ci.seed})` : ''),
    );
  }
  const rows = r.items.map((s) => [s.item, s.n, s.mean, s.sd, s.floor, s.ceiling, s.rDrop, s.alphaIfDropped]);
  const lines = [...head, '', table(['item', 'n', 'mean', 'sd', 'floor', 'ceiling', 'rDrop', 'alpha if dropped'], rows)];
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('reliability')
    .description('Item analysis and internal consistency: alpha (raw, standardized, Feldt CI), average r, omega total, item statistics')
    .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)')
    .requiredOption('--items <list>', 'comma-separated item columns (at least 2)')
    .option('--reverse <list>', 'items to reverse-key as min + max - x')
    .option('--scale-min <x>', 'lowest possible answer (default: smallest value over the items)')
    .option('--scale-max <x>', 'highest possible answer (default: largest value over the items)')
    .option('--missing <how>', 'listwise or pairwise', 'listwise')
    .option('--level <p>', 'coverage of the confidence intervals', '0.95')
    .option('--bootstrap <b>', 'bootstrap resamples for the omega total interval (0: none)', '1000')
    .option('--seed <s>', 'seed of the bootstrap', '1')
    .option('--json', 'one JSON object on stdout')
    .action((opts: ReliabilityFlags) => {
      const items = parseList(opts.items, '--items', { min: 2 });
      const reverse = opts.reverse === undefined ? [] : parseList(opts.reverse, '--reverse');
      for (const name of reverse) {
        if (!items.includes(name)) {
          throw new InputError('--reverse', `--reverse names "${name}", which is not one of --items (${items.join(', ')}).`);
        }
      }
      const scaleMin = opts.scaleMin === undefined ? undefined : parseNumber(opts.scaleMin, '--scale-min');
      const scaleMax = opts.scaleMax === undefined ? undefined : parseNumber(opts.scaleMax, '--scale-max');
      if (scaleMin !== undefined && scaleMax !== undefined && !(scaleMax > scaleMin)) {
        throw new InputError('--scale-max', `--scale-max (${scaleMax}) must be larger than --scale-min (${scaleMin}).`);
      }
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'pairwise'] as const, 'listwise');
      const level = parseNumber(opts.level, '--level', { min: 0.5, max: 0.999 });
      const bootstrap = parseNumber(opts.bootstrap, '--bootstrap', { integer: true, min: 0, max: 100000 });
      const seed = parseNumber(opts.seed, '--seed', { integer: true, min: 0, max: 4294967295 });
      const data = readCsv(opts.csv, { numbers: [{ names: items, argument: '--items' }] }).numbers(items);
      const result = scaleReliability(data, { items, reverse, scaleMin, scaleMax, missing, level, bootstrap, seed });
      emit(result, opts.json === true, render);
    });
}
