import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import {
  DEFAULT_RULES, PERIOD_KINDS, buildResearchPanel, evaluateBreakpoints, parsePerformanceCsv, respondentScaleScores, scoreUnits,
  type ResearchPanelData, type RespondentScales, type TraceSources,
} from '../../analysis/index.js';
import { CURRENT_VERSION, isInterfaceRole, supplementaryScaleKeys } from '../../instrument/index.js';
import { csvFileSource, openCsv } from '../io/csv.js';
import { parseChoice, parseList, parseNumber } from '../io/args.js';
import { emit, table } from '../output.js';
import { readEvents } from './breakpoints.js';
import { readItemMap } from './score.js';

interface PanelDataFlags {
  csv: string;
  map: string;
  unit: string;
  wave?: string;
  baselineWave?: string;
  minGroupSize: string;
  events?: string;
  format?: string;
  period?: string;
  waveStarts?: string;
  pq?: string;
  pqMeasure?: string;
  out?: string;
  json?: boolean;
}

/** The supplementary scales the panel carries, by panel column. */
const SCALES = { dynamism: 'dynamism', visCoherence: 'visibilityCoherence', visOutcome: 'visibilityOutcome' } as const;

function csvText(panel: ResearchPanelData): string {
  const lines = [panel.columns.join(',')];
  for (const r of panel.rows) lines.push(r.map((v) => (typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','));
  return lines.join('\n') + '\n';
}

function parseWaveStarts(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parseList(value, '--wave-starts')) {
    const m = /^(.+)=(.+)$/.exec(part);
    if (!m) throw new InputError('--wave-starts', `--wave-starts takes wave=YYYY-MM-DD pairs; got "${part}".`);
    out[m[1].trim()] = m[2].trim();
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('panel-data')
    .description('The unit-wave research panel from responses, traces and PQ: the file seici hypotheses and seici panel read')
    .requiredOption('--csv <file>', 'respondent CSV (SEI-CI items, and DYN_*, VISC_*, VISO_*, ROLE when asked)')
    .requiredOption('--map <file>', 'item map JSON (as for seici score)')
    .requiredOption('--unit <column>', 'the unit column')
    .option('--wave <column>', 'the wave column (default: one wave)')
    .option('--baseline-wave <wave>', 'the baseline wave for z and drift (default: the first)')
    .option('--min-group-size <n>', 'unit-waves with fewer respondents are left out', '5')
    .option('--events <file>', 'coordination events: rework and breakpoint counts per wave (needs --wave-starts)')
    .option('--format <name>', 'trace format of --events: native, json, jira, decision-log')
    .option('--period <kind>', `trace period: ${PERIOD_KINDS.join(', ')}`, 'week')
    .option('--wave-starts <list>', 'first day of each wave, e.g. W1=2026-01-05,W2=2026-04-06 (a wave runs to the next one\'s start)')
    .option('--pq <file>', 'performance quality: unit,period,measure,value (period = the wave, or a date in its window)')
    .option('--pq-measure <name>', 'the PQ measure to use (default: the only one in the file)')
    .option('--out <file>', 'write the panel CSV here')
    .option('--json', 'one JSON object on stdout')
    .action((o: PanelDataFlags) => {
      const map = readItemMap(o.map);
      const csv = openCsv(o.csv);
      const itemNames = Object.keys(map.items);
      for (const name of itemNames) if (!csv.columns.includes(name)) throw new InputError('--map', `--map item "${name}" is not a column of ${csv.source}.`);
      const minGroupSize = parseNumber(o.minGroupSize, '--min-group-size', { integer: true, min: 1 });
      // the supplementary scales' items that the file has, read with the SEI-CI items in one pass
      const keys = supplementaryScaleKeys(CURRENT_VERSION);
      const scaleItems: [string, string[]][] = [];
      for (const [column, scale] of Object.entries(SCALES)) {
        const k = keys[scale];
        if (!k) continue;
        const items = Object.keys(k.items).filter((id) => csv.columns.includes(id));
        if (items.length > 0) scaleItems.push([column, items]);
      }
      const role = csv.columns.includes('ROLE');
      const data = csv.read({
        numbers: [{ names: itemNames, argument: '--map' }, { names: [...scaleItems.flatMap(([, items]) => items), ...(role ? ['ROLE'] : [])], argument: '--csv' }],
        texts: [{ names: [o.unit], argument: '--unit' }, ...(o.wave === undefined ? [] : [{ names: [o.wave], argument: '--wave' }])],
      });
      const unit = data.text(o.unit);
      const wave = o.wave === undefined ? undefined : data.text(o.wave);
      const scores = scoreUnits({ items: itemNames, answers: data.numbers(itemNames), unit, wave }, map, { baselineWave: o.baselineWave, minGroupSize });
      const scoresByColumn: Record<string, Float64Array> = {};
      for (const [column, items] of scaleItems) scoresByColumn[column] = respondentScaleScores(data.numbers(items), items, keys[SCALES[column as keyof typeof SCALES]]!);
      const respondents: RespondentScales = {
        unit,
        wave,
        scores: scoresByColumn,
        ...(role ? { interfaceRole: data.number('ROLE').map((v) => (Number.isNaN(v) ? NaN : isInterfaceRole(v) ? 1 : 0)) } : {}),
      };
      let traces: TraceSources | undefined;
      if (o.events !== undefined) {
        if (o.waveStarts === undefined) throw new InputError('--wave-starts', '--events needs --wave-starts, the first day of each wave, to count traces per wave.');
        const period = parseChoice(o.period, '--period', PERIOD_KINDS, 'week');
        const analysis = evaluateBreakpoints(readEvents(o.events, o.format as never), { period, rules: DEFAULT_RULES, changePoints: false });
        traces = { signals: analysis.signals, breakpoints: analysis.breakpoints, waveStarts: parseWaveStarts(o.waveStarts) };
      } else if (o.waveStarts !== undefined && o.pq === undefined) {
        throw new InputError('--wave-starts', '--wave-starts is used with --events or --pq.');
      }
      let performance;
      if (o.pq !== undefined) {
        const records = parsePerformanceCsv(csvFileSource(o.pq, '--pq'), `--pq ${o.pq}`, '--pq');
        const measures = [...new Set(records.map((r) => r.measure))];
        const measure = o.pqMeasure ?? (measures.length === 1 ? measures[0] : undefined);
        if (measure === undefined) throw new InputError('--pq-measure', `--pq ${o.pq} has ${measures.length} measures (${measures.join(', ')}); name one with --pq-measure.`);
        if (o.waveStarts !== undefined && !traces) traces = { signals: [], breakpoints: [], waveStarts: parseWaveStarts(o.waveStarts) };
        performance = { records, measure };
      }
      const panel = buildResearchPanel({ scores, respondents, traces, performance });
      if (o.out !== undefined) {
        try {
          writeFileSync(o.out, csvText(panel));
        } catch (err) {
          throw new InputError('--out', `--out ${o.out} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
        }
      }
      const result = {
        minGroupSize,
        suppressed: scores.suppressed,
        columns: panel.columns,
        units: panel.rows.map((r) => Object.fromEntries(panel.columns.map((c, j) => [c, r[j]]))),
        file: o.out ?? null,
        diagnostics: panel.diagnostics,
      };
      emit(result, o.json ?? false, () =>
        [`${panel.rows.length} unit-waves (${scores.suppressed} suppressed below ${minGroupSize} respondents)${o.out ? `; written to ${o.out}` : ''}`,
          table(panel.columns, panel.rows)].join('\n'));
    });
}
