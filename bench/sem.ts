/**
 * SEM benchmark: configural + metric + scalar fits of the simulated 72-item, 9-factor SEI-CI
 * instrument (8 items per cell, nine correlated cell factors) in 3 contexts of 300
 * respondents, by seici and, when Rscript with lavaan is installed, by lavaan::cfa in the same
 * run (timed inside R, package loading excluded). Reports medians, the speed ratio and whether
 * the χ² values agree to 1e-4 relative.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitSem, seiModelSyntax, simulatePanel, type GroupEqual } from '../analysis/index.js';
import { median, rAvailable, timeRuns } from './timing.js';

const REPEATS = 5;
// lavaan needs minutes for the three fits here, so one R run by default
const R_REPEATS = Number(process.env.SEICI_BENCH_R_REPEATS ?? 1);
const LEVELS: [string, GroupEqual[]][] = [
  ['configural', []],
  ['metric', ['loadings']],
  ['scalar', ['loadings', 'intercepts']],
];

const R_SCRIPT = `
suppressMessages(library(lavaan))
a <- commandArgs(TRUE)
d <- read.csv(a[1]); model <- paste(readLines(a[2]), collapse = "\\n"); reps <- as.integer(a[3])
eq <- list("none", "loadings", c("loadings", "intercepts"))
times <- numeric(reps); chisq <- NULL
for (r in seq_len(reps)) {
  t <- system.time(fits <- lapply(eq, function(e) cfa(model, data = d, group = "context", group.equal = if (e[1] == "none") "" else e)))
  times[r] <- t[["elapsed"]]
  chisq <- sapply(fits, function(f) fitMeasures(f, "chisq"))
}
cat(sprintf("%.17g", c(median(times) * 1000, chisq)), sep = "\\n")
`;

export async function run(): Promise<string> {
  const sim = simulatePanel(
    {
      contexts: ['A', 'B', 'C'],
      unitsPerContext: 30,
      unitSize: { mean: 10, min: 10, max: 10 },
      waves: ['W1'],
      itemsPerCell: 8,
      reverseItems: [],
      scaleMin: 1,
      scaleMax: 7,
      icc1: 0,
    },
    2024,
  );
  const model = seiModelSyntax(
    sim.truth.items.map((i) => ({ item: i.id, cell: i.cell })),
    'cells',
  );
  const data = { columns: sim.items, rows: sim.answers, groups: sim.context };
  const ours: number[] = [];
  const chisq: number[] = [];
  fitSem(data, model); // warm-up
  const times = await timeRuns(REPEATS, () => {
    chisq.length = 0;
    for (const [, eq] of LEVELS) chisq.push(fitSem(data, model, { groupEqual: eq }).fit.chisq);
  });
  ours.push(...times);
  const oursMs = median(ours);
  const lines = [
    '## sem',
    '',
    `Configural + metric + scalar ML fits of the simulated SEI-CI (72 items, 9 correlated cell factors, 3 contexts × 300 respondents; ` +
      `${REPEATS} runs for seici${rAvailable(['lavaan']) ? `, ${R_REPEATS} for lavaan 0.6 timed inside R` : ''}; medians).`,
    '',
    '| what | seici | lavaan | ratio | χ² agree (1e-4 rel.) |',
    '|---|---|---|---|---|',
  ];
  if (rAvailable(['lavaan'])) {
    const dir = mkdtempSync(join(tmpdir(), 'seici-bench-sem-'));
    const csv = join(dir, 'panel.csv');
    const header = ['context', ...sim.items].join(',');
    const body = sim.answers.map((r, i) => [sim.context[i], ...r.map((v) => (Number.isNaN(v) ? '' : String(v)))].join(','));
    writeFileSync(csv, [header, ...body].join('\n') + '\n');
    writeFileSync(join(dir, 'model.lav'), model);
    writeFileSync(join(dir, 'fit.R'), R_SCRIPT);
    const r = spawnSync('Rscript', [join(dir, 'fit.R'), csv, join(dir, 'model.lav'), String(R_REPEATS)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Rscript failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    const [rMs, ...rChisq] = r.stdout.trim().split('\n').map(Number);
    const rel = chisq.map((c, i) => Math.abs(c - rChisq[i]) / rChisq[i]);
    const agree = rel.every((x) => x <= 1e-4);
    lines.push(
      `| configural + metric + scalar | ${oursMs.toFixed(0)} ms | ${rMs.toFixed(0)} ms | ${(rMs / oursMs).toFixed(1)}× faster | ` +
        `${agree ? 'yes' : 'NO'} (max ${Math.max(...rel).toExponential(1)}) |`,
    );
    lines.push('', `χ²: seici ${chisq.map((c) => c.toFixed(4)).join(' / ')}; lavaan ${rChisq.map((c) => c.toFixed(4)).join(' / ')}.`);
  } else {
    lines.push(`| configural + metric + scalar | ${oursMs.toFixed(0)} ms | Rscript with lavaan not found | | |`);
    lines.push('', `χ²: seici ${chisq.map((c) => c.toFixed(4)).join(' / ')}.`);
  }
  return lines.join('\n');
}
