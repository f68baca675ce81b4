import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../analysis/errors.js';
import {
  DEFAULT_RULES,
  PERIOD_KINDS,
  evaluateBreakpoints,
  parseDecisionLog,
  parseEventsCsv,
  parseEventsJson,
  parseJiraChangelog,
  parseJiraIssuesJson,
  validateRuleSet,
  withRuleOverrides,
  type BreakpointAnalysis,
  type CoordinationEvent,
} from '../../analysis/index.js';
import { parseChoice, parseNumber } from '../io/args.js';
import { csvFileSource } from '../io/csv.js';
import { emit, table } from '../output.js';

interface BreakpointFlags {
  events: string;
  format?: string;
  period?: string;
  sprintAnchor?: string;
  baselinePeriods?: string;
  persistence?: string;
  rules?: string;
  changePoints: boolean;
  penalty?: string;
  json?: boolean;
}

const FORMATS = ['native', 'json', 'jira', 'decision-log'] as const;
type TraceFormat = (typeof FORMATS)[number];

/** Reads a whole text file; a missing or unreadable file is an InputError naming `flag`. */
export function readText(path: string, flag: string): string {
  try {
    if (statSync(path).isDirectory()) throw new InputError(flag, `${flag} ${path} is a folder, not a file.`);
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(flag, `${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : 'it cannot be read'}.`);
  }
}

/** Parses JSON text; invalid JSON is an InputError naming `flag`. */
export function readJson(path: string, flag: string): unknown {
  const text = readText(path, flag);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(flag, `${flag} ${path} is not valid JSON (${(err as Error).message.split('\n')[0]}).`);
  }
}

/** Reads a trace file in one of the import formats into validated events. */
export function readEvents(path: string, format: TraceFormat | undefined, flag = '--events'): CoordinationEvent[] {
  const chosen = format ?? (path.toLowerCase().endsWith('.json') ? 'json' : 'native');
  const label = `${flag} ${path}`;
  switch (chosen) {
    case 'native':
      return parseEventsCsv(csvFileSource(path, flag), label, flag);
    case 'json':
      return parseEventsJson(readJson(path, flag), label, flag);
    case 'jira':
      return path.toLowerCase().endsWith('.json')
        ? parseJiraIssuesJson(readJson(path, flag), {}, label, flag)
        : parseJiraChangelog(csvFileSource(path, flag), {}, label, flag);
    case 'decision-log':
      return parseDecisionLog(csvFileSource(path, flag), label, flag);
  }
}

function render(r: BreakpointAnalysis): string {
  const lines = [
    `${r.n} events, ${r.units.length} units, ${r.signals.length} unit-${r.period}s; rules ${r.ruleVersion} ` +
      `(baseline ${r.rules.baselinePeriods} periods, persistence ${r.rules.persistence})`,
    '',
  ];
  if (r.breakpoints.length === 0) lines.push('No breakpoints.');
  else {
    lines.push('Breakpoints:');
    lines.push(
      table(
        ['unit', 'signal', 'cells', 'start', 'end', 'periods', 'peak', 'level'],
        r.breakpoints.map((b) => [b.unit, b.signal, b.cells.join(' '), b.start, b.end, b.periods, b.peak, b.level]),
      ),
    );
  }
  const missed = r.changePoints.filter((c) => !c.coveredByRule && c.direction === 'up');
  lines.push('');
  if (missed.length === 0) lines.push('No upward shifts beyond the rule-based breakpoints.');
  else {
    lines.push('Upward shifts the fixed thresholds missed (change points):');
    lines.push(
      table(
        ['unit', 'signal', 'from', 'before', 'after', 'shift/sigma'],
        missed.map((c) => [c.unit, c.signal, c.period, c.before, c.after, c.standardizedShift]),
      ),
    );
  }
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('breakpoints')
    .description('Breakpoint signals from coordination events: per-unit period signals, baselines, persistent threshold crossings, change points')
    .requiredOption('--events <file>', 'events: CSV unit,timestamp,type,key,ref (or see --format)')
    .option('--format <name>', `trace format: ${FORMATS.join(', ')} (default: json for .json files, else native; jira reads a changelog CSV or Jira's REST JSON)`)
    .option('--period <kind>', `period: ${PERIOD_KINDS.join(', ')}`, 'week')
    .option('--sprint-anchor <date>', 'a Monday (YYYY-MM-DD) that starts a sprint', '2024-01-01')
    .option('--baseline-periods <n>', 'first periods with a value whose median is the baseline')
    .option('--persistence <n>', 'consecutive over periods that make a breakpoint')
    .option('--rules <file>', 'a rule set (JSON) in place of the defaults')
    .option('--no-change-points', 'skip the change-point detector')
    .option('--penalty <beta>', 'change-point penalty per change (default 3 ln n)')
    .option('--json', 'one JSON object on stdout')
    .action((opts: BreakpointFlags) => {
      const format = opts.format === undefined ? undefined : parseChoice(opts.format, '--format', FORMATS, 'native');
      const period = parseChoice(opts.period, '--period', PERIOD_KINDS, 'week');
      const base = opts.rules === undefined ? DEFAULT_RULES : validateRuleSet(readJson(opts.rules, '--rules'), '--rules');
      const rules = withRuleOverrides(base, {
        baselinePeriods:
          opts.baselinePeriods === undefined ? undefined : parseNumber(opts.baselinePeriods, '--baseline-periods', { integer: true, min: 1 }),
        persistence: opts.persistence === undefined ? undefined : parseNumber(opts.persistence, '--persistence', { integer: true, min: 1 }),
      });
      const penalty = opts.penalty === undefined ? undefined : parseNumber(opts.penalty, '--penalty', { min: 0 });
      const events = readEvents(opts.events, format);
      const result = evaluateBreakpoints(events, {
        period,
        sprintAnchor: opts.sprintAnchor,
        rules,
        changePoints: opts.changePoints,
        changePointPenalty: penalty,
      });
      emit(result, opts.json === true, render);
    });
}
