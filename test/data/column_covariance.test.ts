import { describe, expect, it } from 'vitest';
import { columnCovariance } from '../../analysis/data/covariance.js';
import { columnsFromRows } from '../../analysis/data/columns.js';
import { Prng } from '../../analysis/math/random.js';
import { scaleReliability } from '../../analysis/reliability/scale_reliability.js';

/** Rows of 1–7 ratings with 3% missing, and a few non-integer columns, over several blocks of rows. */
function ratings(n: number, p: number, seed: number): number[][] {
  const prng = new Prng(seed);
  return Array.from({ length: n }, () => {
    const level = 1 + prng.int(7);
    return Array.from({ length: p }, (_, j) => {
      if (prng.int(33) === 0) return NaN;
      const v = Math.min(7, Math.max(1, level + prng.int(3) - 1));
      return j === p - 1 ? v + prng.uniform() / 3 : v;
    });
  });
}

/** The textbook row-by-row pass the column kernel must reproduce to the last bit. */
function rowCovariance(rows: readonly (readonly number[])[], divisor: number): number[][] {
  const p = rows[0].length;
  const complete = rows.filter((r) => r.every((v) => !Number.isNaN(v)));
  const n = complete.length;
  const means = new Array<number>(p).fill(0);
  for (const row of complete) for (let j = 0; j < p; j++) means[j] += row[j];
  for (let j = 0; j < p; j++) means[j] /= n;
  const cov = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const row of complete) {
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) cov[a][b] += (row[a] - means[a]) * (row[b] - means[b]);
  }
  const d = divisor === 0 ? n : n - 1;
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      cov[a][b] /= d;
      cov[b][a] = cov[a][b];
    }
  }
  return cov;
}

describe('columnCovariance (column-stored data, no row arrays)', () => {
  const rows = ratings(1900, 6, 7);
  const data = columnsFromRows(rows, 6);

  it('listwise, divisors n − 1 and n: equal bit for bit to a pass over the complete rows, across blocks of rows', () => {
    expect(columnCovariance(data.columns, data.length, { divisor: 'n-1' }).cov).toEqual(rowCovariance(rows, 1));
    const m = columnCovariance(data.columns, data.length, { divisor: 'n' });
    expect(m.cov).toEqual(rowCovariance(rows, 0));
    expect(m.n).toBe(rows.filter((r) => r.every((v) => !Number.isNaN(v))).length);
    expect(m.n).toBeLessThan(rows.length);
  });

  it('listwise over a selection of rows (one group\'s): equal bit for bit to a pass over those complete rows', () => {
    const chosen = Uint8Array.from(rows, (_, i) => (i % 3 === 1 ? 1 : 0));
    const m = columnCovariance(data.columns, data.length, { divisor: 'n', rows: chosen });
    const selected = rows.filter((_, i) => chosen[i] === 1);
    expect(m.cov).toEqual(rowCovariance(selected, 0));
    expect(m.n).toBe(selected.filter((r) => r.every((v) => !Number.isNaN(v))).length);
    expect(() => columnCovariance(data.columns, data.length, { missing: 'pairwise', rows: chosen })).toThrow();
  });

  it('pairwise: each entry over the rows where both are observed, with those rows\' means', () => {
    const m = columnCovariance(data.columns, data.length, { missing: 'pairwise' });
    const [a, b] = [1, 4];
    const both = rows.filter((r) => !Number.isNaN(r[a]) && !Number.isNaN(r[b]));
    const ma = both.reduce((s, r) => s + r[a], 0) / both.length;
    const mb = both.reduce((s, r) => s + r[b], 0) / both.length;
    let sab = 0;
    for (const r of both) sab += (r[a] - ma) * (r[b] - mb);
    expect(m.counts[a][b]).toBe(both.length);
    expect(m.cov[a][b]).toBe(sab / (both.length - 1));
  });

  it('reads only the first `length` observations of longer columns (the reader allocates by line count)', () => {
    const longer = data.columns.map((col) => {
      const out = new Float64Array(col.length + 50).fill(99);
      out.set(col);
      return out;
    });
    expect(columnCovariance(longer, data.length).cov).toEqual(columnCovariance(data.columns, data.length).cov);
  });

  it('scaleReliability gives the same result from the reader\'s columns as from rows, with and without reverse keying', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const missing of ['listwise', 'pairwise'] as const) {
      const options = { items, reverse: ['c'], missing, bootstrap: 20, seed: 3 };
      const fromColumns = scaleReliability(data, options);
      expect(fromColumns).toEqual(scaleReliability(rows, options));
      // the caller's columns are not changed by reverse keying
      expect(Array.from(data.columns[2])).toEqual(rows.map((r) => r[2]));
    }
  });
});
