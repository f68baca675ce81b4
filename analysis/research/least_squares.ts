import { InputError } from '../errors.js';

/**
 * Ordinary least squares by Householder QR, the way R's `lm.fit` solves it (LINPACK's dqrdc2 with
 * its limited pivoting): columns are reduced in order, and a column whose part orthogonal to the
 * columns before it has a norm below `tolerance` (1e-7, R's default) times its own norm is
 * collinear. R then drops it and reports NA; here a rank-deficient design is the caller's mistake,
 * an InputError naming the collinear column and the columns it is a combination of.
 *
 * The kernel takes validated columns (no missing values, n > p) and returns what the covariance
 * estimators need: β, residuals, R⁻¹ of X = QR (so (X'X)⁻¹ = R⁻¹R⁻ᵀ) and X itself.
 */
export interface LeastSquaresFit {
  /** Column names, in the order of `columns`. */
  readonly names: readonly string[];
  /** The design, one array per column (each of length n). */
  readonly columns: readonly Float64Array[];
  readonly y: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly coefficients: Float64Array;
  readonly residuals: Float64Array;
  /** R⁻¹, p × p upper triangular, row-major. */
  readonly rInverse: Float64Array;
  /** Residual sum of squares. */
  readonly rss: number;
  /** Residual degrees of freedom, n − p. */
  readonly dfResidual: number;
}

const TOLERANCE = 1e-7;

export function leastSquares(
  columns: readonly Float64Array[],
  names: readonly string[],
  y: Float64Array,
  label = 'model',
): LeastSquaresFit {
  const p = columns.length;
  const n = y.length;
  if (n <= p) throw new InputError(label, `${label} has ${p} coefficients but only ${n} complete rows; it needs more rows than coefficients.`);
  const a = columns.map((c) => Float64Array.from(c));
  const qty = Float64Array.from(y);
  const v: Float64Array[] = []; // Householder vectors (rows k..n-1 stored in full-length arrays)
  const betaH: number[] = [];
  const r = new Float64Array(p * p);
  const original = columns.map((c) => Math.sqrt(dot(c, c, 0)));
  const collinear: number[] = [];
  for (let j = 0; j < p; j++) {
    const k = v.length;
    const col = a[j];
    const rest = Math.sqrt(dot(col, col, k));
    if (!(rest > TOLERANCE * original[j]) || original[j] === 0) {
      collinear.push(j);
      continue;
    }
    // reflection that maps col[k..] onto −sign(col[k])·rest·e_k
    const alpha = col[k] >= 0 ? -rest : rest;
    const h = new Float64Array(n);
    h[k] = col[k] - alpha;
    for (let i = k + 1; i < n; i++) h[i] = col[i];
    const hh = dot(h, h, k);
    v.push(h);
    betaH.push(hh === 0 ? 0 : 2 / hh);
    for (let jj = j; jj < p; jj++) reflect(h, betaH[k], a[jj], k);
    reflect(h, betaH[k], qty, k);
  }
  if (collinear.length > 0) throw collinearityError(columns, names, collinear, label);
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) r[i * p + j] = a[j][i];
  const coefficients = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = qty[i];
    for (let j = i + 1; j < p; j++) s -= r[i * p + j] * coefficients[j];
    coefficients[i] = s / r[i * p + i];
  }
  const residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let j = 0; j < p; j++) f += columns[j][i] * coefficients[j];
    const e = y[i] - f;
    residuals[i] = e;
    rss += e * e;
  }
  return { names, columns, y, n, p, coefficients, residuals, rInverse: upperInverse(r, p), rss, dfResidual: n - p };
}

function dot(a: Float64Array, b: Float64Array, from: number): number {
  let s = 0;
  for (let i = from; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function reflect(h: Float64Array, beta: number, x: Float64Array, k: number): void {
  const s = beta * dot(h, x, k);
  if (s === 0) return;
  for (let i = k; i < x.length; i++) x[i] -= s * h[i];
}

/** The inverse of an upper-triangular p × p matrix (row-major) by back substitution. */
export function upperInverse(r: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    inv[j * p + j] = 1 / r[j * p + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * p + k] * inv[k * p + j];
      inv[i * p + j] = -s / r[i * p + i];
    }
  }
  return inv;
}

/** Names the first collinear column and the earlier columns it is (numerically) a combination of. */
function collinearityError(columns: readonly Float64Array[], names: readonly string[], collinear: number[], label: string): InputError {
  const bad = collinear[0];
  const kept = columns.map((_, j) => j).filter((j) => j < bad && !collinear.includes(j));
  const target = columns[bad];
  let partners: string[] = [];
  if (kept.length > 0 && Math.sqrt(dot(target, target, 0)) > 0) {
    const fit = leastSquares(kept.map((j) => columns[j]), kept.map((j) => names[j]), Float64Array.from(target), label);
    const scale = Math.sqrt(dot(target, target, 0));
    partners = kept.filter((j, i) => Math.abs(fit.coefficients[i]) * Math.sqrt(dot(columns[j], columns[j], 0)) > 1e-6 * scale).map((j) => names[j]);
  }
  const others = collinear.length > 1 ? ` (so ${collinear.length === 2 ? 'is' : 'are'} ${collinear.slice(1).map((j) => names[j]).join(', ')})` : '';
  const why = partners.length === 0
    ? `${names[bad]} is constant zero over the rows used`
    : `${names[bad]} is a linear combination of ${partners.join(', ')}`;
  return new InputError(label, `${label} has a rank-deficient design: ${why}${others}.`);
}
