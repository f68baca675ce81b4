import { describe, expect, it } from 'vitest';
import { writeJson } from '../../cli/output.js';
import { LazyList } from '../../analysis/data/lazy_list.js';

const safe = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

describe('writeJson writes what JSON.stringify would, in pieces', () => {
  it('equals JSON.stringify with NaN as null, undefined keys left out and long arrays in batches', () => {
    const units = Array.from({ length: 4_321 }, (_, i) => ({ unit: `u${i}`, n: i, rwgj: i % 3 === 0 ? NaN : i / 7, drift: i % 2 ? undefined : -i, cells: [1, Infinity, i] }));
    const value = { baselineWave: 'W1', skipped: undefined, n: NaN, units, long: Array.from({ length: 5_000 }, (_, i) => (i % 9 === 0 ? undefined : i)), nested: { a: [1, 2], b: null } };
    const pieces: string[] = [];
    writeJson(value, (t) => pieces.push(t));
    expect(pieces.length).toBeGreaterThan(6);
    expect(pieces.join('')).toBe(JSON.stringify(value, safe));
  });

  it('writes a LazyList as the array of its elements, each built once and in order, as JSON.stringify does through toJSON', () => {
    const built: number[] = [];
    const make = (i: number) => {
      built.push(i);
      return { unit: `u${i}`, rwgj: i % 4 === 0 ? NaN : i / 3, skip: undefined };
    };
    const value = { n: 3, units: new LazyList(2_345, make), few: new LazyList(2, (i) => [i]), empty: new LazyList(0, make), after: 'x' };
    const expected = JSON.stringify(value, safe);
    built.length = 0;
    const pieces: string[] = [];
    writeJson(value, (t) => pieces.push(t));
    expect(pieces.join('')).toBe(expected);
    expect(built).toEqual(Array.from({ length: 2_345 }, (_, i) => i));
    expect(expected).toContain('"units":[{"unit":"u0","rwgj":null},{"unit":"u1","rwgj":0.3333333333333333}');
    expect(expected).toContain('"few":[[0],[1]],"empty":[],"after":"x"');
  });
});
