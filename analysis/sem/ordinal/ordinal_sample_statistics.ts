import { normalCdf, normalDensity, normalQuantile } from '../../math/normal_distribution.js';
import { cholesky, choleskyInverse } from '../dense.js';
import { bivariateNormalUpper } from '../../data/bivariate_normal.js';
import { bivariateCells } from './bivariate_cells.js';

/**
 * The sample statistics of ordinal variables in one group: thresholds, polychoric correlations, and
 * a factor L of their asymptotic covariance, NACOV = LᵀL (lavaan's Gamma for ordered data).
 */
export interface OrdinalGroupSample {
  readonly label: string;
  readonly n: number;
  /** Number of categories of each variable. */
  readonly categories: readonly number[];
  /** Thresholds per variable, τ₁ < … < τ_{K−1}. */
  readonly thresholds: readonly Float64Array[];
  /** p × p polychoric correlations (row-major, unit diagonal). */
  readonly cor: Float64Array;
  /**
   * The statistics as lavaan's WLS.obs orders them: every variable's thresholds, then the
   * correlations below the diagonal column by column, (2,1), (3,1), …, (p,1), (3,2), ….
   */
  readonly statistics: Float64Array;
  /** How many of `statistics` are thresholds. */
  readonly nThresholds: number;
  /** n × K row-major, with NACOV = LᵀL (K = statistics.length). */
  readonly gammaFactor: Float64Array;
  /** diag(NACOV). */
  readonly gammaDiagonal: Float64Array;
  /** Pairs whose table has an empty cell (lavaan fits them as they are, without a continuity correction). */
  readonly emptyCellPairs: number;
  /** Pairs whose correlation estimate did not converge. */
  readonly unconverged: number;
}

/**
 * Thresholds and polychoric correlations by lavaan's two-stage method (lavaan 0.6.14, `muthen1984`):
 * stage 1 fits each variable's thresholds alone, τ_k = Φ⁻¹(cumulative proportion ≤ k); stage 2 fits
 * each pair's ρ by maximum likelihood with those thresholds held fixed (no correction of empty cells
 * in tables larger than 2 × 2). Their asymptotic covariance follows Muthén (1984,
 * doi:10.1007/BF02294210) and Muthén, du Toit & Spisic (1997): with the casewise scores s_i of the
 * univariate and bivariate likelihoods and the block matrix A of their cross-products (A₁₁ per
 * variable, A₂₁ the bivariate ρ scores against the thresholds, A₂₂ diagonal), the estimates have
 * covariance B⁻¹(Σ s_i s_iᵀ)B⁻ᵀ with B⁻¹ = [A₁₁⁻¹, 0; −A₂₂⁻¹A₂₁A₁₁⁻¹, A₂₂⁻¹]; lavaan's NACOV is n times
 * that. Returned as the factor L = √n·S·B⁻ᵀ (n × K), so that NACOV = LᵀL without forming it.
 * `codes` holds 0-based categories (n rows × p variables, no missing values).
 */
