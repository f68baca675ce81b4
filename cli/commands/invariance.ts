import type { Command } from 'commander';
import {
  INVARIANCE_LEVELS,
  measurementInvariance,
  ORDINAL_INVARIANCE_LEVELS,
  ordinalInvariance,
  type InvarianceLevel,
  type InvarianceResult,
  type OrdinalInvarianceLevel,
  type OrdinalInvarianceResult,
} from '../../analysis/index.js';
import { InputError } from '../../analysis/errors.js';
import { parseChoice, parseList } from '../io/args.js';
import { emit, table } from '../output.js';
import { modelData, modelOptions, modelText, orderedVariables, type ModelFlags } from './cfa.js';

interface InvarianceFlags extends ModelFlags {
  csv: string;
  group: string;
  levels?: string;
  missing?: string;
  partial?: boolean;
  ordered?: string;
  estimator?: string;
  json?: boolean;
}

function renderOrdinal(r: OrdinalInvarianceResult): string {
  const lines = [
    `${r.n} rows in ${r.groups.length} groups (${r.groups.map((g, i) => `${g}: ${r.groupSizes[i]}`).join(', ')}); WLSMV, delta parameterization, Wu & Estabrook (2016) identification`,
    '',
  ];
  lines.push(
    table(
      ['level', 'chisq', 'df', 'scaled chisq', 'p (scaled)', 'CFI (scaled)', 'TLI (scaled)', 'RMSEA (scaled)', 'CFI (robust)', 'RMSEA (robust)', 'freed'],
      r.models.map((m) => [m.level, m.chisq, m.df, m.chisqScaled, m.pvalueScaled, m.cfiScaled, m.tliScaled, m.rmseaScaled, m.cfiRobust ?? null, m.rmseaRobust ?? null, m.freed.join(' ') || '-']),
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['comparison', 'scaled chisq diff', 'df', 'p', 'dCFI', 'dRMSEA', 'holds'],
      r.comparisons.map((c) => [`${c.from} -> ${c.to}`, c.chisqDiff, c.dfDiff, c.p, c.deltaCfi, c.deltaRmsea, c.holds]),
      4,
    ),
  );
  for (const p of r.partial ?? []) {
    const what = p.freed.map((f, i) => `${f} (score ${p.scores[i].toFixed(2)})`).join(', ') || 'nothing';
    lines.push(`partial ${p.level}: freed ${what}; ${p.holds ? 'holds' : 'still fails'}`);
  }
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

/** seici invariance --ordered: thresholds, loadings, intercepts as semTools::measEq.syntax with Wu & Estabrook identification. */
function ordinalSteps(opts: InvarianceFlags): void {
  parseChoice(opts.estimator ?? 'wlsmv', '--estimator', ['wlsmv'] as const, 'wlsmv');
  if ((opts.missing ?? 'listwise') !== 'listwise') throw new InputError('--missing', '--ordered uses listwise deletion (as lavaan\'s WLSMV); leave out --missing ml.');
  const levels = parseList(opts.levels ?? ORDINAL_INVARIANCE_LEVELS.join(','), '--levels').map((l) => {
    if (!(ORDINAL_INVARIANCE_LEVELS as readonly string[]).includes(l)) {
      throw new InputError('--levels', `with --ordered, --levels must name levels among ${ORDINAL_INVARIANCE_LEVELS.join(', ')}; got "${l}".`);
    }
    return l as OrdinalInvarianceLevel;
  });
  const { statements, data } = modelData(opts.csv, modelText(opts), opts.group);
  orderedVariables(opts.ordered!, data.columns);
  emit(ordinalInvariance(data, statements, { levels, partial: opts.partial ?? false }), opts.json ?? false, renderOrdinal);
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
    .option('--levels <list>', `levels to fit, in order (${INVARIANCE_LEVELS.join(',')}; with --ordered ${ORDINAL_INVARIANCE_LEVELS.join(',')})`)
    .option('--missing <how>', 'listwise or ml', 'listwise')
    .option('--ordered <vars>', 'the indicators are ordered (all, or every model variable by name): WLSMV steps configural, thresholds, loadings, intercepts (Wu & Estabrook, 2016)')
    .option('--estimator <e>', 'with --ordered: wlsmv')
    .option('--partial', 'where a level fails, release the constraint with the largest score test until it holds')
    .option('--json', 'one JSON object on stdout')
    .action((opts: InvarianceFlags) => {
      if (opts.ordered !== undefined) {
        ordinalSteps(opts);
        return;
      }
      if (opts.estimator !== undefined) throw new InputError('--estimator', '--estimator applies to ordered indicators; give --ordered too.');
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'ml'] as const, 'listwise');
      const levels = parseList(opts.levels ?? INVARIANCE_LEVELS.join(','), '--levels').map((l) => {
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
