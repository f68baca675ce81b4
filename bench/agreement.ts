/**
 * Benchmark: `seici agreement` against R doing the same in the same run (see R_SCRIPT), on two
 * simulated panels (`simulatePanel`, 7-point items, units of 50): 100,000 respondents in 2,000
 * units, 7 items of a 72-item CSV; and 1,000,000 respondents in 20,000 units, a CSV of the unit
 * and 24 items. Whole processes, startup included; medians of wall time, CPU time and peak
 * resident memory (/usr/bin/time), the seici and R fast-route runs alternating (at 1,000,000 rows
 * R runs once: it takes minutes). multilevel's aov route runs once at 100,000 rows
 * (SEICI_BENCH_QUICK=1 skips it). In-process stages say where seici's time goes.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatePanel } from '../analysis/simulation/simulate_panel.js';
import { panelCsv } from '../cli/commands/simulate.js';
import { interleaved, loadAverage, median, rAvailable, timedProcess, type ProcessTiming } from './timing.js';
import { readCsv } from '../cli/io/csv.js';
import { agreement } from '../analysis/agreement/agreement.js';
import { writeJson } from '../cli/output.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const REPEATS = 3;

/**
 * R doing the same work. `route` = "fast": read.csv, rwg.j, rwg.j.lindell, awg, ad.m and the
 * one-way ANOVA (MSB, MSW, ICC(1), ICC(2), F) by hand with tapply: everything seici reports.
 * `route` = "multilevel": read.csv, rwg.j and ICC1/ICC2 on aov(score ~ as.factor(unit)), the route
 * multilevel documents (and the contract's oracle uses); aov builds a dense N × J model matrix.
 */
const R_SCRIPT = `suppressMessages(library(multilevel))
args <- commandArgs(TRUE)
d <- read.csv(args[1])
items <- strsplit(args[2], ",")[[1]]
x <- d[complete.cases(d[, c(items, "unit")]), c(items, "unit")]
g <- as.character(x$unit); xi <- x[, items]; s <- rowMeans(xi)
r <- rwg.j(xi, g, ranvar = (7^2 - 1) / 12)
if (args[3] == "multilevel") {
  m <- aov(s ~ as.factor(g)); out <- c(ICC1(m), ICC2(m))
} else {
  l <- rwg.j.lindell(xi, g, ranvar = 4); a <- awg(xi, g, range = c(1, 7)); ad <- ad.m(xi, g)
  n <- length(s); J <- length(unique(g)); ng <- tapply(s, g, length); mg <- tapply(s, g, mean)
  msb <- sum(ng * (mg - mean(s))^2) / (J - 1); msw <- sum((s - mg[g])^2) / (n - J)
  out <- c((msb - msw) / (msb + (n / J - 1) * msw), (msb - msw) / msb, msb / msw, mean(l$rwg.lindell), mean(a$a.wg, na.rm = TRUE), mean(ad$AD.M))
}
cat(mean(r$rwg.j, na.rm = TRUE), out, "\\n")
`;

/** Where seici's time goes, in-process CPU time: reading the CSV's columns, agreement(), the JSON. */
function inProcessStages(csv: string, items: readonly string[]): { read: number; compute: number; json: number } {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const read: number[] = [];
  const compute: number[] = [];
  const json: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = cpu();
    const data = readCsv(csv, { numbers: [{ names: items, argument: '--items' }], texts: [{ names: ['unit'], argument: '--group' }] });
    const t1 = cpu();
    const result = agreement(data.numbers(items), data.text('unit'), { scalePoints: 7 });
    const t2 = cpu();
    let bytes = 0;
    writeJson(result, (text) => (bytes += text.length));
    const t3 = cpu();
    read.push(t1 - t0);
    compute.push(t2 - t1);
    json.push(t3 - t2);
  }
  return { read: median(read), compute: median(compute), json: median(json) };
}