export function ordinalGroupSample(codes: readonly Int32Array[], categories: readonly number[], label = ''): OrdinalGroupSample {
  const n = codes.length;
  const p = categories.length;
  const flat = new Int32Array(n * p);
  codes.forEach((row, r) => flat.set(row, r * p));
  const thresholds = categories.map((K, j) => marginalThresholds(flat, n, p, j, K));
  const thStart: number[] = [];
  let nThresholds = 0;
  for (let j = 0; j < p; j++) {
    thStart.push(nThresholds);
    nThresholds += categories[j] - 1;
  }
  const pstar = (p * (p - 1)) / 2;
  const K = nThresholds + pstar;
  const S = new Float64Array(n * K);
  thresholdScores(S, flat, n, p, K, thresholds, thStart);
  const a11inv = categories.map((Kj, j) => thresholdBlockInverse(S, n, K, thStart[j], Kj - 1));
  const cor = new Float64Array(p * p);
  for (let j = 0; j < p; j++) cor[j * p + j] = 1;
  const statistics = new Float64Array(K);
  thresholds.forEach((t, j) => statistics.set(t, thStart[j]));
  const pairs: PairTerms[] = [];
  let emptyCellPairs = 0;
  let unconverged = 0;
  let col = nThresholds;
  for (let j = 0; j < p - 1; j++) {
    for (let i = j + 1; i < p; i++) {
      // y1 = variable i (rows), y2 = variable j (columns), as lavaan's step 2
      const pair = pairStatistics(flat, n, p, i, j, categories[i], categories[j], thresholds[i], thresholds[j], S, K, col);
      if (pair.empty) emptyCellPairs++;
      if (!pair.converged) unconverged++;
      cor[i * p + j] = cor[j * p + i] = pair.rho;
      statistics[col] = pair.rho;
      pairs.push(pair);
      col++;
    }
  }
  const L = gammaFactor(S, n, K, categories, thStart, a11inv, pairs, nThresholds);
  const gammaDiagonal = new Float64Array(K);
  for (let r = 0; r < n; r++) {
    const base = r * K;
    for (let k = 0; k < K; k++) gammaDiagonal[k] += L[base + k] * L[base + k];
  }
  return { label, n, categories, thresholds, cor, statistics, nThresholds, gammaFactor: L, gammaDiagonal, emptyCellPairs, unconverged };
}

/** Stage 1: τ_k = Φ⁻¹(proportion of answers in categories ≤ k). */
function marginalThresholds(flat: Int32Array, n: number, p: number, j: number, K: number): Float64Array {
  const freq = new Float64Array(K);
  for (let r = 0; r < n; r++) freq[flat[r * p + j]]++;
  const t = new Float64Array(K - 1);
  let cum = 0;
  for (let k = 0; k < K - 1; k++) {
    cum += freq[k];
    t[k] = normalQuantile(cum / n);
  }
  return t;
}

/** Univariate scores: a case in category c has ∂ln P/∂τ_c = φ(τ_c)/P_c and ∂ln P/∂τ_{c−1} = −φ(τ_{c−1})/P_c. */
function thresholdScores(S: Float64Array, flat: Int32Array, n: number, p: number, K: number, thresholds: readonly Float64Array[], thStart: readonly number[]): void {
  for (let j = 0; j < p; j++) {
    const t = thresholds[j];
    const Kj = t.length + 1;
    const up = new Float64Array(Kj);
    const lo = new Float64Array(Kj);
    for (let c = 0; c < Kj; c++) {
      const hi = c < Kj - 1 ? t[c] : Infinity;
      const lw = c > 0 ? t[c - 1] : -Infinity;
      const pc = cdf(hi) - cdf(lw);
      up[c] = c < Kj - 1 ? normalDensity(hi) / pc : 0;
      lo[c] = c > 0 ? -normalDensity(lw) / pc : 0;
    }
    const off = thStart[j];
    for (let r = 0; r < n; r++) {
      const c = flat[r * p + j];
      if (c < Kj - 1) S[r * K + off + c] = up[c];
      if (c > 0) S[r * K + off + c - 1] = lo[c];
    }
  }
}

/** A₁₁⁻¹ for one variable: the inverse cross-product of its threshold scores (m × m). */
function thresholdBlockInverse(S: Float64Array, n: number, K: number, off: number, m: number): Float64Array {
  const blk = new Float64Array(m * m);
  for (let r = 0; r < n; r++) {
    const base = r * K + off;
    for (let a = 0; a < m; a++) {
      const va = S[base + a];
      if (va === 0) continue;
      for (let b = 0; b < m; b++) blk[a * m + b] += va * S[base + b];
    }
  }
  const l = cholesky(blk, m);
  return l ? choleskyInverse(l, m) : new Float64Array(m * m).fill(NaN);
}

/** A pair's correlation and its row of A₂₁ (nonzero only at the pair's thresholds) and A₂₂. */
interface PairTerms {
  readonly i: number;
  readonly j: number;
  readonly rho: number;
  readonly converged: boolean;
  readonly empty: boolean;
  readonly rowPart: Float64Array;
  readonly colPart: Float64Array;
  readonly a22: number;
}

