import { InputError } from '../errors.js';
import type { Diagnostics } from '../diagnostics.js';
import { bivariateNormalRectangle } from './bivariate_normal.js';
import { brentMinimize } from './brent_minimize.js';
import { normalCdf, normalQuantile } from '../math/normal_distribution.js';
import { smoothCorrelation } from './smooth_correlation.js';

/** Polychoric correlations of ordinal items with their thresholds. */
export interface PolychoricResult {
  /** p × p polychoric correlation matrix (smoothed when it was not positive definite). */
  readonly rho: number[][];
  /** Per item, the thresholds τ₁ < … < τ_{c−1} on the latent normal scale. */
  readonly tau: number[][];
  /** Rows in the data. */
  readonly n: number;
  /** Number of response categories (over all items). */
  readonly categories: number;
  /** Whether the thresholds came from each item's overall marginal (psych's global = TRUE). */
  readonly globalThresholds: boolean;
  readonly smoothed: boolean;
  readonly diagnostics: Diagnostics;
}

/** Most categories psych::polychoric accepts (max.cat = 8). */
const MAX_CATEGORIES = 8;

/**
 * Polychoric correlation matrix of ordinal items (`data`: rows × items, integer codes, NaN missing) by
 * the two-step method (Olsson, 1979, doi:10.1007/BF02296207): thresholds τ = Φ⁻¹ of each item's
 * cumulative marginal proportions, then for each pair the ρ maximising Σ n_ab ln P_ab(ρ; τ), the
 * bivariate-normal cell probabilities, by Brent's search on (−1, 1). As psych::polychoric 2.2.9 with its
 * defaults: codes are shifted so that the smallest over all items is 1; when every item uses the same
 * highest code the thresholds are global (each item's whole marginal, no correction); otherwise each
 * pair's table drops empty rows and columns, replaces empty cells by 0.5/n (`correct = .5`) and takes
 * its thresholds from that table. A matrix that is not positive definite is smoothed
 * (`smoothCorrelation`, psych::cor.smooth) and that is reported in the diagnostics.
 */
export function polychoricCorrelation(data: readonly (readonly number[])[], { correct = 0.5 } = {}): PolychoricResult {
  const n = data.length;
  const p = n > 0 ? data[0].length : 0;
  if (p < 2) throw new InputError('items', `polychoric correlations need at least 2 items; got ${p}.`);
  let min = Infinity;
  let max = -Infinity;
  for (const row of data) for (const v of row) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) throw new InputError('items', `polychoric correlations need whole-number answer codes; found ${v}.`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) throw new InputError('items', 'the items have no answers.');
  const categories = max - min + 1;
  if (categories > MAX_CATEGORIES) {
    throw new InputError('items', `the items have ${categories} answer categories; polychoric correlations allow at most ${MAX_CATEGORIES}.`);
  }
  if (categories < 2) throw new InputError('items', 'the items have a single answer category, so they have no variance.');
  // codes 0..categories-1
  const codes: Int8Array[] = Array.from({ length: p }, (_, j) => Int8Array.from(data, (row) => (Number.isNaN(row[j]) ? -1 : row[j] - min)));
  const itemMax = codes.map((c) => c.reduce((m, v) => Math.max(m, v), -1));
  const warnings: string[] = [];
  codes.forEach((c, j) => {
    const first = c.find((v) => v >= 0);
    if (first === undefined || c.every((v) => v < 0 || v === first)) {
      throw new InputError('items', `item ${j + 1} has no variance (every answer is the same), so it has no polychoric correlation.`);
    }
  });
  const global = itemMax.every((m) => m === itemMax[0]);
  if (!global) warnings.push('the items do not all use the same highest answer, so thresholds were estimated pair by pair (psych: global = FALSE).');
  const tau = codes.map((c) => {
    const freq = new Array<number>(categories).fill(0);
    let total = 0;
    for (const v of c) if (v >= 0) {
      freq[v]++;
      total++;
    }
    const out: number[] = [];
    let cum = 0;
    for (let k = 0; k < categories - 1; k++) {
      cum += freq[k] / total;
      out.push(normalQuantile(cum));
    }
    return out;
  });
  const rho = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? 1 : NaN)));
  let fixedCells = 0;
  for (let i = 1; i < p; i++) {
    for (let j = 0; j < i; j++) {
      // psych tabulates the later item (i) against the earlier (j) but passes x = item i as rows
      const res = pairCorrelation(codes[i], codes[j], tau[i], tau[j], categories, global, correct);
      fixedCells += res.fixed;
      rho[i][j] = rho[j][i] = res.rho;
    }
  }
  if (fixedCells > 0 && correct > 0) warnings.push(`${fixedCells} pair table${fixedCells > 1 ? 's' : ''} had empty cells replaced by ${correct}/n (correction for continuity).`);
  let smoothed = false;
  let out = rho;
  if (rho.every((row) => row.every((v) => Number.isFinite(v)))) {
    const s = smoothCorrelation(rho);
    smoothed = s.smoothed;
    out = s.r;
    if (smoothed) warnings.push(`the polychoric matrix was not positive definite (smallest eigenvalue ${s.minEigenvalue.toExponential(2)}) and was smoothed (psych::cor.smooth).`);
  } else {
    warnings.push('some polychoric correlations could not be estimated, so the matrix was not smoothed.');
  }
  return {
    rho: out,
    tau,
    n,
    categories,
    globalThresholds: global,
    smoothed,
    diagnostics: { converged: true, iterations: (p * (p - 1)) / 2, warnings },
  };
}

