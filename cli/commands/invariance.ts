import type { Command } from 'commander';
import { INVARIANCE_LEVELS, measurementInvariance, type InvarianceLevel, type InvarianceResult } from '../../analysis/index.js';
import { InputError } from '../../analysis/errors.js';
import { parseChoice, parseList } from '../io/args.js';
import { emit, table } from '../output.js';
import { modelData, modelOptions, modelText, type ModelFlags } from './cfa.js';

interface InvarianceFlags extends ModelFlags {
  csv: string;
  group: string;
  levels?: string;
  missing?: string;
  partial?: boolean;
  json?: boolean;
}

function render(r: InvarianceResult): string {
  const lines = [`${r.n} rows in ${r.groups.length} groups (${r.groups.map((g, i) => `${g}: ${r.groupSizes[i]}`).join(', ')})`, ''];
  lines.push(
    table(
      ['level', 'chisq', 'df', 'p', 'CFI', 'TLI', 'RMSEA', 'SRMR', 'AIC', 'BIC', 'freed'],
      r.models.map((m) => [m.level, m.chisq, m.df, m.pvalue, m.cfi, m.tli, m.rmsea, m.srmr, m.aic, m.bic, m.freed.join(' ') || '-']),
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['comparison', 'chisq diff', 'df', 'p', 'dCFI', 'dRMSEA', 'holds'],
      r.comparisons.map((c) => [`${c.from} -> ${c.to}`, c.chisqDiff, c.dfDiff, c.p, c.deltaCfi, c.deltaRmsea, c.holds]),
      4,
    ),
  );
  for (const p of r.partial ?? []) lines.push(`partial ${p.level}: freed ${p.freed.join(', ') || 'nothing'}; ${p.holds ? 'holds' : 'still fails'}`);
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  modelOptions(
    program
      .command('invariance'),
  )
    .description('Measurement invariance across groups: configural, metric, scalar, strict (lavaan group.equal), LR tests and Chen (2007) decisions')
    .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)')
    .requiredOption('--group <column>', 'grouping column (context, language, wave, ...)')
    .option('--levels <list>', `levels to fit, in order (${INVARIANCE_LEVELS.join(',')})`, INVARIANCE_LEVELS.join(','))
    .option('--missing <how>', 'listwise or ml', 'listwise')
    .option('--partial', 'where a level fails, release the constraint with the largest score test until it holds')
    .option('--json', 'one JSON object on stdout')
    .action((opts: InvarianceFlags) => {
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'ml'] as const, 'listwise');
      const levels = parseList(opts.levels, '--levels').map((l) => {
        if (!(INVARIANCE_LEVELS as readonly string[]).includes(l)) {
          throw new InputError('--levels', `--levels must name levels among ${INVARIANCE_LEVELS.join(', ')}; got "${l}".`);
        }
        return l as InvarianceLevel;
      });
      const { statements, data } = modelData(opts.csv, modelText(opts), opts.group);
      const result = measurementInvariance(data, statements, { levels, missing, partial: opts.partial ?? false });
      emit(result, opts.json ?? false, render);
    });
}
