import { cholesky, choleskyInverse, choleskySolve } from './cholesky.js';

/**
 * A symmetric positive-definite matrix factored through the Schur complement of a diagonal block:
 * A permuted to [[D, B], [Bᵀ, C]] with D diagonal (a set of variables no two of which are coupled),
 * S = C − BᵀD⁻¹B and S = L Lᵀ.
 */
export interface SchurFactor {
  readonly n: number;
  /** The variables of the diagonal block D, and the others (the order of S). */
  readonly diagonal: Int32Array;
  readonly rest: Int32Array;
  /** 1/a_kk for each k of `diagonal`. */
  readonly dInverse: Float64Array;
  /** Per variable k of `diagonal`: the positions in `rest` where row k of B is non-zero, and D⁻¹B there. */
  readonly coupling: readonly { readonly at: Int32Array; readonly vals: Float64Array }[];
  /** Cholesky factor of S (rest.length × rest.length). */
  readonly l: Float64Array;
}

/**
 * Factors a symmetric positive-definite n × n matrix A (row-major, both triangles) whose many
 * variables are each coupled to few others, as the Gauss–Newton matrix of an ordinal model is
 * (a threshold moves one statistic, so thresholds are coupled only to their item's loading and
 * scale, never to each other). Variables are taken into D greedily, fewest non-zeros first, when
 * they are uncoupled from every variable already in D; the rest form S = C − BᵀD⁻¹B (formed from
 * B's non-zeros, Σ_k nnz_k² work), factored by the dense Cholesky. The cost is that of S's
 * factorisation, (n − |D|)³/6, instead of n³/6 (the block elimination of Golub & Van Loan,
 * Matrix Computations, 4th ed., §3.2.10 and §4.2.10). Null when A is not positive definite
 * (a non-positive diagonal in D, or S not positive definite).
 */
export function schurFactor(a: Float64Array, n: number): SchurFactor | null {
  const nnz = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) if (a[row + j] !== 0) c++;
    nnz[i] = c;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => nnz[x] - nnz[y] || x - y);
  const inD = new Uint8Array(n);
  const chosen: number[] = [];
  for (const k of order) {
    const row = k * n;
    let free = true;
    for (const j of chosen)
      if (a[row + j] !== 0) {
        free = false;
        break;
      }
    if (free) {
      inD[k] = 1;
      chosen.push(k);
    }
  }
  chosen.sort((x, y) => x - y);
  const diagonal = Int32Array.from(chosen);
  const rest = Int32Array.from({ length: n - chosen.length }, () => 0);
  const position = new Int32Array(n).fill(-1);
  for (let i = 0, r = 0; i < n; i++)
    if (!inD[i]) {
      position[i] = r;
      rest[r++] = i;
    }
  const m = rest.length;
  const s = new Float64Array(m * m);
  for (let x = 0; x < m; x++) {
    const row = rest[x] * n;
    for (let y = 0; y < m; y++) s[x * m + y] = a[row + rest[y]];
  }
  const dInverse = new Float64Array(diagonal.length);
  const coupling = Array.from(diagonal, (k, t) => {
    const akk = a[k * n + k];
    if (!(akk > 0) || !Number.isFinite(akk)) return null;
    dInverse[t] = 1 / akk;
    const at: number[] = [];
    const raw: number[] = [];
    const row = k * n;
    for (let j = 0; j < n; j++)
      if (j !== k && a[row + j] !== 0) {
        at.push(position[j]);
        raw.push(a[row + j]);
      }
    // S −= b_k b_kᵀ / a_kk over the non-zeros of row k of B
    for (let u = 0; u < at.length; u++) {
      const su = at[u] * m;
      const bu = raw[u] / akk;
      for (let v = 0; v < at.length; v++) s[su + at[v]] -= bu * raw[v];
    }
    return { at: Int32Array.from(at), vals: Float64Array.from(raw, (b) => b / akk) };
  });
  if (coupling.some((c) => c === null)) return null;
  const l = cholesky(s, m);
  if (!l) return null;
  return { n, diagonal, rest, dInverse, coupling: coupling as SchurFactor['coupling'], l };
}

/** Solves A x = b from a {@link schurFactor}: x_R = S⁻¹(b_R − BᵀD⁻¹b_D), x_D = D⁻¹b_D − D⁻¹B x_R. */
export function schurSolve(f: SchurFactor, b: ArrayLike<number>): Float64Array {
  const { n, diagonal, rest, dInverse, coupling, l } = f;
  const m = rest.length;
  const rhs = new Float64Array(m);
  for (let x = 0; x < m; x++) rhs[x] = b[rest[x]];
  for (let t = 0; t < diagonal.length; t++) {
    const bk = b[diagonal[t]];
    if (bk === 0) continue;
    const { at, vals } = coupling[t];
    for (let u = 0; u < at.length; u++) rhs[at[u]] -= vals[u] * bk;
  }
  const xr = choleskySolve(l, m, rhs);
  const out = new Float64Array(n);
  for (let x = 0; x < m; x++) out[rest[x]] = xr[x];
  for (let t = 0; t < diagonal.length; t++) {
    const { at, vals } = coupling[t];
    let v = b[diagonal[t]] * dInverse[t];
    for (let u = 0; u < at.length; u++) v -= vals[u] * xr[at[u]];
    out[diagonal[t]] = v;
  }
  return out;
}

/**
 * A⁻¹ (n × n, both triangles) from a {@link schurFactor}, with P = D⁻¹B:
 * [[D⁻¹ + P S⁻¹Pᵀ, −P S⁻¹], [−S⁻¹Pᵀ, S⁻¹]], where P's rows are sparse, so the work beyond S⁻¹ is
 * |D|·nnz·m for T = P S⁻¹ and |D|²·nnz for the D block.
 */
export function schurInverse(f: SchurFactor): Float64Array {
  const { n, diagonal, rest, dInverse, coupling, l } = f;
  const m = rest.length;
  const d = diagonal.length;
  const sInv = choleskyInverse(l, m);
  const out = new Float64Array(n * n);
  for (let x = 0; x < m; x++) {
    const row = rest[x] * n;
    for (let y = 0; y < m; y++) out[row + rest[y]] = sInv[x * m + y];
  }
  // T = P S⁻¹ (d × m)
  const T = new Float64Array(d * m);
  for (let t = 0; t < d; t++) {
    const { at, vals } = coupling[t];
    const tt = t * m;
    for (let u = 0; u < at.length; u++) {
      const pu = vals[u];
      const su = at[u] * m;
      for (let y = 0; y < m; y++) T[tt + y] += pu * sInv[su + y];
    }
    const row = diagonal[t] * n;
    for (let y = 0; y < m; y++) {
      out[row + rest[y]] = -T[tt + y];
      out[rest[y] * n + diagonal[t]] = -T[tt + y];
    }
  }
  // D block: D⁻¹ + T Pᵀ
  for (let t = 0; t < d; t++) {
    const tt = t * m;
    const row = diagonal[t] * n;
    for (let w = 0; w <= t; w++) {
      const { at, vals } = coupling[w];
      let v = 0;
      for (let u = 0; u < at.length; u++) v += T[tt + at[u]] * vals[u];
      if (w === t) v += dInverse[t];
      out[row + diagonal[w]] = v;
      out[diagonal[w] * n + diagonal[t]] = v;
    }
  }
  return out;
}
