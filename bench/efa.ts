/**
 * Benchmark: `seici efa` on 135 items × 4,000 respondents (a simulated SEI-CI panel with 15 items per
 * cell written to a temporary CSV by `simulatePanel`), nine factors, minres and ML with oblimin, against
 * R doing the same work in the same run: read.csv, na.omit, cor, psych::fa (on the correlation matrix
 * with n.obs, so neither side computes factor scores), KMO, cortest.bartlett and eigen. Also
 * `seici factors` (parallel analysis with 20 iterations, MAP, retention EFA) against
 * psych::fa.parallel(n.iter = 20). Whole-process wall time, startup included on both sides; medians.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatePanel } from '../analysis/index.js';
import { panelCsv } from '../cli/commands/simulate.js';
import { performance } from 'node:perf_hooks';
import { median, rAvailable } from './timing.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const REPEATS = 7;
const PARALLEL_REPEATS = 3;
const FACTORS = 9;

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Timing {
  /** Wall-clock milliseconds. */
  readonly wall: number;
  /** User + system CPU milliseconds of the child process (NaN without /usr/bin/time). */
  readonly cpu: number;
}

/** Runs a command to completion and returns its wall and CPU time; throws when it fails. */
function timed(cmd: string, args: string[]): Timing {
  const t = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-f', 'SEICI_CPU %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr.split('\n')[0]}`);
  const m = /SEICI_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

/**
 * Medians of wall and CPU time of `ours` and, when given, `theirs`, alternating run by run so that a
 * change in the machine's load during the benchmark affects both sides alike.
 */
function interleaved(repeats: number, ours: () => Timing, theirs?: () => Timing): { ours: Timing; theirs: Timing | null } {
  const a: Timing[] = [];
  const b: Timing[] = [];
  for (let i = 0; i < repeats; i++) {
    a.push(ours());
    if (theirs) b.push(theirs());
  }
  const summary = (xs: Timing[]): Timing => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });
  return { ours: summary(a), theirs: theirs ? summary(b) : null };
}

function row(what: string, t: { ours: Timing; theirs: Timing | null }): string {
  const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
  if (!t.theirs) return `| ${what} | ${ms(t.ours.wall)} | ${ms(t.ours.cpu)} | Rscript with psych not found | | |`;
  return (
    `| ${what} | ${ms(t.ours.wall)} | ${ms(t.ours.cpu)} | ${ms(t.theirs.wall)} | ${ms(t.theirs.cpu)} | ` +
    `${(t.ours.wall / t.theirs.wall).toFixed(2)} (CPU ${(t.ours.cpu / t.theirs.cpu).toFixed(2)}) |`
  );
}

const R_EFA = `suppressMessages({library(psych); library(GPArotation)})
args <- commandArgs(TRUE)
d <- read.csv(args[1]); items <- strsplit(args[2], ",")[[1]]
x <- na.omit(d[, items]); R <- cor(x)
f <- fa(R, nfactors = as.integer(args[3]), n.obs = nrow(x), fm = args[4], rotate = "oblimin")
k <- KMO(R); b <- cortest.bartlett(R, n = nrow(x)); e <- eigen(R, symmetric = TRUE, only.values = TRUE)$values
cat(f$STATISTIC, f$TLI, k$MSA, b$chisq, e[1], "\\n")
`;

const R_PARALLEL = `suppressMessages({library(psych); library(GPArotation)})
args <- commandArgs(TRUE)
d <- read.csv(args[1]); items <- strsplit(args[2], ",")[[1]]
x <- na.omit(d[, items]); set.seed(1)
p <- fa.parallel(x, n.iter = 20, plot = FALSE)
cat(p$nfact, p$ncomp, "\\n")
`;

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-efa-'));
  try {
    const panel = simulatePanel(
      { unitsPerContext: 100, unitSize: { mean: 40, min: 40, max: 40 }, waves: ['W1'], itemsPerCell: 15, icc1: 0.05 },
      135,
    );
    const csv = join(dir, 'panel.csv');
    writeFileSync(csv, panelCsv(panel));
    const items = panel.items.join(',');
    const hasR = rAvailable(['psych', 'GPArotation']);
    const rEfa = join(dir, 'efa.R');
    const rPar = join(dir, 'parallel.R');
    writeFileSync(rEfa, R_EFA);
    writeFileSync(rPar, R_PARALLEL);
    const lines = [
      '## efa',
      '',
      `\`seici efa\` on ${panel.items.length} items × ${panel.answers.length.toLocaleString('en')} respondents (simulated panel CSV, 7-point scale), ` +
        `${FACTORS} factors, oblimin; whole-process wall time (startup, CSV reading, correlations, extraction, rotation, fit, KMO, Bartlett, eigenvalues), ` +
        `median of ${REPEATS}, seici and R runs alternating; CPU = user + system time of the process (/usr/bin/time). R: read.csv + cor + psych::fa on the correlation matrix + KMO + cortest.bartlett + eigen.`,
      '',
      '| what | seici wall | seici CPU | R wall | R CPU | seici / R |',
      '|---|---|---|---|---|---|',
    ];
    for (const fm of ['minres', 'ml', 'pa']) {
      const args = [CLI, 'efa', '--csv', csv, '--items', items, '--nfactors', String(FACTORS), '--fm', fm, '--json'];
      const t = interleaved(
        REPEATS,
        () => timed(process.execPath, args),
        hasR ? () => timed('Rscript', [rEfa, csv, items, String(FACTORS), fm]) : undefined,
      );
      lines.push(row(`efa --fm ${fm}`, t));
    }
    const pargs = [CLI, 'factors', '--csv', csv, '--items', items, '--iterations', '20', '--seed', '1', '--json'];
    const t = interleaved(PARALLEL_REPEATS, () => timed(process.execPath, pargs), hasR ? () => timed('Rscript', [rPar, csv, items]) : undefined);
    lines.push(row(`factors (parallel analysis with 20 iterations, MAP, retention EFA) vs psych::fa.parallel(n.iter = 20); median of ${PARALLEL_REPEATS}`, t));
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
