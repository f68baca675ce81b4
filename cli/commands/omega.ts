import type { Command } from 'commander';
// modules imported one by one, not through analysis/index.ts, so that the command starts fast
import { omegaSchmidLeiman, type SchmidLeimanOmega } from '../../analysis/reliability/omega_schmid_leiman.js';
import { readCsv } from '../io/csv.js';
import { parseList, parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';

function render(r: SchmidLeimanOmega): string {
  const k = r.nfactors;
  const lines = [
    `Schmid-Leiman omega, ${k} group factor${k > 1 ? 's' : ''}, n = ${r.n} complete rows`,
    `omega hierarchical ${fmt(r.omegaH)}, omega total ${fmt(r.omegaTotal)}, alpha ${fmt(r.alpha)}, ECV ${fmt(r.ecv)}`,
    '',
    table(
      ['item', 'g', ...Array.from({ length: k }, (_, j) => `F${j + 1}*`), 'h2', 'u2'],
      r.items.map((it) => [it.item + (it.flipped ? '-' : ''), it.g, ...it.groups, it.h2, it.u2]),
    ),
  ];
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('omega')
    .description("Omega hierarchical and total from psych::omega's Schmid-Leiman solution (minres, oblimin, listwise)")
    .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)')
    .requiredOption('--items <list>', 'comma-separated item columns (at least 3)')
    .option('--nfactors <g>', 'number of group factors', '3')
    .option('--json', 'one JSON object on stdout')
    .action((opts: { csv: string; items: string; nfactors: string; json?: boolean }) => {
      const items = parseList(opts.items, '--items', { min: 3 });
      const nfactors = parseNumber(opts.nfactors, '--nfactors', { integer: true, min: 1, max: items.length - 1 });
      const data = readCsv(opts.csv, { numbers: [{ names: items, argument: '--items' }] }).numbers(items);
      emit(omegaSchmidLeiman(data, { items, nfactors }), opts.json === true, render);
    });
}
