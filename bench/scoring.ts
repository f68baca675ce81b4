/**
 * Benchmark: SEI-CI unit scoring (shared/CONTRACT.md `score`) of about 100,000 respondents in
 * 2,000 units over 3 waves (72 items, 2% missing answers), simulated by `simulatePanel`: the
 * library call `scoreUnits` in-process, and `seici score` as a whole process on the panel CSV
 * (reading and parsing the 7-million-field CSV included). Medians of 5 runs. Target: < 2 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreUnits, simulatePanel } from '../analysis/index.js';
import { panelCsv } from '../cli/commands/simulate.js';
import { CHILD_ENV, median, timeRuns } from './timing.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const REPEATS = 5;

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-scoring-'));
  try {
    const panel = simulatePanel(
      { unitsPerContext: 2_000, unitSize: { mean: 100_000 / 6_000, min: 10, max: 40 }, waves: ['W1', 'W2', 'W3'], missing: 0.02, drift: { share: 0.2 } },
      2026,
    );
    const inProcess = median(await timeRuns(REPEATS, () => scoreUnits(panel, panel.map)));
    const csv = join(dir, 'panel.csv');
    const map = join(dir, 'map.json');
    writeFileSync(csv, panelCsv(panel));
    writeFileSync(map, JSON.stringify(panel.map));
    const args = [CLI, 'score', '--csv', csv, '--map', map, '--unit', 'unit', '--wave', 'wave', '--json'];
    const cli = median(
      await timeRuns(REPEATS, () => {
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: CHILD_ENV });
        if (r.status !== 0) throw new Error(`seici score failed: ${r.stderr.split('\n')[0]}`);
      }),
    );
    return [
      '## scoring',
      '',
      `Unit scoring of ${panel.answers.length.toLocaleString('en')} respondents in 2,000 units × 3 waves (72 items, 2% missing); medians of ${REPEATS}.`,
      '',
      '| what | median | target |',
      '|---|---|---|',
      `| \`scoreUnits\` in-process (cells, dimensions, levers, z, M, drift, rwg(j), per-wave ICCs, verdicts) | ${inProcess.toFixed(0)} ms | < 2,000 ms |`,
      `| \`seici score --json\` whole process on the CSV (read, parse, score, print) | ${cli.toFixed(0)} ms | |`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
