import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
// modules imported one by one, not through analysis/index.ts, so that the command starts fast
import { agreement, agreementReport, type AgreementResult } from '../../analysis/agreement/agreement.js';
import { DEFAULT_AGGREGATION_CRITERIA } from '../../analysis/agreement/aggregation_verdict.js';
import { NULL_DISTRIBUTIONS, type NullDistribution } from '../../analysis/agreement/null_variance.js';
import { observedColumnRange, reverseKeyColumns } from '../../analysis/data/reverse_key.js';
import { answerValues, type AnswerColumns } from '../../analysis/data/columns.js';
import { readCsv } from '../io/csv.js';
import { parseChoice, parseList, parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';

function render(r: AgreementResult): string {
  const chance = r.options.chance !== null;
  const rows = r.units.map((u) => [u.unit, u.n, u.rwgj, u.strength, ...(chance ? [u.rwgjCritical95] : []), u.rwgjLindell, u.awg, u.ad, u.verdict.justified]);
  const lines = [
    `${r.n} respondents in ${r.units.length} units, ${r.items} item${r.items === 1 ? '' : 's'}; null ${r.options.null} (σ²E = ${fmt(r.options.nullVariance)})`,
    `ICC(1) = ${fmt(r.icc1)}, ICC(2) = ${fmt(r.icc2)}, F(${r.anova.df1}, ${r.anova.df2}) = ${fmt(r.anova.F)}, p = ${fmt(r.anova.p, 4)}`,
    `mean rwg(j) = ${fmt(r.meanRwgj)}; ${fmt(r.shareAgreeing * 100, 0)}% of units at or above ${r.options.criteria.minRwgJ}; AD cut-off ${fmt(r.adCutoff)}`,
    table(['unit', 'n', 'rwg(j)', 'strength', ...(chance ? ['chance .95'] : []), 'r*wg(j)', 'awg', 'AD', 'aggregate'], rows),
  ];
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('agreement')
    .description('Within-unit agreement (rwg(j), awg, AD) and ICC(1)/ICC(2) for aggregating a scale to units')
    .requiredOption('--csv <file>', 'respondent CSV')
    .requiredOption('--items <columns>', 'the scale items, comma-separated')
    .requiredOption('--group <column>', 'the unit column')
    .requiredOption('--scale-points <A>', 'number of response options')
    .option('--null <shape>', `null distribution: ${NULL_DISTRIBUTIONS.join(', ')} (default uniform)`)
    .option('--scale-min <n>', "lowest response option, for awg and --reverse (default 1, or the data's minimum when below 1)")
    .option('--reverse <list>', 'items to reverse-key as min + max - x before the ICCs (rwg(j), awg and AD do not change)')
    .option('--chance-reps <n>', "compare each unit's rwg(j) with its chance distribution (n simulated random units per size)")
    .option('--seed <n>', 'seed of that simulation (default 1)')
    .option('--min-rwgj <x>', 'rwg(j) a unit needs for aggregation (default .70)')
    .option('--alpha <p>', 'significance level of the between-unit F test (default .05)')
    .option('--json', 'one JSON object on stdout')
    .action((o: { csv: string; items: string; group: string; scalePoints: string; null?: string; scaleMin?: string; reverse?: string; chanceReps?: string; seed?: string; minRwgj?: string; alpha?: string; json?: boolean }) => {
      const items = parseList(o.items, '--items');
      const scalePoints = parseNumber(o.scalePoints, '--scale-points', { integer: true, min: 2 });
      const shape = parseChoice<NullDistribution>(o.null, '--null', NULL_DISTRIBUTIONS, 'uniform');
      const scaleMin = o.scaleMin === undefined ? undefined : parseNumber(o.scaleMin, '--scale-min');
      const chance =
        o.chanceReps === undefined
          ? undefined
          : {
              replications: parseNumber(o.chanceReps, '--chance-reps', { integer: true, min: 100 }),
              seed: o.seed === undefined ? 1 : parseNumber(o.seed, '--seed', { integer: true }),
            };
      const criteria = {
        ...DEFAULT_AGGREGATION_CRITERIA,
        ...(o.minRwgj !== undefined ? { minRwgJ: parseNumber(o.minRwgj, '--min-rwgj', { min: 0, max: 1 }) } : {}),
        ...(o.alpha !== undefined ? { alpha: parseNumber(o.alpha, '--alpha', { min: 1e-12, max: 0.5 }) } : {}),
      };
      const reverse = o.reverse === undefined ? [] : parseList(o.reverse, '--reverse');
      const columns = reverse.map((name) => {
        const j = items.indexOf(name);
        if (j < 0) throw new InputError('--reverse', `--reverse names "${name}", which is not one of --items (${items.join(', ')}).`);
        return j;
      });
      // ratings one byte each (a column with other values falls back to eight bytes)
      const data = readCsv(o.csv, { numbers: [{ names: items, argument: '--items', compact: true }], texts: [{ names: [o.group], argument: '--group' }] });
      let x: AnswerColumns = data.answers(items);
      if (columns.length > 0) {
        // the scale is min … min + A − 1; without --scale-min its lowest option is 1, or the data's minimum when below 1
        const lowest = scaleMin ?? Math.min(1, observedColumnRange(x.columns).min);
        // the reversed items as doubles (min + max − x need not fit a byte)
        const keyed = x.columns.map((col, j) => (columns.includes(j) ? answerValues(col, x.length) : col));
        reverseKeyColumns(keyed as Float64Array[], columns, { min: lowest, max: lowest + scalePoints - 1 });
        x = { length: x.length, columns: keyed };
      }
      const units = data.text(o.group);
      const options = { scalePoints, null: shape, scaleMin, chance, criteria };
      // JSON: each unit's object made as it is written, not 20,000 of them at once
      if (o.json === true) emit(agreementReport(x, units, options), true);
      else emit(agreement(x, units, options), false, render);
    });
}

