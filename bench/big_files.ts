/**
 * Benchmark (issue 16): big respondent files and start-up.
 *
 * - `seici score` and `seici agreement` (all 72 items) as whole processes on generated files of
 *   1M, 3M and 10M rows × (unit, wave, 72 items on a 1–7 scale, 2% missing): wall time, CPU and
 *   peak RSS, against the bound 1.5 × the numeric size (8 bytes × rows × columns used) + 200 MB.
 *   `SEICI_BENCH_ROWS=1000000,3000000` sets other sizes (10M writes a 1.5 GB file, which takes
 *   minutes to generate, and several minutes per command). Each row of the table is printed to
 *   stderr as soon as it is measured, so a long run shows its progress.
 * - Reading alone, seici's streaming reader against csv-parse in streaming mode (bench/csv_probe.ts),
 *   on the smallest file.
 * - Start-up CPU of `seici --help` and of `seici agreement` on a 10-row file, next to a bare
 *   `node -e 0`, medians of 15 runs.
 *
 * CPU and peak RSS come from the child's own `process.resourceUsage()` at exit (a preloaded hook),
 * so they cover exactly that process.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Prng } from '../analysis/math/random.js';
import { CELLS } from '../instrument/model.js';
import { CHILD_ENV, median } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = resolve(here, '../cli/main.js');
/** The `seici` bin of package.json: the CommonJS bundle that scripts/build-cli.mjs writes (`npm run bench` builds it). */
const BIN = resolve(here, '../seici/main.cjs');
const PROBE = resolve(here, 'csv_probe.js');
const FIXTURE = resolve(here, '../../test/fixtures/cohesion.csv');
const ITEMS = CELLS.flatMap((c) => Array.from({ length: 8 }, (_, k) => `${c}_${k + 1}`));
const PER_UNIT = 20;
const MB = 1024 * 1024;

