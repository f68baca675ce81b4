/**
 * Ordinal SEM benchmark: WLSMV CFA (lavaan's ordered = TRUE, estimator = "WLSMV") of the simulated
 * 72-item, 9-factor SEI-CI instrument (8 items per cell on a 1–7 scale, nine correlated cell
 * factors) answered by 2,000 respondents, by seici and, when Rscript with lavaan is installed, by
 * lavaan::cfa, interleaved (seici, lavaan, seici, lavaan, …) so that both see the same machine load.
 * lavaan is timed inside R (package loading and CSV reading excluded). Reports medians, the ratio and
 * whether χ², the scaled-shifted χ² and the robust CFI agree.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fitOrdinalSem, seiModelSyntax, simulatePanel } from '../analysis/index.js';
import { median, rAvailable } from './timing.js';

const ROUNDS = Number(process.env.SEICI_BENCH_ORDINAL_ROUNDS ?? 3);

const R_SCRIPT = `
suppressMessages(library(lavaan))
a <- commandArgs(TRUE)
d <- read.csv(a[1]); model <- paste(readLines(a[2]), collapse = "\\n")
items <- setdiff(names(d), "context")
t <- system.time(fit <- cfa(model, data = d, ordered = items, estimator = "WLSMV"))
fm <- fitMeasures(fit, c("chisq", "chisq.scaled", "cfi.robust"))
cat(sprintf("%.17g", c(t[["elapsed"]] * 1000, fm)), sep = "\\n")
`;

export async function run(): Promise<string> {
  const sim = simulatePanel(
    {
      contexts: ['A'],
      unitsPerContext: 200,
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
  const data = { columns: sim.items, rows: sim.answers };
  const withR = rAvailable(['lavaan']);
  let dir = '';
  if (withR) {
    dir = mkdtempSync(join(tmpdir(), 'seici-bench-ordinal-'));
    const body = sim.answers.map((r) => r.map((v) => (Number.isNaN(v) ? '' : String(v))).join(','));
    writeFileSync(join(dir, 'panel.csv'), [sim.items.join(','), ...body].join('\n') + '\n');
    writeFileSync(join(dir, 'model.lav'), model);
    writeFileSync(join(dir, 'fit.R'), R_SCRIPT);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  let fit = { chisq: NaN, chisqScaled: NaN, cfiRobust: NaN };
  let rFit = [NaN, NaN, NaN];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    const r = fitOrdinalSem(data, model);
    ours.push(performance.now() - t0);
    fit = { chisq: r.fit.chisq, chisqScaled: r.fit.chisqScaled!, cfiRobust: r.fit.cfiRobust! };
    if (withR) {
      const out = spawnSync('Rscript', [join(dir, 'fit.R'), join(dir, 'panel.csv'), join(dir, 'model.lav')], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`Rscript failed: ${out.stderr.split('\n').slice(-3).join(' ')}`);
      const [ms, ...vals] = out.stdout.trim().split('\n').map(Number);
      theirs.push(ms);
      rFit = vals;
    }
  }
  const n = sim.answers.length;
  const lines = [
    '## sem_ordinal',
    '',
    `WLSMV CFA of the simulated SEI-CI (\`simulatePanel\`, seed 2024: ${sim.items.length} items on a 1–7 scale, 9 correlated cell factors, ` +
      `${n} respondents; thresholds, polychorics, Γ, DWLS, robust SEs, scaled-shifted χ², scaled and robust indices), ` +
      `\`npm run bench -- sem_ordinal\`. ${ROUNDS} interleaved rounds (seici, then lavaan 0.6.14 timed inside R without package loading); medians.`,
    '',
    '| what | seici | lavaan | ratio | numbers agree |',
    '|---|---|---|---|---|',
  ];
  const oursMs = median(ours);
  if (withR) {
    const rMs = median(theirs);
    const agree =
      Math.abs(fit.chisq - rFit[0]) <= 1e-4 * rFit[0] && Math.abs(fit.chisqScaled - rFit[1]) <= 1e-4 * rFit[1] && Math.abs(fit.cfiRobust - rFit[2]) <= 1e-3;
    lines.push(`| WLSMV CFA, 72 items × ${n} | ${oursMs.toFixed(0)} ms | ${rMs.toFixed(0)} ms | ${(rMs / oursMs).toFixed(1)}× faster | ${agree ? 'yes' : 'NO'} |`);
    lines.push(
      '',
      `χ² ${fit.chisq.toFixed(4)} / ${rFit[0].toFixed(4)}, scaled-shifted χ² ${fit.chisqScaled.toFixed(4)} / ${rFit[1].toFixed(4)}, ` +
        `robust CFI ${fit.cfiRobust.toFixed(5)} / ${rFit[2].toFixed(5)} (seici / lavaan). Runs: seici ${ours.map((t) => t.toFixed(0)).join(', ')} ms; ` +
        `lavaan ${theirs.map((t) => t.toFixed(0)).join(', ')} ms.`,
    );
  } else {
    lines.push(`| WLSMV CFA, 72 items × ${n} | ${oursMs.toFixed(0)} ms | Rscript with lavaan not found | | |`);
  }
  return lines.join('\n');
}
