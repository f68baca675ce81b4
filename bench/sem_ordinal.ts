/**
 * Ordinal SEM benchmark on the simulated 72-item, 9-factor SEI-CI instrument (8 items per cell on a
 * 1–7 scale, nine correlated cell factors):
 * - WLSMV CFA (lavaan's ordered = TRUE, estimator = "WLSMV") of 2,000 respondents;
 * - ordinal invariance over three contexts of 670 respondents (configural, thresholds, + loadings,
 *   + intercepts with Wu & Estabrook's identification), seici's `ordinalInvariance` against
 *   semTools::measEq.syntax + lavaan::cfa(estimator = "WLSMV") for each level + lavTestLRT.
 * Run by seici and, when Rscript with lavaan and semTools is installed, by R, interleaved (seici, R,
 * seici, R, …) so that both see the same machine load. CPU times (user + system) of the fitting
 * alone: seici's process.cpuUsage around the call, R's system.time (package loading and CSV reading
 * excluded), since wall times on a shared machine measure the load. Reports medians, the ratio and
 * whether the numbers agree. SEICI_BENCH_ORDINAL_ROUNDS (default 3) sets the rounds,
 * SEICI_BENCH_ORDINAL_INVARIANCE=0 leaves out the invariance (lavaan needs many minutes for it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitOrdinalSem, ordinalInvariance, seiModelSyntax, simulatePanel } from '../analysis/index.js';
import { median, rAvailable } from './timing.js';

const ROUNDS = Number(process.env.SEICI_BENCH_ORDINAL_ROUNDS ?? 3);
const WITH_INVARIANCE = process.env.SEICI_BENCH_ORDINAL_INVARIANCE !== '0';

const R_CFA = `
suppressMessages(library(lavaan))
a <- commandArgs(TRUE)
d <- read.csv(a[1]); model <- paste(readLines(a[2]), collapse = "\\n")
items <- setdiff(names(d), "context")
t <- system.time(fit <- cfa(model, data = d, ordered = items, estimator = "WLSMV"))
fm <- fitMeasures(fit, c("chisq", "chisq.scaled", "cfi.robust"))
cat(sprintf("%.17g", c(t[["user.self"]] + t[["sys.self"]], fm)), sep = "\\n")
`;

const R_INVARIANCE = `
suppressMessages({ library(lavaan); library(semTools) })
a <- commandArgs(TRUE)
d <- read.csv(a[1]); model <- paste(readLines(a[2]), collapse = "\\n")
items <- setdiff(names(d), "context")
levels <- list(configural = "", thresholds = "thresholds", loadings = c("thresholds", "loadings"),
               intercepts = c("thresholds", "loadings", "intercepts"))
t <- system.time({
  fits <- lapply(levels, function(ge) {
    s <- measEq.syntax(model, data = d, ordered = items, parameterization = "delta", ID.fac = "std.lv",
                       ID.cat = "Wu.Estabrook.2016", group = "context", group.equal = ge)
    cfa(as.character(s), data = d, ordered = items, group = "context", estimator = "WLSMV", parameterization = "delta")
  })
  lrt <- lavTestLRT(fits$configural, fits$thresholds, fits$loadings, fits$intercepts)
})
fm <- sapply(fits, function(f) fitMeasures(f, "chisq.scaled"))
cat(sprintf("%.17g", c(t[["user.self"]] + t[["sys.self"]], fm, lrt[["Chisq diff"]][2:4])), sep = "\\n")
`;

const cpuMs = (f: () => void): number => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

const panel = (contexts: string[], unitsPerContext: number) =>
  simulatePanel(
    { contexts, unitsPerContext, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['W1'], itemsPerCell: 8, reverseItems: [], scaleMin: 1, scaleMax: 7, icc1: 0 },
    2024,
  );

const runR = (script: string, csv: string, model: string): number[] => {
  const out = spawnSync('Rscript', [script, csv, model], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`Rscript failed: ${out.stderr.split('\n').slice(-3).join(' ')}`);
  return out.stdout.trim().split('\n').map(Number);
};

const agree = (a: number, b: number, rel = 1e-4) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

export async function run(): Promise<string> {
  const sim = panel(['A'], 200);
  const groupsSim = panel(['A', 'B', 'C'], 67);
  const model = seiModelSyntax(
    sim.truth.items.map((i) => ({ item: i.id, cell: i.cell })),
    'cells',
  );
  const data = { columns: sim.items, rows: sim.answers };
  const groupData = { columns: groupsSim.items, rows: groupsSim.answers, groups: groupsSim.context };
  const withR = rAvailable(['lavaan', 'semTools']);
  let dir = '';
  if (withR) {
    dir = mkdtempSync(join(tmpdir(), 'seici-bench-ordinal-'));
    const csv = (s: ReturnType<typeof panel>, context: boolean) =>
      [(context ? 'context,' : '') + s.items.join(','), ...s.answers.map((r, i) => (context ? `${s.context[i]},` : '') + r.join(','))].join('\n') + '\n';
    writeFileSync(join(dir, 'panel.csv'), csv(sim, false));
    writeFileSync(join(dir, 'groups.csv'), csv(groupsSim, true));
    writeFileSync(join(dir, 'model.lav'), model);
    writeFileSync(join(dir, 'cfa.R'), R_CFA);
    writeFileSync(join(dir, 'invariance.R'), R_INVARIANCE);
  }
  const ours = { cfa: [] as number[], inv: [] as number[] };
  const theirs = { cfa: [] as number[], inv: [] as number[] };
  let fit = { chisq: NaN, chisqScaled: NaN, cfiRobust: NaN };
  let rFit = [NaN, NaN, NaN];
  let inv: number[] = [];
  let rInv: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.cfa.push(
      cpuMs(() => {
        const r = fitOrdinalSem(data, model);
        fit = { chisq: r.fit.chisq, chisqScaled: r.fit.chisqScaled!, cfiRobust: r.fit.cfiRobust! };
      }),
    );
    if (withR) {
      const [ms, ...vals] = runR(join(dir, 'cfa.R'), join(dir, 'panel.csv'), join(dir, 'model.lav'));
      theirs.cfa.push(ms * 1000);
      rFit = vals;
    }
    if (!WITH_INVARIANCE) continue;
    ours.inv.push(
      cpuMs(() => {
        const r = ordinalInvariance(groupData, model);
        inv = [...r.models.map((m) => m.chisqScaled), ...r.comparisons.map((c) => c.chisqDiff)];
      }),
    );
    if (withR) {
      const [ms, ...vals] = runR(join(dir, 'invariance.R'), join(dir, 'groups.csv'), join(dir, 'model.lav'));
      theirs.inv.push(ms * 1000);
      rInv = vals;
    }
  }
  const n = sim.answers.length;
  const lines = [
    '## sem_ordinal',
    '',
    `Simulated SEI-CI (\`simulatePanel\`, seed 2024: ${sim.items.length} items on a 1–7 scale, 9 correlated cell factors): WLSMV CFA of ${n} respondents, ` +
      `and ordinal invariance over 3 contexts of ${groupsSim.answers.length / 3} (configural, thresholds, + loadings, + intercepts; Wu & Estabrook). ` +
      `${ROUNDS} interleaved rounds (seici, then lavaan 0.6.14 / semTools); CPU times of the fitting alone; medians.`,
    '',
    '| what | seici CPU | R CPU | ratio | numbers agree |',
    '|---|---|---|---|---|',
  ];
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const row = (what: string, a: number[], b: number[], ok: boolean) =>
    withR
      ? `| ${what} | ${s(median(a))} | ${s(median(b))} | ${(median(b) / median(a)).toFixed(1)}× less CPU | ${ok ? 'yes' : 'NO'} |`
      : `| ${what} | ${s(median(a))} | Rscript with lavaan and semTools not found | | |`;
  const cfaOk = agree(fit.chisq, rFit[0]) && agree(fit.chisqScaled, rFit[1]) && Math.abs(fit.cfiRobust - rFit[2]) <= 1e-3;
  lines.push(row(`WLSMV CFA, 72 items × ${n}`, ours.cfa, theirs.cfa, cfaOk));
  if (WITH_INVARIANCE) {
    const invOk = inv.length === rInv.length && inv.every((v, i) => Math.abs(v - rInv[i]) <= 1e-3 * Math.max(1, Math.abs(rInv[i])));
    lines.push(row(`ordinal invariance, 4 levels + 3 difference tests, 3 × ${groupsSim.answers.length / 3}`, ours.inv, theirs.inv, invOk));
  }
  lines.push(
    '',
    `CFA: χ² ${fit.chisq.toFixed(4)} / ${rFit[0].toFixed(4)}, scaled-shifted χ² ${fit.chisqScaled.toFixed(4)} / ${rFit[1].toFixed(4)}, ` +
      `robust CFI ${fit.cfiRobust.toFixed(5)} / ${rFit[2].toFixed(5)} (seici / lavaan). CPU per round: seici ${ours.cfa.map(s).join(', ')}; R ${theirs.cfa.map(s).join(', ')}.`,
  );
  if (WITH_INVARIANCE) {
    lines.push(
      '',
      `Invariance: scaled χ² per level and scaled-shifted differences ${inv.map((v) => v.toFixed(3)).join(', ')} (seici) / ${rInv.map((v) => v.toFixed(3)).join(', ')} (lavaan). ` +
        `CPU per round: seici ${ours.inv.map(s).join(', ')}; R ${theirs.inv.map(s).join(', ')}.`,
    );
  }
  return lines.join('\n');
}
