import type { Command } from 'commander';
import { setFlagsFromString } from 'node:v8';
import { exploratoryFactorAnalysis, type EfaResult } from '../../analysis/efa/exploratory_factor_analysis.js';
import { ROTATIONS } from '../../analysis/efa/factor_analysis.js';
import { MISSING_BYTE, type AnswerColumns } from '../../analysis/data/columns.js';
import { kernelModule } from '../../analysis/math/kernel_modules.js';
import { readCsv } from '../io/csv.js';
import { parseChoice, parseList, parseNumber } from '../io/args.js';
import { emit, fmt, table } from '../output.js';

interface EfaFlags {
  csv: string;
  items: string;
  nfactors: string;
  fm?: string;
  rotate?: string;
  cor?: string;
  missing?: string;
  json?: boolean;
}

/**
 * Below this p²·n a whole analysis takes less CPU time than V8's optimising compiler spends
 * compiling its kernels (on a background thread, but in the process's CPU time): at 36 items ×
 * 2,000 rows ≈ 120 ms of 500. Such runs stay on V8's baseline code; the numbers do not change.
 */
const SMALL_ANALYSIS = 4e6;

/**
 * True when the analysis's heavy loops all run in WebAssembly kernels: Pearson correlations of
 * complete one-byte answers (the cross-products kernel), extraction (the Householder and Cholesky
 * kernels) and a rotation of the oblimin family (its kernel) or none. The JavaScript around them
 * then runs a few times each, and V8's optimising compiler would spend more CPU on it than it saves
 * (135 items × 2,000 rows: ≈ 300 → 250 ms of CPU, 270 × 20,000: ≈ 610 → 535, wall no slower).
 * Missing answers, polychoric correlations and the other rotations loop in JavaScript: optimised.
 */
function kernelsOnly(columns: AnswerColumns['columns'], cor: string, rotate: string): boolean {
  if (cor !== 'pearson' || !['none', 'oblimin', 'quartimin'].includes(rotate)) return false;
  return columns.every((col) => col instanceof Uint8Array && !col.includes(MISSING_BYTE));
}

/**
 * Which of V8's WebAssembly compilers compiles the kernels (cross-products, Householder, Cholesky,
 * rotation) on their first call. They run a few times each in a command, so compiling them once
 * with the right compiler is what counts; results do not change (the same instructions, IEEE 754).
 *
 * - Below {@link BASELINE_WASM_BELOW} items, the baseline compiler (Liftoff) alone: the O(p³)
 *   kernels take a few ms at most on a few dozen items, less than the optimising compiler
 *   (TurboFan) takes to compile them (≈ 12 ms), and tiering up would compile them again on a
 *   background thread. 36 items × 2,000 rows: ≈ 88 → 72 ms wall, 90 → 76 ms CPU; 36 × 20,000:
 *   100 → 85 ms; 36 × 200,000 and 99 × 2,000 unchanged.
 * - From there, every function of {@link EFA_KERNELS} compiled by Liftoff at once, when the command
 *   starts (≈ 1 ms), and V8's eager tier-up: TurboFan, whose code is 2–4 times faster on these loops
 *   (Cholesky factor and inverse at p = 270, cold: ≈ 75 → 48 ms of CPU), compiles each function again
 *   on background threads while the file is read and the first kernels run, and each call after its
 *   TurboFan code is in takes that code. The main thread never waits for a compile. TurboFan's compile
 *   of the five modules takes ≈ 20 ms of CPU; compiled by it alone before the first call (as until
 *   30 Nov 2026), the main thread waited ≈ 10 ms for it after reading the file. Medians of 31 and 15
 *   alternating runs (30 Nov 2026 20:27): 135 × 2,000 minres 76.1 → 72.9 ms wall, ml 79.2 → 79.1,
 *   pa 70.7 → 67.5 and 68.2 → 63.2; 270 × 2,000 ml 147.6 → 144.4, pa 119.2 → 115.9; 135 × 20,000 ml
 *   97.2 → 93.1 (CPU 2–5 ms more: Liftoff's compile and the calls made before TurboFan's code).
 */
const BASELINE_WASM_BELOW = 100;

function wasmCompilerFlags(items: number): string[] {
  return items < BASELINE_WASM_BELOW ? ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering'] : ['--no-wasm-dynamic-tiering', '--no-wasm-lazy-compilation'];
}

