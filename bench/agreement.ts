/**
 * Benchmark: `seici agreement` on 100,000 respondents in 2,000 units (a 7-item scale of a
 * simulated 72-item SEI-CI panel written to a temporary CSV by `simulatePanel`), against R doing
 * the same in the same run by two routes (see R_SCRIPT). Wall time of whole processes, startup
 * included on both sides; seici median of 5, R fast route median of 3, R aov route one run (it
 * takes minutes; SEICI_BENCH_QUICK=1 skips it).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatePanel } from '../analysis/index.js';
import { panelCsv } from '../cli/commands/simulate.js';
import { median, rAvailable, timeRuns } from './timing.js';
import { readCsv } from '../cli/io/csv.js';
import { agreement } from '../analysis/index.js';
import { performance } from 'node:perf_hooks';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const UNITS = 2_000;
const PER_UNIT = 50;
const REPEATS = 5;
const R_REPEATS = 3;
const ITEMS = Array.from({ length: 7 }, (_, i) => `SxA_${i + 1}`);

function runOrThrow(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr.split('\n')[0]}`);
}

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

/** Where seici's time goes: reading the CSV into columns (the streaming reader), the analysis itself. */
function inProcessStages(csv: string): { read: number; compute: number } {
  const read: number[] = [];
  const compute: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const data = readCsv(csv, { numbers: [{ names: ITEMS, argument: '--items' }], texts: [{ names: ['unit'], argument: '--group' }] });
    const t1 = performance.now();
    agreement(data.numbers(ITEMS), data.text('unit'), { scalePoints: 7 });
    const t2 = performance.now();
    read.push(t1 - t0);
    compute.push(t2 - t1);
  }
  return { read: median(read), compute: median(compute) };
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-agreement-'));
  try {
    const panel = simulatePanel(
      { unitsPerContext: UNITS, unitSize: { mean: PER_UNIT, min: PER_UNIT, max: PER_UNIT }, waves: ['W1'] },
      2026,
    );
    const csv = join(dir, 'panel.csv');
    writeFileSync(csv, panelCsv(panel));
    const args = [CLI, 'agreement', '--csv', csv, '--items', ITEMS.join(','), '--group', 'unit', '--scale-points', '7', '--json'];
    const seici = median(await timeRuns(REPEATS, () => runOrThrow(process.execPath, args)));
    const lines = [
      '## agreement',
      '',
      `\`seici agreement\` on ${panel.answers.length.toLocaleString('en')} respondents in ${UNITS.toLocaleString('en')} units ` +
        `(${ITEMS.length} items of a simulated 72-item panel CSV, 7-point scale); whole-process wall time, median of ${REPEATS}.`,
      '',
      '| what | median | R in the same run |',
      '|---|---|---|',
    ];
    const stages = inProcessStages(csv);
    const label = '| seici agreement (rwg(j), r*wg(j), awg, AD, ICC(1), ICC(2), F, verdicts)';
    if (rAvailable(['multilevel'])) {
      const script = join(dir, 'agreement.R');
      writeFileSync(script, R_SCRIPT);
      const items = ITEMS.join(',');
      const rFast = median(await timeRuns(R_REPEATS, () => runOrThrow('Rscript', [script, csv, items, 'fast'])));
      lines.push(`${label} | ${seici.toFixed(0)} ms | ${rFast.toFixed(0)} ms, median of ${R_REPEATS} (read.csv, rwg.j, rwg.j.lindell, awg, ad.m, ANOVA by hand): **${(rFast / seici).toFixed(1)}×** |`);
      if (process.env.SEICI_BENCH_QUICK) {
        lines.push('| | | multilevel ICC1(aov) route skipped (SEICI_BENCH_QUICK) |');
      } else {
        const rAov = median(await timeRuns(1, () => runOrThrow('Rscript', [script, csv, items, 'multilevel'])));
        lines.push(`| | | ${rAov.toFixed(0)} ms, one run (read.csv, rwg.j, ICC1/ICC2 on aov: multilevel's route): **${(rAov / seici).toFixed(0)}×** |`);
      }
    } else {
      lines.push(`${label} | ${seici.toFixed(0)} ms | Rscript with multilevel not found |`);
    }
    lines.push(
      '',
      `Inside seici (in-process, median of ${REPEATS}): reading the CSV's columns (streaming reader) ${stages.read.toFixed(0)} ms, ` +
        `agreement ${stages.compute.toFixed(0)} ms.`,
    );
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
