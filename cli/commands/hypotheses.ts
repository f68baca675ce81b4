import type { Command } from 'commander';
import { HYPOTHESES, T1_VARIABLES, T2_VARIABLES, T3_VARIABLES, testHypotheses, type HypothesisResult } from '../../analysis/index.js';
import { parseList, parseNumber } from '../io/args.js';
import { readPanel } from '../io/panel.js';
import { emit, table } from '../output.js';

interface HypothesesFlags {
  csv: string;
  unit: string;
  wave: string;
  waves?: string;
  tests?: string;
  bootstrap?: string;
  seed?: string;
  json?: boolean;
}

function render(results: Record<string, HypothesisResult>): string {
  const out: string[] = [];
  for (const [name, r] of Object.entries(results)) {
    out.push(`${name}: ${r.supported ? 'supported' : 'not supported'} (n = ${r.n} units; waves ${r.waves.join(', ')})`, r.reading);
    for (const [model, m] of Object.entries(r.models)) {
      out.push('', `  ${model}: ${m.formula}   R² ${m.r2.toFixed(3)}`);
      out.push(table(['term', 'est', 'se', 'seHc3', 't', 'p'], m.terms.map((t) => [t.term, t.est, t.se, t.seHc3, t.t, t.p]), 4).replace(/^/gm, '  '));
    }
    for (const w of r.diagnostics.warnings) out.push(`note: ${w}`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

export function register(program: Command): void {
  program
    .command('hypotheses')
    .description('Test the SEI model\'s hypotheses H1–H7 on a unit-wave panel (three-wave design)')
    .requiredOption('--csv <file>', 'panel CSV: one row per unit and wave')
    .option('--unit <column>', 'unit column', 'unit')
    .option('--wave <column>', 'wave column', 'wave')
    .option('--waves <T1,T2,T3>', 'the three waves (default: the first three in the file)')
    .option('--tests <list>', `tests to run: ${HYPOTHESES.join(',')} or all`, 'all')
    .option('--bootstrap <n>', 'bootstrap resamples for H1 and H2', '5000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--json', 'one JSON object on stdout')
    .action((o: HypothesesFlags) => {
      const tests = o.tests === undefined || o.tests.trim() === 'all' ? [...HYPOTHESES] : parseList(o.tests, '--tests');
      const bootstrap = parseNumber(o.bootstrap, '--bootstrap', { integer: true, min: 10, max: 1_000_000 });
      const seed = parseNumber(o.seed, '--seed', { integer: true });
      const waves = o.waves === undefined ? undefined : parseList(o.waves, '--waves');
      const panel = readPanel(o.csv, o.unit, o.wave, [...T1_VARIABLES, ...T2_VARIABLES, ...T3_VARIABLES]);
      const results = testHypotheses(panel, { tests, waves, bootstrap, seed });
      emit(results, o.json ?? false, render);
    });
}
