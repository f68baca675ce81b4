/**
 * Two-level SEM benchmark: the SEI-CI nine-cell model at both levels (72 items, 8 per cell,
 * configural across levels) on a simulated panel of 300 units of 10 respondents with ICC(1) .20,
 * by seici's fitTwoLevel and, when Rscript with lavaan is installed, by
 * lavaan::sem(model, data, cluster = "unit") in the same run (timed inside R with
 * system.time, package loading excluded). One run each (the fits take minutes); reports wall and CPU
 * times (the CPU ratio is the one that survives a shared machine), the speed ratio and whether χ² agrees to 1e-6 relative.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fitTwoLevel, seiTwoLevelSyntax, simulatePanel } from '../analysis/index.js';
import { rAvailable } from './timing.js';

const R_SCRIPT = `
suppressMessages(library(lavaan))
a <- commandArgs(TRUE)
d <- read.csv(a[1]); model <- paste(readLines(a[2]), collapse = "\\n")
t <- system.time(fit <- sem(model, data = d, cluster = "unit"))
cat(sprintf("%.17g", c(t[["elapsed"]] * 1000, (t[["user.self"]] + t[["sys.self"]]) * 1000, fitMeasures(fit, c("chisq", "df", "logl")))), sep = "\\n")
`;

export async function run(): Promise<string> {
  const sim = simulatePanel(
    {
      contexts: ['A'],
      unitsPerContext: 300,
      unitSize: { mean: 10, min: 10, max: 10 },
      waves: ['W1'],
      itemsPerCell: 8,
      reverseItems: [],
      scaleMin: 1,
      scaleMax: 7,
      icc1: 0.2,
    },
    2026,
  );
  const model = seiTwoLevelSyntax(sim.truth.items.map((i) => ({ item: i.id, cell: i.cell })));
  const data = { columns: sim.items, rows: sim.answers, clusters: sim.unit };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitTwoLevel(data, model);
  const c1 = process.cpuUsage(c0);
  const oursMs = performance.now() - t0;
  const oursCpuMs = (c1.user + c1.system) / 1000;
  const lines = [
    '## sem_two_level',
    '',
    `The SEI-CI nine cells at both levels (72 items, configural; ${fit.fit.npar} free parameters) on a simulated panel of ` +
      `300 units × 10 respondents, ICC(1) .20 (seed 2026); one run each${rAvailable(['lavaan']) ? ', lavaan 0.6 timed inside R' : ''}.`,
    '',
    '| what | seici wall | seici CPU | lavaan wall | lavaan CPU | CPU ratio | χ² agree (1e-6 rel.) |',
    '|---|---|---|---|---|---|---|',
  ];
  const ours = `χ² ${fit.fit.chisq.toFixed(4)} on ${fit.fit.df} df, logL ${fit.fit.logl.toFixed(4)}, converged ${fit.converged} after ${fit.diagnostics.iterations} iterations`;
  if (rAvailable(['lavaan'])) {
    const dir = mkdtempSync(join(tmpdir(), 'seici-bench-2l-'));
    const csv = join(dir, 'panel.csv');
    writeFileSync(csv, [['unit', ...sim.items].join(','), ...sim.answers.map((r, i) => [sim.unit[i], ...r].join(','))].join('\n') + '\n');
    writeFileSync(join(dir, 'model.lav'), model);
    writeFileSync(join(dir, 'fit.R'), R_SCRIPT);
    const r = spawnSync('Rscript', [join(dir, 'fit.R'), csv, join(dir, 'model.lav')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Rscript failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
    const [rMs, rCpuMs, rChisq, rDf, rLogl] = r.stdout.trim().split('\n').map(Number);
    const rel = Math.abs(fit.fit.chisq - rChisq) / rChisq;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    lines.push(
      `| two-level nine-cell CFA | ${s(oursMs)} | ${s(oursCpuMs)} | ${s(rMs)} | ${s(rCpuMs)} | ${(rCpuMs / oursCpuMs).toFixed(1)}× less CPU | ${rel <= 1e-6 ? 'yes' : 'NO'} (${rel.toExponential(1)}) |`,
    );
    lines.push('', `seici: ${ours}; lavaan: χ² ${rChisq.toFixed(4)} on ${rDf} df, logL ${rLogl.toFixed(4)}.`);
  } else {
    lines.push(`| two-level nine-cell CFA | ${(oursMs / 1000).toFixed(1)} s | ${(oursCpuMs / 1000).toFixed(1)} s | Rscript with lavaan not found | | | |`, '', `seici: ${ours}.`);
  }
  if (fit.diagnostics.warnings.length > 0) lines.push('', `seici notes: ${fit.diagnostics.warnings.length} (${fit.diagnostics.warnings.slice(0, 3).join(' ')})`);
  return lines.join('\n');
}