/** Stage 2 for one pair: ρ, the casewise ρ scores (written into column `col` of S), A₂₁ and A₂₂. */
function pairStatistics(
  flat: Int32Array,
  n: number,
  p: number,
  i: number,
  j: number,
  nr: number,
  nc: number,
  tau1: Float64Array,
  tau2: Float64Array,
  S: Float64Array,
  K: number,
  col: number,
): PairTerms {
  const freq = new Float64Array(nr * nc);
  for (let r = 0; r < n; r++) freq[flat[r * p + i] * nc + flat[r * p + j]]++;
  const empty = freq.some((v) => v === 0);
  const { rho, converged } = pairCorrelation(freq, tau1, tau2);
  const cells = bivariateCells(tau1, tau2, rho);
  const rowPart = new Float64Array(nr - 1);
  const colPart = new Float64Array(nc - 1);
  const scoreOf = new Float64Array(nr * nc);
  let a22 = 0;
  for (let a = 0; a < nr; a++) {
    for (let b = 0; b < nc; b++) {
      const c = a * nc + b;
      const pr = cells.prob[c];
      const sr = cells.dRho[c] / pr;
      scoreOf[c] = sr;
      const f = freq[c];
      if (f === 0) continue;
      a22 += f * sr * sr;
      if (a < nr - 1) rowPart[a] += f * sr * (cells.dRowUpper[c] / pr);
      if (a > 0) rowPart[a - 1] += f * sr * (cells.dRowLower[c] / pr);
      if (b < nc - 1) colPart[b] += f * sr * (cells.dColUpper[c] / pr);
      if (b > 0) colPart[b - 1] += f * sr * (cells.dColLower[c] / pr);
    }
  }
  for (let r = 0; r < n; r++) S[r * K + col] = scoreOf[flat[r * p + i] * nc + flat[r * p + j]];
  return { i, j, rho, converged, empty, rowPart, colPart, a22 };
}

/** L = √n·S·B⁻ᵀ: the threshold block S_t·A₁₁⁻¹, then per pair (s_ρ − L_t·A₂₁-part)/a₂₂. */
function gammaFactor(
  S: Float64Array,
  n: number,
  K: number,
  categories: readonly number[],
  thStart: readonly number[],
  a11inv: readonly Float64Array[],
  pairs: readonly PairTerms[],
  nThresholds: number,
): Float64Array {
  const sq = Math.sqrt(n);
  const L = new Float64Array(n * K);
  const p = categories.length;
  const np = pairs.length;
  // flatten the pair terms for a tight loop
  const pi = new Int32Array(np);
  const pj = new Int32Array(np);
  const inv22 = new Float64Array(np);
  const maxM = Math.max(...categories) - 1;
  const rowParts = new Float64Array(np * maxM);
  const colParts = new Float64Array(np * maxM);
  pairs.forEach((pr, k) => {
    pi[k] = thStart[pr.i];
    pj[k] = thStart[pr.j];
    inv22[k] = 1 / pr.a22;
    rowParts.set(pr.rowPart, k * maxM);
    colParts.set(pr.colPart, k * maxM);
  });
  const mi = new Int32Array(np);
  const mj = new Int32Array(np);
  pairs.forEach((pr, k) => {
    mi[k] = pr.rowPart.length;
    mj[k] = pr.colPart.length;
  });
  const tmp = new Float64Array(maxM);
  for (let r = 0; r < n; r++) {
    const base = r * K;
    for (let j = 0; j < p; j++) {
      const m = categories[j] - 1;
      const inv = a11inv[j];
      const off = base + thStart[j];
      for (let a = 0; a < m; a++) tmp[a] = S[off + a];
      for (let a = 0; a < m; a++) {
        let v = 0;
        for (let b = 0; b < m; b++) v += inv[a * m + b] * tmp[b];
        L[off + a] = v;
      }
    }
    for (let k = 0; k < np; k++) {
      let v = S[base + nThresholds + k];
      const oi = base + pi[k];
      const ri = k * maxM;
      for (let a = 0; a < mi[k]; a++) v -= rowParts[ri + a] * L[oi + a];
      const oj = base + pj[k];
      for (let b = 0; b < mj[k]; b++) v -= colParts[ri + b] * L[oj + b];
      L[base + nThresholds + k] = v * inv22[k];
    }
    for (let k = 0; k < K; k++) L[base + k] *= sq;
  }
  return L;
}