/** The kernels of a Pearson analysis: correlations, eigenvalues, Cholesky, oblique rotation, the fit's and KMO's sums. */
const EFA_KERNELS = ['byteCrossProducts', 'householder', 'cholesky', 'obliqueRotation', 'matrixSums'] as const;

function render(r: EfaResult): string {
  const k = r.nfactors;
  const heads = ['item', ...Array.from({ length: k }, (_, j) => `F${j + 1}`), 'h2', 'verdict'];
  const rows = r.retention.map((t) => [t.item, ...r.loadings[t.item], r.communalities[t.item], t.verdict]);
  const lines = [
    `${r.nfactors}-factor ${r.method} solution, ${r.rotate} rotation, ${r.cor} correlations, n = ${r.n} (${r.missing})`,
    `KMO ${fmt(r.kmo)}; Bartlett chi2 ${fmt(r.bartlett.chisq, 1)} on ${r.bartlett.df} df, p ${r.bartlett.p.toExponential(2)}`,
    `fit: chi2 ${fmt(r.fit.chisq, 2)} on ${r.fit.df} df, RMSEA ${fmt(r.fit.rmsea)}, TLI ${fmt(r.fit.tli)}, BIC ${fmt(r.fit.bic, 2)}`,
    `eigenvalues: ${r.eigenvalues.slice(0, Math.min(r.eigenvalues.length, k + 5)).map((v) => fmt(v, 2)).join(' ')}`,
    '',
    table(heads, rows),
  ];
  if (r.rotate !== 'none' && r.rotate !== 'varimax' && k > 1) {
    lines.push('', 'factor correlations:', table(['', ...r.phi.map((_, j) => `F${j + 1}`)], r.phi.map((row, i) => [`F${i + 1}`, ...row])));
  }
  const flagged = r.retention.filter((t) => t.verdict !== 'keep');
  if (flagged.length > 0) {
    lines.push('', 'items to act on:');
    for (const t of flagged) lines.push(`  ${t.item} (${t.verdict}): ${t.reason}`);
  }
  for (const w of r.diagnostics.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('efa')
    .description('Exploratory factor analysis as psych::fa: loadings, communalities, phi, eigenvalues, KMO, Bartlett, fit, item retention')
    .requiredOption('--csv <file>', 'respondent CSV (header row; empty or NA is missing)')
    .requiredOption('--items <list>', 'comma-separated item columns (at least 3)')
    .requiredOption('--nfactors <k>', 'number of factors')
    .option('--fm <method>', 'extraction: minres, ml or pa', 'minres')
    .option('--rotate <rotation>', `rotation: ${ROTATIONS.join(', ')}`, 'oblimin')
    .option('--cor <type>', 'pearson or poly (polychoric)', 'pearson')
    .option('--missing <how>', 'listwise or pairwise', 'listwise')
    .option('--json', 'one JSON object on stdout')
    .action(async (opts: EfaFlags) => {
      const items = parseList(opts.items, '--items', { min: 3 });
      for (const flag of wasmCompilerFlags(items.length)) setFlagsFromString(flag);
      const nfactors = parseNumber(opts.nfactors, '--nfactors', { integer: true, min: 1, max: items.length - 1 });
      const method = parseChoice(opts.fm, '--fm', ['minres', 'ml', 'pa'] as const, 'minres');
      const rotate = parseChoice(opts.rotate, '--rotate', ROTATIONS, 'oblimin');
      const cor = parseChoice(opts.cor, '--cor', ['pearson', 'poly'] as const, 'pearson');
      const missing = parseChoice(opts.missing, '--missing', ['listwise', 'pairwise'] as const, 'listwise');
      // from BASELINE_WASM_BELOW items: Liftoff now, TurboFan behind it on background threads
      if (items.length >= BASELINE_WASM_BELOW) for (const name of EFA_KERNELS) kernelModule(name);
      // ratings one byte each (a column with other values falls back to eight bytes)
      const data = readCsv(opts.csv, { numbers: [{ names: items, argument: '--items', compact: true }] }).answers(items);
      if (items.length * items.length * data.length <= SMALL_ANALYSIS || kernelsOnly(data.columns, cor, rotate)) setFlagsFromString('--no-opt');
      emit(exploratoryFactorAnalysis(data, { items, nfactors, method, rotate, cor, missing }), opts.json === true, render);
    });
}