function pairCorrelation(
  x: Int8Array,
  y: Int8Array,
  taux: readonly number[],
  tauy: readonly number[],
  categories: number,
  global: boolean,
  correct: number,
): { rho: number; fixed: number } {
  let tab: number[][] = Array.from({ length: categories }, () => new Array<number>(categories).fill(0));
  let tot = 0;
  for (let r = 0; r < x.length; r++) {
    if (x[r] < 0 || y[r] < 0) continue;
    tab[x[r]][y[r]]++;
    tot++;
  }
  if (tot === 0) return { rho: NaN, fixed: 1 };
  tab = tab.map((row) => row.map((v) => v / tot));
  let rc = taux;
  let cc = tauy;
  let fixed = 0;
  if (!global) {
    tab = tab.filter((row) => row.some((v) => v !== 0));
    const keep = tab[0].map((_, c) => tab.some((row) => row[c] !== 0));
    tab = tab.map((row) => row.filter((_, c) => keep[c]));
    if (tab.length < 2 || tab[0].length < 2) return { rho: NaN, fixed: 0 };
    if (correct > 0 && tab.some((row) => row.some((v) => v === 0))) {
      fixed = 1;
      tab = tab.map((row) => row.map((v) => (v === 0 ? correct / tot : v)));
    }
    const rsum = tab.map((row) => row.reduce((a, v) => a + v, 0));
    const csum = tab[0].map((_, c) => tab.reduce((a, row) => a + row[c], 0));
    rc = cumulativeQuantiles(rsum);
    cc = cumulativeQuantiles(csum);
  }
  const objective = (rho: number) => -cellLogLikelihood(rho, rc, cc, tab);
  const best = brentMinimize(objective, -1, 1);
  return { rho: best.minimum, fixed };
}

function cumulativeQuantiles(sums: readonly number[]): number[] {
  const out: number[] = [];
  let cum = 0;
  for (let k = 0; k < sums.length - 1; k++) {
    cum += sums[k];
    out.push(normalQuantile(cum));
  }
  return out;
}

/**
 * Σ tab_ab ln P_ab(ρ) over the cells with P_ab > 0: interior cells by bivariate-normal rectangles,
 * the last row and column by subtraction from the margins (as psych's polyBinBvn).
 */
function cellLogLikelihood(rho: number, rc: readonly number[], cc: readonly number[], tab: readonly (readonly number[])[]): number {
  const nr = rc.length + 1;
  const nc = cc.length + 1;
  const rowCuts = [-Infinity, ...rc, Infinity];
  const colCuts = [-Infinity, ...cc, Infinity];
  const P: number[][] = Array.from({ length: nr }, () => new Array<number>(nc).fill(0));
  for (let i = 0; i < nr - 1; i++) {
    for (let j = 0; j < nc - 1; j++) {
      P[i][j] = bivariateNormalRectangle(rowCuts[i], rowCuts[i + 1], colCuts[j], colCuts[j + 1], rho);
    }
  }
  let s = 0;
  for (let j = 0; j < nc - 1; j++) s += P[0][j];
  P[0][nc - 1] = normalCdf(rc[0]) - s;
  s = 0;
  for (let i = 0; i < nr - 1; i++) s += P[i][0];
  P[nr - 1][0] = normalCdf(cc[0]) - s;
  for (let i = 1; i < nr - 1; i++) {
    s = 0;
    for (let j = 0; j < nc - 1; j++) s += P[i][j];
    P[i][nc - 1] = normalCdf(rc[i]) - normalCdf(rc[i - 1]) - s;
  }
  for (let j = 1; j < nc - 1; j++) {
    s = 0;
    for (let i = 0; i < nr - 1; i++) s += P[i][j];
    P[nr - 1][j] = normalCdf(cc[j]) - normalCdf(cc[j - 1]) - s;
  }
  if (nc > 1) {
    s = 0;
    for (let j = 0; j < nc - 1; j++) s += P[nr - 1][j];
    P[nr - 1][nc - 1] = 1 - normalCdf(rc[nr - 2]) - s;
  }
  let ll = 0;
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) {
      const pij = P[i][j];
      const t = tab[i][j];
      if (!(pij > 0) || t === 0) continue;
      const lp = Math.log(pij);
      if (Number.isFinite(lp)) ll += t * lp;
    }
  }
  return ll;
}