function cdf(x: number): number {
  return x === Infinity ? 1 : x === -Infinity ? 0 : normalCdf(x);
}

/**
 * The ρ maximising ℓ(ρ) = Σ n_ab ln P_ab(ρ) with the thresholds fixed, by Newton steps on the score
 * ℓ′ = Σ n_ab P′_ab/P_ab with ℓ″ = Σ n_ab (P″_ab/P_ab − (P′_ab/P_ab)²), where P′ and P″ difference
 * the corners' φ₂ and ∂φ₂/∂ρ = φ₂·(ρ/(1−ρ²) + xy/(1−ρ²) − ρQ/(1−ρ²)²), Q = x² − 2ρxy + y². Steps stay
 * inside a bracket on (−0.999, 0.999) (lavaan's bounds) that shrinks with the score's sign; a step
 * that leaves it, or where ℓ is not concave, bisects instead.
 */
function pairCorrelation(freq: Float64Array, tau1: Float64Array, tau2: Float64Array): { rho: number; converged: boolean } {
  const nr = tau1.length + 1;
  const nc = tau2.length + 1;
  const cw = nc + 1;
  // margins (x or y at +∞) do not depend on ρ
  const F = new Float64Array((nr + 1) * cw);
  for (let k = 1; k < nr; k++) F[k * cw + nc] = normalCdf(tau1[k - 1]);
  for (let l = 1; l < nc; l++) F[nr * cw + l] = normalCdf(tau2[l - 1]);
  F[nr * cw + nc] = 1;
  const d1 = new Float64Array((nr + 1) * cw);
  const d2 = new Float64Array((nr + 1) * cw);
  let lo = -0.999;
  let hi = 0.999;
  let rho = 0;
  for (let it = 0; it < 100; it++) {
    const r2 = 1 - rho * rho;
    const norm = 1 / (2 * Math.PI * Math.sqrt(r2));
    for (let k = 1; k < nr; k++) {
      const x = tau1[k - 1];
      for (let l = 1; l < nc; l++) {
        const y = tau2[l - 1];
        const at = k * cw + l;
        const Q = x * x - 2 * rho * x * y + y * y;
        const phi = norm * Math.exp(-Q / (2 * r2));
        F[at] = bivariateNormalUpper(-x, -y, rho);
        d1[at] = phi;
        d2[at] = phi * (rho / r2 + (x * y) / r2 - (rho * Q) / (r2 * r2));
      }
    }
    let score = 0;
    let curv = 0;
    for (let a = 0; a < nr; a++) {
      for (let b = 0; b < nc; b++) {
        const f = freq[a * nc + b];
        if (f === 0) continue;
        const hh = (a + 1) * cw + b + 1;
        const lh = a * cw + b + 1;
        const hl = (a + 1) * cw + b;
        const ll = a * cw + b;
        const pr = F[hh] - F[lh] - F[hl] + F[ll];
        if (!(pr > 0)) continue;
        const p1 = (d1[hh] - d1[lh] - d1[hl] + d1[ll]) / pr;
        const p2 = (d2[hh] - d2[lh] - d2[hl] + d2[ll]) / pr;
        score += f * p1;
        curv += f * (p2 - p1 * p1);
      }
    }
    if (score > 0) lo = rho;
    else hi = rho;
    let next = curv < 0 ? rho - score / curv : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - rho) < 1e-12) return { rho: next, converged: true };
    rho = next;
    if (hi - lo < 1e-12) return { rho, converged: true };
  }
  return { rho, converged: false };
}
