import type { Command } from 'commander';
import { numberOfFactors, type NumberOfFactors } from '../../analysis/index.js';
import { readCsv } from '../io/csv.js';
import { parseChoice, parseList, parseNumber } from '../io/args.js';
import { emit, table } from '../output.js';

interface FactorsFlags {
  csv: string;
  items: string;
  iterations: string;
  seed: string;
  quantile: string;
  mean?: boolean;
  fm?: string;
  missing?: string;
  maxFactors?: string;
  json?: boolean;
}

function render(r: NumberOfFactors): string {
  const pa = r.parallel;
  const ref = pa.quantile === null ? 'mean' : `${Math.round(pa.quantile * 100)}th percentile`;
  const shown = Math.min(pa.eigenvalues.length, Math.max(r.nfactors, r.map.nfactors, pa.ncomponents) + 3);
  const rows = Array.from({ length: shown }, (_, k) => [
    k + 1,
    pa.eigenvalues[k],
    pa.quantile === null ? pa.resampled.components.mean[k] : pa.resampled.components.quantile[k],
    pa.factorEigenvalues[k],
    pa.quantile === null ? pa.resampled.factors.mean[k] : pa.resampled.factors.quantile[k],
    r.map.values[k] ?? null,
  ]);
  const lines = [
    `n = ${pa.n}; ${pa.iterations} random data sets (seed ${pa.seed}), compared at the ${ref}`,
    `parallel analysis: ${pa.nfactors} factor${pa.nfactors === 1 ? '' : 's'}, ${pa.ncomponents} component${pa.ncomponents === 1 ? '' : 's'}; Velicer's MAP: ${r.map.nfactors}`,
    '',
    table(['#', 'PC observed', 'PC random', 'FA observed', 'FA random', 'MAP'], rows),
    '',
    `item retention in the ${r.nfactors}-factor minres/oblimin solution:`,
    table(
      ['item', 'factor', 'loading', 'cross', 'gap', 'h2', 'verdict'],
      r.retention.map((t) => [t.item, t.primaryFactor, t.primaryLoading, t.crossLoading, t.gap, t.communality, t.verdict]),
    ),
  ];
  for (const t of r.retention.filter((x) => x.verdict !== 'keep')) lines.push(`  ${t.item}: ${t.reason}`);
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('factors')
    .description("How many factors: Horn's parallel analysis (psych::fa.parallel), Velicer's MAP (psych::VSS), item retention")
    .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)')
    .requiredOption('--items <list>', 'comma-separated item columns (at least 3)')
    .option('--iterations <n>', 'random data sets', '20')
    .option('--seed <n>', 'random seed', '1')
    .option('--quantile <q>', 'quantile of the random eigenvalues to beat', '0.95')
    .option('--mean', 'compare with the mean random eigenvalues instead (Horn, 1965)')
    .option('--fm <method>', 'factor extraction: minres, ml or pa', 'minres')
    .option('--max-factors <m>', 'largest number of components MAP partials out (default min(8, items - 1))')
    .option('--missing <how>', 'listwise or pairwise', 'listwise')
    .option('--json', 'one JSON object on stdout')
    .action((opts: FactorsFlags) => {
      const items = parseList(opts.items, '--items', { min: 3 });
      const iterations = parseNumber(opts.iterations, '--iterations', { integer: true, min: 1, max: 10000 });
      const seed = parseNumber(opts.seed, '--seed', { integer: true });
      const quantile = opts.mean ? null : parseNumber(opts.quantile, '--quantile', { min: 0.5, max: 0.999 });
      const method = parseChoice(opts.fm, '--fm', ['minres', 'ml', 'pa'] as const, 'minres');
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'pairwise'] as const, 'listwise');
      const maxFactors = opts.maxFactors === undefined ? undefined : parseNumber(opts.maxFactors, '--max-factors', { integer: true, min: 1, max: items.length - 1 });
      const data = readCsv(opts.csv, { numbers: [{ names: items, argument: '--items' }] }).numbers(items);
      emit(numberOfFactors(data, { items, iterations, seed, quantile, method, missing, maxFactors }), opts.json === true, render);
    });
}
