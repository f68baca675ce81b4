import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import { crossLaggedPanel, differenceInDifferences, eventStudy, fixedEffects, type PanelModelResult } from '../../analysis/index.js';
import { parseChoice, parseList } from '../io/args.js';
import { readPanel } from '../io/panel.js';
import { emit, fmt, table } from '../output.js';

interface PanelFlags {
  csv: string;
  unit: string;
  wave: string;
  model?: string;
  y: string;
  x?: string;
  treated?: string;
  eventWave?: string;
  json?: boolean;
}

const MODELS = ['fe', 'did', 'event', 'clpm'] as const;

function renderWithin(r: PanelModelResult): string {
  return [
    `${r.model}: ${r.n} rows, ${r.units} units, ${r.waves} waves; residual df ${r.dfResidual}; within R² ${fmt(r.r2Within)}`,
    'standard errors clustered by unit (CR1, plm arellano sss)',
    '',
    table(['term', 'est', 'se', 't', 'p'], r.terms.map((t) => [t.term, t.est, t.se, t.t, t.p]), 4),
    ...r.diagnostics.warnings.map((w) => `note: ${w}`),
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('panel')
    .description('Panel designs: unit fixed effects, difference-in-differences, event study, cross-lagged panel model')
    .requiredOption('--csv <file>', 'panel CSV: one row per unit and wave')
    .option('--unit <column>', 'unit column', 'unit')
    .option('--wave <column>', 'wave column', 'wave')
    .requiredOption('--model <kind>', `one of ${MODELS.join(', ')}`)
    .requiredOption('--y <column>', 'outcome column')
    .option('--x <columns>', 'regressors (for clpm: the one column crossed with y)')
    .option('--treated <column>', 'did/event: 0/1 column marking treated units (default: units with an event wave)')
    .option('--event-wave <column>', 'did/event: the wave of each unit\'s interface change (empty: never treated)')
    .option('--json', 'one JSON object on stdout')
    .action((o: PanelFlags) => {
      const model = parseChoice(o.model, '--model', MODELS, 'fe');
      const x = o.x === undefined ? [] : parseList(o.x, '--x');
      if (model === 'clpm') {
        if (x.length !== 1) throw new InputError('--x', `--model clpm crosses one column with --y; --x must name exactly 1, got ${x.length}.`);
        const panel = readPanel(o.csv, o.unit, o.wave, [x[0], o.y]);
        const r = crossLaggedPanel(panel, x[0], o.y);
        emit(r, o.json ?? false, (res: typeof r) => [
          `cross-lagged panel model of ${x[0]} and ${o.y} over waves ${res.waves.join(', ')}: ${res.n} complete units of ${res.units}; ${res.converged ? 'converged' : 'NOT converged'}`,
          `chisq ${fmt(res.fit.chisq)} on ${res.fit.df} df, p ${fmt(res.fit.pvalue, 4)}; CFI ${fmt(res.fit.cfi)}, RMSEA ${fmt(res.fit.rmsea)}, SRMR ${fmt(res.fit.srmr)}`,
          '', res.syntax, '',
          table(['lhs', 'op', 'rhs', 'est', 'se', 'z', 'std.all'], res.estimates.map((e) => [e.lhs, e.op, e.rhs, e.est, e.se, e.z, e.std])),
        ].join('\n'));
        return;
      }
      if (model === 'fe') {
        if (o.eventWave !== undefined || o.treated !== undefined) throw new InputError('--event-wave', '--event-wave and --treated belong to --model did and event, not fe.');
        const panel = readPanel(o.csv, o.unit, o.wave, [o.y, ...x]);
        emit(fixedEffects(panel, { y: o.y, x }), o.json ?? false, renderWithin);
        return;
      }
      if (o.eventWave === undefined) throw new InputError('--event-wave', `--model ${model} needs --event-wave, the column with each unit's event wave.`);
      const panel = readPanel(o.csv, o.unit, o.wave, [o.y, ...x, o.eventWave, ...(o.treated ? [o.treated] : [])]);
      const options = { y: o.y, x, eventWave: o.eventWave, treated: o.treated };
      emit(model === 'did' ? differenceInDifferences(panel, options) : eventStudy(panel, options), o.json ?? false, renderWithin);
    });
}
