/**
 * Sample variance (n − 1 divisor) of each column of `rows` over the row indices `members`;
 * NaN for every column when fewer than two rows. Two-pass (mean, then squared deviations),
 * as R's `var`.
 */
export function itemVariances(rows: readonly (readonly number[])[], members: readonly number[], columns: readonly number[]): number[] {
  const n = members.length;
  const out = new Array<number>(columns.length);
  for (let c = 0; c < columns.length; c++) {
    const j = columns[c];
    if (n < 2) {
      out[c] = NaN;
      continue;
    }
    let sum = 0;
    for (const i of members) sum += rows[i][j];
    const mean = sum / n;
    let ss = 0;
    for (const i of members) {
      const d = rows[i][j] - mean;
      ss += d * d;
    }
    out[c] = ss / (n - 1);
  }
  return out;
}

/**
 * {@link itemVariances} on column-stored data: the sample variance (n − 1) of each of `columns`
 * over the observations `members[from … to)`, summed in the same order, so equal to it bit for bit.
 */
export function columnVariances(columns: readonly ArrayLike<number>[], members: ArrayLike<number>, from: number, to: number): number[] {
  const n = to - from;
  const out = new Array<number>(columns.length);
  for (let c = 0; c < columns.length; c++) {
    if (n < 2) {
      out[c] = NaN;
      continue;
    }
    const x = columns[c];
    let sum = 0;
    for (let k = from; k < to; k++) sum += x[members[k]];
    const mean = sum / n;
    let ss = 0;
    for (let k = from; k < to; k++) {
      const d = x[members[k]] - mean;
      ss += d * d;
    }
    out[c] = ss / (n - 1);
  }
  return out;
}

/**
 * rwg(j) from the mean observed item variance S̄² of a unit's J items (James, Demaree & Wolf,
 * 1984, doi:10.1037/0021-9010.69.1.85):
 *   rwg(j) = J(1 − S̄²/σ²E) / [J(1 − S̄²/σ²E) + S̄²/σ²E],
 * with S̄² capped at the null variance σ²E so that rwg(j) lies in [0, 1]. With J = 1 this is
 * rwg = 1 − s²/σ²E. Matches multilevel::rwg.j (and multilevel::rwg for one item) 2.7.
 */
export function rwgJFromVariance(meanVariance: number, items: number, nullVar: number): number {
  if (Number.isNaN(meanVariance)) return NaN;
  const ratio = Math.min(meanVariance, nullVar) / nullVar;
  const agree = items * (1 - ratio);
  return agree / (agree + ratio);
}

/**
 * Lindell, Brandt & Whitney's (1999) r*wg(j) = 1 − S̄²/σ²E, doi:10.1177/01466219922031257:
 * uncapped and not inflated by the number of items, so it may fall below 0.
 * Matches multilevel::rwg.j.lindell 2.7.
 */
export function rwgJLindellFromVariance(meanVariance: number, nullVar: number): number {
  return 1 - meanVariance / nullVar;
}

/** The mean of `values` (NaN when empty). */
export function meanOf(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? NaN : s / values.length;
}

/**
 * rwg(j) of one unit: `rows` holds complete answers (no NaN), `members` the unit's row
 * indices, `columns` its J items. NaN for a unit of fewer than two respondents.
 */
export function rwgJ(rows: readonly (readonly number[])[], members: readonly number[], columns: readonly number[], nullVar: number): number {
  if (members.length < 2) return NaN;
  return rwgJFromVariance(meanOf(itemVariances(rows, members, columns)), columns.length, nullVar);
}
