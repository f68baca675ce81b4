/**
 * Benchmark: `seici hypotheses --tests all` (H1–H7, 5,000 bootstrap resamples for H1 and H2) on a
 * simulated research panel of 2,000 units × 3 waves (`simulateResearchPanel`, seed 2026), against R
 * doing the same work in the same run: read.csv, the three-wave reshape, lm for every model,
 * sandwich's HC3, anova for ΔR², and the percentile bootstraps refitting lm on each resample
 * (as shared/oracle/research.R does). Wall time of whole processes, startup included on both sides;
 * the seici and R runs are interleaved (seici, R, seici, R, …) so that a change in the machine's
 * load falls on both, and each side's median of 3 is reported.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { researchPanelCsv, simulateResearchPanel } from '../analysis/index.js';
import { performance } from 'node:perf_hooks';
import { CHILD_ENV, median, rAvailable, timeRuns } from './timing.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const UNITS = 2000;
const DRAWS = 5000;
const REPEATS = 3;

const R_SCRIPT = String.raw`
suppressMessages({ library(sandwich) })
args <- commandArgs(TRUE); B <- as.integer(args[2])
d <- read.csv(args[1], stringsAsFactors = FALSE, colClasses = c(unit = "character", wave = "character"))
T1 <- c("SC", "RC", "TC", "accountability", "communication", "visibility", "SxA", "M", "dynamism", "visCoherence", "visOutcome", "leadershipDensity")
w <- unique(d$wave)[1:3]; units <- unique(d$unit)
get <- function(wave, v) { s <- d[d$wave == wave, ]; s[[v]][match(units, s$unit)] }
x <- data.frame(unit = units); for (v in T1) x[[v]] <- get(w[1], v)
x$drift <- get(w[2], "drift"); x$rework <- get(w[2], "rework"); x$PQ <- get(w[3], "PQ")
cm <- function(v) x[complete.cases(x[, v]), ]
ctr <- function(x, v) { for (k in v) x[[k]] <- x[[k]] - mean(x[[k]]); x }
rep <- function(f) list(s = summary(f)$coefficients, h = sqrt(diag(vcovHC(f, type = "HC3"))))
cf <- function(f, t) coef(f)[[t]]
set.seed(1)
h1 <- cm(c("SC", "RC", "TC", "PQ")); a <- lm(TC ~ SC + RC, h1); b <- lm(PQ ~ TC + SC + RC, h1); rep(a); rep(b)
bt <- replicate(B, { s <- h1[sample.int(nrow(h1), replace = TRUE), ]; c(coef(lm(TC ~ SC + RC, s))[2:3] * coef(lm(PQ ~ TC + SC + RC, s))[[2]]) })
apply(bt, 1, quantile, c(.025, .975))
h2 <- cm(c("SC", "RC", "TC", "dynamism", "PQ"))
fa <- TC ~ SC + RC + dynamism + SC:dynamism + RC:dynamism
a <- lm(fa, ctr(h2, c("SC", "RC", "dynamism"))); rep(a); rep(lm(PQ ~ TC + SC + RC, h2))
bt <- replicate(B, { s <- h2[sample.int(nrow(h2), replace = TRUE), ]; sc <- ctr(s, c("SC", "RC", "dynamism")); aa <- lm(fa, sc); bb <- cf(lm(PQ ~ TC + SC + RC, s), "TC"); sd <- sd(sc$dynamism)
  c(cf(aa, "SC:dynamism") * bb, cf(aa, "RC:dynamism") * bb, sapply(c(-sd, 0, sd), function(v) (cf(aa, "SC") + cf(aa, "SC:dynamism") * v) * bb),
    sapply(c(-sd, 0, sd), function(v) (cf(aa, "RC") + cf(aa, "RC:dynamism") * v) * bb)) })
apply(bt, 1, quantile, c(.025, .975))
lv <- c("accountability", "communication", "visibility")
rep(lm(TC ~ accountability + communication + visibility + accountability:communication + accountability:visibility + communication:visibility, ctr(cm(c("TC", lv)), lv)))
h4 <- cm(c("M", "drift", "rework")); rep(lm(drift ~ M, h4)); rep(lm(rework ~ M, h4))
h5 <- cm(c("SC", "visOutcome", "visCoherence", "PQ")); s1 <- lm(PQ ~ SC + visOutcome, h5); s2 <- lm(PQ ~ SC + visOutcome + visCoherence, h5); rep(s1); rep(s2); anova(s1, s2)
h6 <- ctr(cm(c("TC", "leadershipDensity", "PQ", "SxA", "drift")), c("TC", "leadershipDensity", "SxA"))
rep(lm(PQ ~ TC + leadershipDensity + TC:leadershipDensity, h6)); rep(lm(drift ~ SxA + leadershipDensity + SxA:leadershipDensity, h6))
h7 <- cm(c("M", "PQ")); q <- lm(PQ ~ M + I(M^2), h7); rep(q)
cat("done\n")
`;

function runOrThrow(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: CHILD_ENV });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr.split('\n')[0]}`);
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-hypotheses-'));
  try {
    const csv = join(dir, 'panel.csv');
    writeFileSync(csv, researchPanelCsv(simulateResearchPanel({ units: UNITS }, 2026)));
    const args = [CLI, 'hypotheses', '--csv', csv, '--tests', 'all', '--bootstrap', String(DRAWS), '--json'];
    const withR = rAvailable(['sandwich']);
    const script = join(dir, 'hypotheses.R');
    if (withR) writeFileSync(script, R_SCRIPT);
    const seiciTimes: number[] = [];
    const rTimes: number[] = [];
    const time = (fn: () => void) => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    for (let i = 0; i < REPEATS; i++) {
      seiciTimes.push(time(() => runOrThrow(process.execPath, args)));
      if (withR) rTimes.push(time(() => runOrThrow('Rscript', [script, csv, String(DRAWS)])));
    }
    const seici = median(seiciTimes);
    const h1 = median(await timeRuns(REPEATS, () => runOrThrow(process.execPath, [...args.slice(0, 4), '--tests', 'H1', '--bootstrap', String(DRAWS), '--json'])));
    const rows = [
      `| seici: H1–H7, ${DRAWS.toLocaleString('en')} resamples for H1 and H2 | ${seici.toFixed(0)} ms (runs: ${seiciTimes.map((t) => t.toFixed(0)).join(', ')}) | |`,
      `| seici: H1 alone (the mediation bootstrap) | ${h1.toFixed(0)} ms | |`,
    ];
    let note = 'Rscript with sandwich not found: no R comparison in this run.';
    if (withR) {
      const r = median(rTimes);
      rows[0] = `| seici: H1–H7, ${DRAWS.toLocaleString('en')} resamples for H1 and H2 | ${seici.toFixed(0)} ms (runs: ${seiciTimes.map((t) => t.toFixed(0)).join(', ')}) | R ${r.toFixed(0)} ms (runs: ${rTimes.map((t) => t.toFixed(0)).join(', ')}; lm, sandwich, lm in each resample): ${(r / seici).toFixed(1)}× |`;
      note = 'R times are whole `Rscript` runs (package loading included), as the seici times are whole CLI runs, interleaved; ratio = R median / seici median.';
    }
    return [
      '## hypotheses',
      '',
      `${UNITS.toLocaleString('en')} units × 3 waves (simulateResearchPanel, seed 2026); medians of ${REPEATS} interleaved runs on each side.`,
      '',
      '| work | seici | R, same run |',
      '|---|---|---|',
      ...rows,
      '',
      note,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