/** Writes `rows` respondents: units of 20 in 3 waves, answers = the unit's level ± noise, 2% missing. */
export function writePanel(path: string, rows: number): void {
  const prng = new Prng(2026);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, ['unit', 'wave', ...ITEMS].join(',') + '\n');
    const perWave = Math.ceil(rows / 3);
    const units = Math.ceil(perWave / PER_UNIT);
    const level = Array.from({ length: units }, () => 2 + prng.int(4));
    let lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      const wave = Math.floor(r / perWave);
      const u = Math.floor((r % perWave) / PER_UNIT);
      const fields: (string | number)[] = [`u${u}`, `W${wave + 1}`];
      for (let j = 0; j < ITEMS.length; j++) {
        if (prng.int(50) === 0) fields.push('');
        else fields.push(Math.min(7, Math.max(1, level[u] + prng.int(5) - 1 + (j % 3 === 0 ? 1 : 0))));
      }
      lines.push(fields.join(','));
      if (lines.length === 10_000) {
        writeSync(fd, lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, lines.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}

interface Usage {
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  status: number | null;
  stderr: string;
}

/** Runs `node args` with the usage hook, in `env` (the benchmarks' child environment unless given); stdout goes nowhere. */
export function measure(dir: string, args: string[], env: NodeJS.ProcessEnv = CHILD_ENV): Usage {
  const hook = join(dir, 'usage.cjs');
  const out = join(dir, 'usage.json');
  writeFileSync(
    hook,
    `process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1000, rss: u.maxRSS / 1024 })); });\n`,
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', hook, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * MB, env });
  const wallMs = performance.now() - t0;
  let cpu = NaN;
  let rss = NaN;
  try {
    const u = JSON.parse(readFileSync(out, 'utf8')) as { cpu: number; rss: number };
    cpu = u.cpu;
    rss = u.rss;
    rmSync(out);
  } catch {
    // the process died before its exit hook (e.g. killed): no usage
  }
  return { wallMs, cpuMs: cpu, rssMb: rss, status: r.status, stderr: (r.stderr ?? '').trim() };
}

function fmtRows(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n.toLocaleString('en');
}

export async function run(): Promise<string> {
  const sizes = (process.env.SEICI_BENCH_ROWS ?? '1000000,3000000,10000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-big-'));
  const lines = [
    '## big_files',
    '',
    `Generated respondent files: unit, wave and ${ITEMS.length} items (1–7, 2% missing), units of ${PER_UNIT} in 3 waves. ` +
      'Whole processes, one run each; peak RSS from the process itself. Bound = 1.5 × 8 bytes × rows × columns used + 200 MB ' +
      '(score uses 74 columns, agreement 73).',
    '',
    '| command | rows | file | wall | CPU | peak RSS | bound | within |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const reading: string[] = [];
  try {
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ scaleMin: 1, scaleMax: 7, items: Object.fromEntries(ITEMS.map((name) => [name, { cell: name.slice(0, 3), reverse: name.endsWith('_8') }])) }));
    for (const rows of sizes) {
      const csv = join(dir, `panel-${rows}.csv`);
      writePanel(csv, rows);
      const fileMb = readSizeMb(csv);
      const runs: [string, string[], number][] = [
        ['score', [CLI, 'score', '--csv', csv, '--map', map, '--unit', 'unit', '--wave', 'wave', '--json'], ITEMS.length + 2],
        ['agreement', [CLI, 'agreement', '--csv', csv, '--items', ITEMS.join(','), '--group', 'unit', '--scale-points', '7', '--json'], ITEMS.length + 1],
      ];
      for (const [name, args, columns] of runs) {
        const u = measure(dir, args);
        const bound = (1.5 * 8 * rows * columns) / MB + 200;
        const ok = u.status === 0;
        const line =
          `| ${name} | ${fmtRows(rows)} | ${fileMb.toFixed(0)} MB | ${ok ? `${(u.wallMs / 1000).toFixed(1)} s` : `FAILED (${u.status}): ${u.stderr.split('\n')[0]}`} | ` +
          `${(u.cpuMs / 1000).toFixed(1)} s | ${u.rssMb.toFixed(0)} MB | ${bound.toFixed(0)} MB | ${ok && u.rssMb <= bound ? 'yes' : 'no'} |`;
        lines.push(line);
        process.stderr.write(`big_files: ${line}\n`);
      }
      if (rows === sizes[0]) {
        for (const mode of ['seici', 'csv-parse']) {
          const u = measure(dir, [PROBE, mode, csv]);
          reading.push(
            `| ${mode === 'seici' ? "seici's streaming reader (bytes → Float64Array / codes)" : 'csv-parse streaming (string[] per record, then Number)'} | ` +
              `${fmtRows(rows)} | ${(u.wallMs / 1000).toFixed(1)} s | ${(u.cpuMs / 1000).toFixed(1)} s | ${u.rssMb.toFixed(0)} MB |`,
          );
        }
      }
      rmSync(csv);
    }
    lines.push('', 'Reading alone (72 numeric columns and 2 label columns into typed arrays, nothing else):', '');
    lines.push('| reader | rows | wall | CPU | peak RSS |', '|---|---|---|---|---|', ...reading);

    const small = FIXTURE;
    const start: [string, string[]][] = [
      ['`node -e 0` (Node alone, for reference)', ['-e', '0']],
      ['`seici --help` (the bin, dist/seici/main.cjs)', [BIN, '--help']],
      ['`seici agreement` on a 10-row file (the bin)', [BIN, 'agreement', '--csv', small, '--items', 'COH01,COH02,COH03', '--group', 'UNIT', '--scale-points', '5', '--json']],
      ['`node dist/cli/main.js --help` (an ES module that requires the bin)', [CLI, '--help']],
    ];
    lines.push(...startUp(dir, start));
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const START_RUNS = 21;

/**
 * Start-up CPU and wall of each process, in the environment of a fresh machine (no
 * NODE_EXTRA_CA_CERTS) and, when this machine sets that variable, in this machine's environment too;
 * runs alternate over every process and both environments, so a change in the machine's load falls
 * on all rows alike. Medians and lower quartiles of START_RUNS runs.
 */
function startUp(dir: string, processes: readonly [string, string[]][]): string[] {
  const envs: [string, NodeJS.ProcessEnv][] = [['fresh machine', CHILD_ENV]];
  if (process.env.NODE_EXTRA_CA_CERTS) envs.push(['with NODE_EXTRA_CA_CERTS', process.env]);
  const runs = new Map<string, Usage[]>();
  for (let i = 0; i < START_RUNS; i++) {
    for (const [label, args] of processes) {
      for (const [envLabel, env] of envs) {
        const u = measure(dir, args, env);
        if (u.status !== 0) throw new Error(`${label} failed: ${u.stderr}`);
        const key = `${label}\u0000${envLabel}`;
        runs.set(key, [...(runs.get(key) ?? []), u]);
      }
    }
  }
  const quartile = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 4)];
  const out = [
    '',
    `Start-up: CPU (user + system) of the whole process, median and lower quartile of ${START_RUNS} runs, alternating:`,
    '',
    '| process | environment | CPU median | CPU lower quartile | wall median |',
    '|---|---|---|---|---|',
  ];
  for (const [label] of processes) {
    for (const [envLabel] of envs) {
      const us = runs.get(`${label}\u0000${envLabel}`)!;
      const cpu = us.map((u) => u.cpuMs);
      out.push(`| ${label} | ${envLabel} | ${median(cpu).toFixed(0)} ms | ${quartile(cpu).toFixed(0)} ms | ${median(us.map((u) => u.wallMs)).toFixed(0)} ms |`);
    }
  }
  return out;
}

function readSizeMb(path: string): number {
  return statSync(path).size / MB;
}
