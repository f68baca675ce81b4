import { describe, expect, it } from 'vitest';
import { writeJson } from '../../cli/output.js';

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
});
