import { describe, expect, it } from 'vitest';
import { InputError, keyItems, prepareItemSet } from '../../analysis/index.js';

const items = ['a', 'b', 'c'];
// Column c is the only one reaching 7, in a row that listwise deletion drops.
const data = [
  [1, 2, 3],
  [2, 3, 4],
  [5, 4, 3],
  [6, NaN, 7],
];

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('keyItems', () => {
  it('reverse-keys on the range over every row and item, before listwise deletion (as psych::alpha)', () => {
    const k = keyItems(data, { items, reverse: ['a'] });
    expect(k.scale).toEqual({ min: 1, max: 7, source: 'observed' });
    expect(k.data.map((r) => r[0])).toEqual([7, 6, 3, 2]);
    const set = prepareItemSet(data, { items, reverse: ['a'] });
    expect(set.n).toBe(3);
    expect(Array.from(set.data.columns[0])).toEqual([7, 6, 3]);
  });

  it('uses stated bounds, and one stated bound with the other observed', () => {
    expect(keyItems(data, { items, reverse: ['b'], scaleMin: 0, scaleMax: 10 }).data.map((r) => r[1])).toEqual([8, 7, 6, NaN]);
    const mixed = keyItems(data, { items, reverse: ['b'], scaleMin: 0 });
    expect(mixed.scale).toEqual({ min: 0, max: 7, source: 'mixed' });
    expect(mixed.data[0][1]).toBe(5);
  });

  it('leaves the data alone without reverse items and keeps missing values missing', () => {
    const k = keyItems(data, { items });
    expect(k.data).toEqual(data);
    expect(k.data).not.toBe(data);
    expect(Number.isNaN(keyItems(data, { items, reverse: ['b'] }).data[3][1])).toBe(true);
  });

  it('rejects a reverse item that is not an item, a bound the data cross, an empty range', () => {
    expect(inputError(() => keyItems(data, { items, reverse: ['z'] })).argument).toBe('reverse');
    const above = inputError(() => keyItems(data, { items, scaleMin: 1, scaleMax: 6 }));
    expect(above.argument).toBe('scaleMax');
    expect(above.message).toBe('row 4, column c: 7 is above the scale maximum (6).');
    expect(inputError(() => keyItems(data, { items, scaleMin: 2 })).message).toBe('row 1, column a: 1 is below the scale minimum (2).');
    expect(inputError(() => keyItems(data, { items, scaleMin: 5, scaleMax: 5 })).argument).toBe('scaleMax');
    expect(inputError(() => keyItems([[NaN, NaN, NaN]], { items, reverse: ['a'] })).argument).toBe('data');
  });
});

describe('prepareItemSet', () => {
  it('needs two items, two complete rows, and items that vary', () => {
    expect(inputError(() => prepareItemSet([[1], [2]], { items: ['a'] })).message).toBe('items must name at least 2 columns; got 1.');
    expect(inputError(() => prepareItemSet([[1, 2], [NaN, 3]], { items: ['a', 'b'] })).message).toMatch(/only 1 row answers every item/);
    expect(inputError(() => prepareItemSet([[1, 2], [1, 3], [1, 4]], { items: ['a', 'b'] })).message).toBe(
      'item a has no variance (every answer is 1); leave it out.',
    );
  });

  it('pairwise: uses every row, rescales the pairwise covariances to correlations, reports the smallest pair count', () => {
    const set = prepareItemSet(data, { items, missing: 'pairwise' });
    expect(set.data).toHaveLength(4);
    expect(set.nRows).toBe(4);
    expect(set.n).toBe(3);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        expect(set.cor[a][b]).toBeCloseTo(set.cov[a][b] / Math.sqrt(set.cov[a][a] * set.cov[b][b]), 12);
      }
    }
  });
});
