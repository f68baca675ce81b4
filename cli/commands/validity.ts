import type { Command } from 'commander';
import { constructValidity, type ValidityResult } from '../../analysis/index.js';
import { parseChoice } from '../io/args.js';
import { emit, table } from '../output.js';
import { modelData, modelOptions, modelText, type ModelFlags } from './cfa.js';

interface ValidityFlags extends ModelFlags {
  csv: string;
  missing?: string;
  json?: boolean;
}

function render(r: ValidityResult): string {
  const lines = [`${r.n} rows`, ''];
  lines.push(table(['factor', 'AVE', 'CR', 'sqrt AVE', 'max |r|'], r.factors.map((f) => [f.factor, f.ave, f.cr, f.sqrtAve, f.maxCorrelation])));
  lines.push('');
  lines.push(table(['factor a', 'factor b', 'HTMT'], r.htmt.map((h) => [h.a, h.b, h.value])));
  lines.push('', `Fornell-Larcker criterion ${r.fornellLarcker ? 'met' : 'NOT met'}`);
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  modelOptions(
    program
      .command('validity'),
  )
    .description('Convergent and discriminant validity from a CFA: AVE, composite reliability, HTMT, Fornell-Larcker')
    .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)')
    .option('--missing <how>', 'listwise or ml', 'listwise')
    .option('--json', 'one JSON object on stdout')
    .action((opts: ValidityFlags) => {
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'ml'] as const, 'listwise');
      const { statements, data } = modelData(opts.csv, modelText(opts));
      emit(constructValidity(data, statements, { missing }), opts.json ?? false, render);
    });
}
