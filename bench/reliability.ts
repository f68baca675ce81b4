/**
 * Benchmark: `seici reliability` (item analysis, alpha with its Feldt interval, omega total from a
 * one-factor ML model, and the omega bootstrap) on a simulated 20-item, 10,000-respondent scale,
 * against R doing the same in the same run (read.csv, psych::alpha, lavaan's one-factor cfa).
 * Wall time of whole processes, startup included on both sides; medians of 5 runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededUniform } from '../analysis/index.js';
import { CHILD_ENV, median, rAvailable, timeRuns } from './timing.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const RESPONDENTS = 10_000;
const ITEMS = 20;
const REPEATS = 5;

/** A congeneric 7-point scale with a few missing answers, as CSV text. */
function simulatedScale(): string {
  const random = seededUniform(2026);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
  const loadings = Array.from({ length: ITEMS }, (_, j) => 0.5 + 0.4 * ((j * 7) % ITEMS) / ITEMS);
  const lines = [loadings.map((_, j) => `q${j + 1}`).join(',')];
  for (let i = 0; i < RESPONDENTS; i++) {
    const f = normal();
    const row = loadings.map((l, j) => {
      if (random() < 0.01) return '';
      const x = Math.round(4 + 1.2 * (l * f + Math.sqrt(1 - l * l) * normal()));
      const v = Math.min(7, Math.max(1, x));
      return String(j === 3 ? 8 - v : v);
    });
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}

function runOrThrow(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: CHILD_ENV });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr.split('\n')[0]}`);
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seici-bench-reliability-'));
  try {
    const csv = join(dir, 'scale.csv');
    writeFileSync(csv, simulatedScale());
    const items = Array.from({ length: ITEMS }, (_, j) => `q${j + 1}`).join(',');
    const base = [CLI, 'reliability', '--csv', csv, '--items', items, '--reverse', 'q4', '--json'];
    const rows: string[] = [];
    const seiciNoBoot = median(await timeRuns(REPEATS, () => runOrThrow(process.execPath, [...base, '--bootstrap', '0'])));
    const seiciBoot = median(await timeRuns(REPEATS, () => runOrThrow(process.execPath, base)));
    const seiciPairwise = median(await timeRuns(REPEATS, () => runOrThrow(process.execPath, [...base, '--missing', 'pairwise'])));
    rows.push(`| seici: alpha, item analysis, omega total (no bootstrap), listwise | ${seiciNoBoot.toFixed(0)} ms | |`);
    rows.push(`| seici: the same with the 1,000-resample omega bootstrap | ${seiciBoot.toFixed(0)} ms | |`);
    rows.push(`| seici: alpha and item analysis, pairwise | ${seiciPairwise.toFixed(0)} ms | |`);
    let note = 'Rscript with psych and lavaan not found: no R comparison in this run.';
    if (rAvailable(['psych', 'lavaan'])) {
      const script = join(dir, 'reliability.R');
      writeFileSync(
        script,
        [
          'suppressMessages({ library(psych); library(lavaan) })',
          'args <- commandArgs(TRUE)',
          'x <- read.csv(args[1])',
          'x$q4 <- min(x, na.rm = TRUE) + max(x, na.rm = TRUE) - x$q4',
          'if (args[2] == "listwise") x <- na.omit(x)',
          'a <- psych::alpha(x, warnings = FALSE)',
          'if (args[2] == "listwise") {',
          '  fit <- cfa(paste("g =~", paste(names(x), collapse = " + ")), data = x, std.lv = TRUE)',
          '  pe <- parameterEstimates(fit)',
          '  lam <- pe$est[pe$op == "=~"]; th <- pe$est[pe$op == "~~" & pe$lhs == pe$rhs & pe$lhs %in% names(x)]',
          '  cat(sum(lam)^2 / (sum(lam)^2 + sum(th)), "\\n")',
          '}',
        ].join('\n'),
      );
      const rListwise = median(await timeRuns(REPEATS, () => runOrThrow('Rscript', [script, csv, 'listwise'])));
      const rPairwise = median(await timeRuns(REPEATS, () => runOrThrow('Rscript', [script, csv, 'pairwise'])));
      rows[0] = `| seici: alpha, item analysis, omega total (no bootstrap), listwise | ${seiciNoBoot.toFixed(0)} ms | R ${rListwise.toFixed(0)} ms (psych::alpha + lavaan cfa): ${(rListwise / seiciNoBoot).toFixed(1)}× |`;
      rows[2] = `| seici: alpha and item analysis, pairwise | ${seiciPairwise.toFixed(0)} ms | R ${rPairwise.toFixed(0)} ms (psych::alpha): ${(rPairwise / seiciPairwise).toFixed(1)}× |`;
      note = 'R times are whole `Rscript` runs (package loading included), as the seici times are whole CLI runs; ratio = R / seici.';
    }
    return [
      '## reliability',
      '',
      `${RESPONDENTS.toLocaleString('en')} respondents × ${ITEMS} seven-point items (1 % missing), one item reverse-keyed; median of ${REPEATS} runs.`,
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
