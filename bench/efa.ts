/**
 * Benchmark: `seici efa` against R doing the same work in the same run (read.csv, na.omit, cor,
 * psych::fa on the correlation matrix with n.obs — so neither side computes factor scores —
 * KMO, cortest.bartlett and eigen), on simulated SEI-CI panels (`simulatePanel`, 7-point items,
 * 9 cells) of p = 36, 135 and 270 items × n = 2,000 and 20,000 respondents, nine factors,
 * oblimin. Whole processes, startup included on both sides, seici and R runs alternating;
 * medians (of 7) of wall time, CPU time (user + system, /usr/bin/time) and peak memory. Each row also
 * says how far seici's numbers are from R's (χ², TLI, KMO, Bartlett χ², first eigenvalue).
 * minres at every size; ml and pa at every size too unless SEICI_BENCH_QUICK is set (then at
 * 135 × 2,000 only). Also `seici factors` against psych::fa.parallel(n.iter = 20) at 135 × 4,000.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatePanel } from '../analysis/simulation/simulate_panel.js';
import { panelCsv } from '../cli/commands/simulate.js';
import { interleaved, loadAverage, rAvailable, timedProcess, type ProcessTiming } from './timing.js';

// the `seici` bin (package.json), the bundle that `npm run build` writes
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../seici/main.cjs');
// medians of 7: on this shared 2-core machine a single cold run of 50–100 ms spikes by 20–40 % now and then,
// and a median of 3 caught one such spike often enough to move a ratio by a whole 1×
const REPEATS = Number(process.env.SEICI_BENCH_REPEATS ?? 7);
const PARALLEL_REPEATS = 3;
const FACTORS = 9;
/** Items per cell (9 cells) and respondents. */
const SIZES: readonly (readonly [number, number])[] = [
  [4, 2_000],
  [15, 2_000],
  [30, 2_000],
  [4, 20_000],
  [15, 20_000],
  [30, 20_000],
];

const R_EFA = `suppressMessages({library(psych); library(GPArotation)})
args <- commandArgs(TRUE)
d <- read.csv(args[1]); items <- strsplit(args[2], ",")[[1]]
x <- na.omit(d[, items]); R <- cor(x)
f <- fa(R, nfactors = as.integer(args[3]), n.obs = nrow(x), fm = args[4], rotate = "oblimin")
k <- KMO(R); b <- cortest.bartlett(R, n = nrow(x)); e <- eigen(R, symmetric = TRUE, only.values = TRUE)$values
cat(format(c(f$STATISTIC, f$TLI, k$MSA, b$chisq, e[1]), digits = 15), "\\n")
`;

const R_PARALLEL = `suppressMessages({library(psych); library(GPArotation)})
args <- commandArgs(TRUE)
d <- read.csv(args[1]); items <- strsplit(args[2], ",")[[1]]
x <- na.omit(d[, items]); set.seed(1)
p <- fa.parallel(x, n.iter = 20, plot = FALSE)
cat(p$nfact, p$ncomp, "\\n")
`;

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const mb = (x: number) => (Number.isFinite(x) ? `${(x / 2 ** 20).toFixed(0)} MB` : 'n/a');

/** Largest relative difference between seici's (χ², TLI, KMO, Bartlett χ², first eigenvalue) and R's. */
function agreementWithR(seici: string, r: string): string {
  const s = JSON.parse(seici) as { fit: { chisq: number; tli: number }; kmo: number; bartlett: { chisq: number }; eigenvalues: number[] };
  const ours = [s.fit.chisq, s.fit.tli, s.kmo, s.bartlett.chisq, s.eigenvalues[0]];
  const theirs = r.trim().split(/\s+/).map(Number);
  if (theirs.length !== ours.length || theirs.some((v) => !Number.isFinite(v))) return 'R printed no numbers';
  const worst = Math.max(...ours.map((v, i) => Math.abs(v - theirs[i]) / Math.max(Math.abs(theirs[i]), 1e-12)));
  return worst.toExponential(1);
}

/** The target for a single EFA: R / seici ≥ 5 in wall time at every size (issue 15). */
const TARGET = 5;

