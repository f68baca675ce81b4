import { describe, expect, it } from 'vitest';
import { numberOfFactors, parallelAnalysis } from '../../analysis/index.js';
import { columnsFromRows } from '../../analysis/data/columns.js';
import { columnCorrelationMatrix, correlation } from '../../analysis/data/covariance.js';
import { BIG5, fixtureData } from './helpers.js';

/**
 * `factors` reads the CSV reader's columns: parallel analysis and the number-of-factors report on
 * column-stored data must be the very same numbers as on rows (the same sums in the same order and
 * the same seeded draws in the same order), with and without missing answers.
 */
const items = BIG5.slice(0, 15);
const rows = fixtureData('bfi.csv', items);

/** The reader's columns are longer than the data (capacity from the line count): only `length` counts. */
function readerColumns(data: readonly (readonly number[])[]) {
  const { length, columns } = columnsFromRows(data, items.length);
  const padded = columns.map((col) => {
    const out = new Float64Array(length + 7).fill(99);
    out.set(col);
    return out;
  });
  return { length, columns: padded };
}

describe('parallel analysis on columns', () => {
  it('bfi has missing answers, so listwise and pairwise differ', () => {
    expect(rows.some((r) => r.some(Number.isNaN))).toBe(true);
  });

  for (const missing of ['listwise', 'pairwise'] as const) {
    it(`parallelAnalysis: columns and rows give identical results (${missing})`, () => {
      const options = { iterations: 3, seed: 11, missing };
      expect(parallelAnalysis(readerColumns(rows), options)).toStrictEqual(parallelAnalysis(rows, options));
    });

    it(`numberOfFactors: columns and rows give identical results (${missing})`, () => {
      const options = { items, iterations: 2, seed: 4, missing, quantile: null };
      expect(numberOfFactors(readerColumns(rows), options)).toStrictEqual(numberOfFactors(rows, options));
    });
  }

  it('columnCorrelationMatrix is correlation on column-stored data, bit for bit', () => {
    const { length, columns } = readerColumns(rows);
    for (const missing of ['listwise', 'pairwise'] as const) {
      expect(columnCorrelationMatrix(columns, length, { missing })).toStrictEqual(correlation(rows, { missing }));
    }
  });

  it('too few complete rows is an input error on columns as on rows', () => {
    const few = rows.slice(0, 2);
    expect(() => parallelAnalysis(readerColumns(few))).toThrow('the data have 2 usable rows; parallel analysis needs more.');
    expect(() => parallelAnalysis(few)).toThrow('the data have 2 usable rows; parallel analysis needs more.');
  });
});