/** 1,000,000 respondents in 20,000 units: the unit and the first 24 items, written a block of lines at a time. */
export function writeMillionCsv(path: string): readonly string[] {
  const panel = simulatePanel({ unitsPerContext: 20_000, unitSize: { mean: 50, min: 50, max: 50 }, waves: ['W1'], itemsPerCell: 8 }, 2026);
  const items = panel.items.slice(0, 24);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, ['unit', ...items].join(',') + '\n');
    let block = '';
    for (let r = 0; r < panel.answers.length; r++) {
      const answers = panel.answers[r];
      let line = panel.unit[r];
      for (let j = 0; j < items.length; j++) line += Number.isNaN(answers[j]) ? ',' : `,${answers[j]}`;
      block += line + '\n';
      if (block.length > 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    }
    writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return items;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (x: number) => (Number.isFinite(x) ? `${(x / 2 ** 20).toFixed(0)} MB` : 'n/a');

function row(what: string, size: number, t: { ours: ProcessTiming; theirs: ProcessTiming | null }, rRuns: number): string {
  const ours = `${ms(t.ours.wall)} | ${ms(t.ours.cpu)} | ${mb(t.ours.peak)} (${(t.ours.peak / size).toFixed(1)}× the CSV)`;
  if (!t.theirs) return `| ${what} | ${ours} | Rscript with multilevel not found | | |`;
  return `| ${what} | ${ours} | ${ms(t.theirs.wall)}${rRuns === 1 ? ' (one run)' : ''} | ${ms(t.theirs.cpu)} | **${(t.theirs.wall / t.ours.wall).toFixed(1)}×** (CPU ${(t.theirs.cpu / t.ours.cpu).toFixed(1)}×) |`;
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-agreement-'));
  try {
    const hasR = rAvailable(['multilevel']);
    const script = join(dir, 'agreement.R');
    writeFileSync(script, R_SCRIPT);
    const small = join(dir, 'panel_100k.csv');
    const panel = simulatePanel({ unitsPerContext: 2_000, unitSize: { mean: 50, min: 50, max: 50 }, waves: ['W1'] }, 2026);
    writeFileSync(small, panelCsv(panel));
    const smallItems = Array.from({ length: 7 }, (_, i) => `SxA_${i + 1}`);
    const large = join(dir, 'panel_1m.csv');
    const largeItems = writeMillionCsv(large);
    const lines = [
      '## agreement',
      '',
      '`seici agreement --json` (rwg(j), r*wg(j), awg, AD, ICC(1), ICC(2), F, per-unit verdicts) against the fast R route (read.csv, multilevel `rwg.j`, ' +
        '`rwg.j.lindell`, `awg`, `ad.m`, one-way ANOVA by hand with `tapply`); whole processes, startup included; medians of ' +
        `${REPEATS}, seici and R alternating; CPU = user + system, peak = maximum resident memory (/usr/bin/time). Load average at the start: ${loadAverage()}.`,
      '',
      '| data | seici wall | seici CPU | seici peak | R wall | R CPU | R / seici |',
      '|---|---|---|---|---|---|---|',
    ];
    const cases: [string, string, readonly string[], number][] = [
      [`100,000 × 7 (${mb(statSync(small).size)} CSV)`, small, smallItems, REPEATS],
      [`1,000,000 × 24 (${mb(statSync(large).size)} CSV)`, large, largeItems, 1],
    ];
    const stages: string[] = [];
    for (const [what, csv, items, rRuns] of cases) {
      const args = [CLI, 'agreement', '--csv', csv, '--items', items.join(','), '--group', 'unit', '--scale-points', '7', '--json'];
      const rArgs = [script, csv, items.join(','), 'fast'];
      const t =
        rRuns === REPEATS
          ? interleaved(REPEATS, () => timedProcess(process.execPath, args), hasR ? () => timedProcess('Rscript', rArgs) : undefined)
          : { ours: interleaved(REPEATS, () => timedProcess(process.execPath, args)).ours, theirs: hasR ? timedProcess('Rscript', rArgs) : null };
      lines.push(row(what, statSync(csv).size, t, rRuns));
      const s = inProcessStages(csv, items);
      stages.push(`${what}: reading ${ms(s.read)}, agreement() ${ms(s.compute)}, JSON ${ms(s.json)}`);
    }
    if (hasR && !process.env.SEICI_BENCH_QUICK) {
      const aov = timedProcess('Rscript', [script, small, smallItems.join(','), 'multilevel']);
      lines.push(`| 100,000 × 7, multilevel's own route (ICC1/ICC2 on aov) | | | | ${ms(aov.wall)} (one run) | ${ms(aov.cpu)} | |`);
    }
    lines.push('', `Inside seici (in-process CPU time, median of ${REPEATS}): ${stages.join('; ')}. Load average at the end: ${loadAverage()}.`);
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