function row(what: string, t: { ours: ProcessTiming; theirs: ProcessTiming | null }, numbers: string): string {
  if (!t.theirs) return `| ${what} | ${ms(t.ours.wall)} | ${ms(t.ours.cpu)} | ${mb(t.ours.peak)} | Rscript with psych not found | | | |`;
  return (
    `| ${what} | ${ms(t.ours.wall)} | ${ms(t.ours.cpu)} | ${mb(t.ours.peak)} | ${ms(t.theirs.wall)} | ${ms(t.theirs.cpu)} | ` +
    `**${(t.theirs.wall / t.ours.wall).toFixed(1)}×** (CPU ${(t.theirs.cpu / t.ours.cpu).toFixed(1)}×) | ${numbers} |`
  );
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-efa-'));
  try {
    const hasR = rAvailable(['psych', 'GPArotation']);
    const rEfa = join(dir, 'efa.R');
    const rPar = join(dir, 'parallel.R');
    writeFileSync(rEfa, R_EFA);
    writeFileSync(rPar, R_PARALLEL);
    const quick = Boolean(process.env.SEICI_BENCH_QUICK);
    const lines = [
      '## efa',
      '',
      `\`seici efa --json\` against \`Rscript\` (read.csv, na.omit, cor, psych::fa on the correlation matrix, KMO, cortest.bartlett, eigen) on simulated ` +
        `7-point panels, ${FACTORS} factors, oblimin; whole processes, startup included; seici and R runs alternating, median of ${REPEATS}; ` +
        `CPU = user + system time, peak = maximum resident memory (/usr/bin/time). R / seici > 1 means seici is faster. ` +
        `"numbers" = largest relative difference of χ², TLI, KMO, Bartlett χ² and the first eigenvalue from R's. Load average at the start: ${loadAverage()}.`,
      '',
      '| what | seici wall | seici CPU | seici peak | R wall | R CPU | R / seici | numbers |',
      '|---|---|---|---|---|---|---|---|',
    ];
    const ratios: { what: string; ratio: number }[] = [];
    for (const [perCell, n] of SIZES) {
      const panel = simulatePanel({ unitsPerContext: n / 40, unitSize: { mean: 40, min: 40, max: 40 }, waves: ['W1'], itemsPerCell: perCell, icc1: 0.05 }, 135);
      const csv = join(dir, `panel_${perCell}_${n}.csv`);
      writeFileSync(csv, panelCsv(panel));
      const items = panel.items.join(',');
      const methods = quick && !(perCell === 15 && n === 2_000) ? ['minres'] : ['minres', 'ml', 'pa'];
      for (const fm of methods) {
        const args = [CLI, 'efa', '--csv', csv, '--items', items, '--nfactors', String(FACTORS), '--fm', fm, '--json'];
        const t = interleaved(REPEATS, () => timedProcess(process.execPath, args), hasR ? () => timedProcess('Rscript', [rEfa, csv, items, String(FACTORS), fm]) : undefined);
        const numbers = t.theirs ? agreementWithR(t.ours.stdout, t.theirs.stdout) : '';
        const what = `p = ${panel.items.length}, n = ${n.toLocaleString('en')}, ${fm}`;
        lines.push(row(what, t, numbers));
        if (t.theirs) ratios.push({ what, ratio: t.theirs.wall / t.ours.wall });
      }
      rmSync(csv);
    }
    lines.push('', `Load average at the end: ${loadAverage()}.`);
    if (ratios.length > 0) {
      const smallest = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
      const met = ratios.filter((r) => r.ratio >= TARGET).length;
      lines.push(`R / seici ≥ ${TARGET}× (issue 15's target) in ${met} of ${ratios.length} rows; the smallest ${smallest.ratio.toFixed(1)}× (${smallest.what}).`);
    }
    const panel = simulatePanel({ unitsPerContext: 100, unitSize: { mean: 40, min: 40, max: 40 }, waves: ['W1'], itemsPerCell: 15, icc1: 0.05 }, 135);
    const csv = join(dir, 'panel.csv');
    writeFileSync(csv, panelCsv(panel));
    const items = panel.items.join(',');
    const pargs = [CLI, 'factors', '--csv', csv, '--items', items, '--iterations', '20', '--seed', '1', '--json'];
    const t = interleaved(PARALLEL_REPEATS, () => timedProcess(process.execPath, pargs), hasR ? () => timedProcess('Rscript', [rPar, csv, items]) : undefined);
    lines.push(
      '',
      '| what | seici wall | seici CPU | seici peak | R wall | R CPU | R / seici | numbers |',
      '|---|---|---|---|---|---|---|---|',
      row(`factors (parallel analysis, 20 iterations, MAP, retention EFA) vs psych::fa.parallel(n.iter = 20), 135 × 4,000; median of ${PARALLEL_REPEATS}`, t, 'random references'),
    );
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
