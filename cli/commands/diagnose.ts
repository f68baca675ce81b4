import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import {
  DEFAULT_RULES,
  PERIOD_KINDS,
  diagnoseUnits,
  evaluateBreakpoints,
  parsePerformanceCsv,
  scoreUnits,
  unitDrift,
  withRuleOverrides,
  type DiagnosisResult,
  type DriftAnalysis,
} from '../../analysis/index.js';
import { csvFileSource, openCsv } from '../io/csv.js';
import { parseChoice, parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';
import { readEvents } from './breakpoints.js';
import { readItemMap } from './score.js';

interface DiagnoseFlags {
  csv: string;
  map: string;
  unit: string;
  wave?: string;
  baselineWave?: string;
  minGroupSize: string;
  diagnoseWave?: string;
  capacity: string;
  events?: string;
  format?: string;
  period?: string;
  persistence?: string;
  pq?: string;
  json?: boolean;
}

type Diagnosis = DiagnosisResult & { readonly drift: DriftAnalysis; readonly ruleVersion: string | null; readonly minGroupSize: number };

function render(r: Diagnosis): string {
  const lines: string[] = [
    `wave ${r.wave}; coherence capacity ${r.drift.capacity}; ${r.units.length} units` +
      (r.ruleVersion ? `; breakpoint rules ${r.ruleVersion}` : '; no events'),
  ];
  for (const u of r.units) {
    lines.push('', `== ${u.unit}`);
    if (u.drift) {
      lines.push(
        `M ${u.drift.history.map((h) => `${h.wave} ${fmt(h.misalignment)}`).join(', ')}; change ${fmt(u.drift.change)}, trend ${fmt(u.drift.trend)}` +
          `${u.drift.drifting ? ' (DRIFTING)' : ''}; dominant ${u.drift.dominance.map((d) => d ?? 'NA').join(' -> ')}`,
      );
    }
    lines.push(`weakest cells: ${u.weakestCells.map((c) => `${c.cell} (z ${fmt(c.z, 2)})`).join(', ') || 'none below the organisation'}`);
    for (const b of u.breakpoints) lines.push(`breakpoint: ${b.signal} ${b.start}..${b.end} (${b.periods} periods, peak ${fmt(b.peak)}) -> ${b.cells.join(', ')}`);
    for (const c of u.changePoints) lines.push(`shift: ${c.signal} from ${c.period}: ${fmt(c.before)} -> ${fmt(c.after)} (no rule fired)`);
    if (u.interventions.length > 0) {
      lines.push(table(['intervention', 'cells', 'score'], u.interventions.map((i) => [i.name, i.cells.join(' '), i.score])));
      for (const i of u.interventions.slice(0, 3)) for (const e of i.evidence) lines.push(`  ${i.id}: ${e}`);
    }
    const pq = Object.entries(u.performance);
    if (pq.length > 0) lines.push(`PQ: ${pq.map(([m, v]) => `${m} ${fmt(v.value)} (${v.period})`).join(', ')}`);
  }
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('diagnose')
    .description('Per-unit diagnosis: cells against the organisation, drift of M, breakpoints, and exemplar interventions ranked by evidence')
    .requiredOption('--csv <file>', 'respondent CSV (as for seici score)')
    .requiredOption('--map <file>', 'item map JSON (as for seici score)')
    .requiredOption('--unit <column>', 'the unit column')
    .option('--wave <column>', 'the wave column (default: one wave)')
    .option('--baseline-wave <wave>', 'the baseline wave for z and drift (default: the first)')
    .option('--min-group-size <n>', 'units with fewer respondents in a wave are left out everywhere', '5')
    .option('--diagnose-wave <wave>', 'the wave diagnosed (default: the last)')
    .option('--capacity <x>', 'coherence capacity: the rise in M that flags drift', '0.5')
    .option('--events <file>', 'coordination events for breakpoints (see seici breakpoints)')
    .option('--format <name>', 'trace format of --events: native, json, jira, decision-log')
    .option('--period <kind>', `breakpoint period: ${PERIOD_KINDS.join(', ')}`, 'week')
    .option('--persistence <n>', 'consecutive over periods that make a breakpoint')
    .option('--pq <file>', 'performance-quality CSV: unit,period,measure,value')
    .option('--json', 'one JSON object on stdout')
    .action((opts: DiagnoseFlags) => {
      const minGroupSize = parseNumber(opts.minGroupSize, '--min-group-size', { integer: true, min: 1 });
      const capacity = parseNumber(opts.capacity, '--capacity', { min: 0 });
      const period = parseChoice(opts.period, '--period', PERIOD_KINDS, 'week');
      const format = opts.format === undefined ? undefined : parseChoice(opts.format, '--format', ['native', 'json', 'jira', 'decision-log'] as const, 'native');
      const persistence = opts.persistence === undefined ? undefined : parseNumber(opts.persistence, '--persistence', { integer: true, min: 1 });
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
      const scores = scoreUnits(
        {
          items: itemNames,
          answers: data.numbers(itemNames),
          unit: data.text(opts.unit),
          wave: opts.wave === undefined ? undefined : data.text(opts.wave),
        },
        map,
        { baselineWave: opts.baselineWave, minGroupSize },
      );
      if (opts.diagnoseWave !== undefined && !scores.waves.includes(opts.diagnoseWave)) {
        throw new InputError('--diagnose-wave', `--diagnose-wave "${opts.diagnoseWave}" is not one of the waves (${scores.waves.join(', ')}).`);
      }
      const drift = unitDrift(scores.units, { capacity, waves: scores.waves, baselineWave: scores.baselineWave });
      const rules = withRuleOverrides(DEFAULT_RULES, { persistence });
      const traces = opts.events === undefined ? null : evaluateBreakpoints(readEvents(opts.events, format), { period, rules });
      const performance = opts.pq === undefined ? [] : parsePerformanceCsv(csvFileSource(opts.pq, '--pq'), `--pq ${opts.pq}`, '--pq');
      const diagnosis = diagnoseUnits({
        scores: scores.units,
        wave: opts.diagnoseWave,
        drift,
        breakpoints: traces?.breakpoints,
        changePoints: traces?.changePoints,
        performance,
        rules,
      });
      const result: Diagnosis = {
        ...diagnosis,
        drift,
        ruleVersion: traces?.ruleVersion ?? null,
        minGroupSize,
        diagnostics: {
          ...diagnosis.diagnostics,
          warnings: [...scores.diagnostics.warnings, ...drift.diagnostics.warnings, ...(traces?.diagnostics.warnings ?? []), ...diagnosis.diagnostics.warnings],
        },
      };
      emit(result, opts.json === true, render);
    });
}
