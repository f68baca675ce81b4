import { describe, expect, it } from 'vitest';
import { itemRetention } from '../../analysis/index.js';
import { seici } from '../helpers/cli.js';
import { Prng } from '../../analysis/math/random.js';

describe('itemRetention', () => {
  const items = ['clean', 'weak', 'cross', 'lowH2', 'negative'];
  const loadings = [
    [0.72, 0.05, -0.1],
    [0.31, 0.12, 0.02],
    [0.48, 0.41, 0.0],
    [0.41, 0.02, 0.01],
    [0.03, -0.65, 0.1],
  ];
  const h2 = [0.55, 0.12, 0.45, 0.17, 0.44];
  const t = itemRetention(items, loadings, h2);

  it('keeps an item with a strong, clean primary loading', () => {
    expect(t[0]).toMatchObject({ item: 'clean', verdict: 'keep', primaryFactor: 1, crossFactor: 3 });
    expect(t[0].gap).toBeCloseTo(0.62, 12);
  });
  it('drops an item whose largest loading is below .40', () => {
    expect(t[1].verdict).toBe('drop');
    expect(t[1].reason).toMatch(/below 0.40/);
  });
  it('asks to revise a cross-loading item, naming both factors', () => {
    expect(t[2].verdict).toBe('revise');
    expect(t[2].reason).toMatch(/factor 1 .* factor 2/);
  });
  it('asks to revise an item the factors explain little of', () => {
    expect(t[3].verdict).toBe('revise');
    expect(t[3].reason).toMatch(/communality 0.170/);
  });
  it('judges negative loadings by their size', () => {
    expect(t[4]).toMatchObject({ verdict: 'keep', primaryFactor: 2, primaryLoading: -0.65 });
  });
  it('names the factors a stable sort by decreasing |loading| puts first and second, ties to the earlier factor', () => {
    const rng = new Prng(7);
    // loadings on a coarse grid, so that equal sizes (and equal sizes of opposite sign) are common
    const rows = Array.from({ length: 400 }, (_, i) => Array.from({ length: 1 + (i % 6) }, () => Math.round(8 * rng.uniform() - 4) / 10));
    const got = itemRetention(rows.map((_, i) => `i${i}`), rows, rows.map(() => 0.5));
    rows.forEach((row, i) => {
      const order = row.map((_, j) => j).sort((a, b) => Math.abs(row[b]) - Math.abs(row[a]));
      expect([got[i].primaryFactor, got[i].crossFactor]).toEqual([order[0] + 1, order.length > 1 ? order[1] + 1 : null]);
    });
  });

  it('accepts other cut-offs', () => {
    expect(itemRetention(items, loadings, h2, { minLoading: 0.3, minGap: 0.1, minCommunality: 0.1 }).map((r) => r.verdict)).toEqual(['keep', 'keep', 'revise', 'keep', 'keep']);
  });
});

describe('seici factors', () => {
  const args = ['factors', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3,x4,x5,x6,x7,x8,x9', '--iterations', '10', '--seed', '4', '--json'];
  it('reports parallel analysis, MAP and retention, reproducibly for a seed', () => {
    const a = seici(args);
    expect(a.status, a.stderr).toBe(0);
    expect(a.json.n).toBe(301);
    expect(a.json.parallel.eigenvalues).toHaveLength(9);
    expect(a.json.parallel.nfactors).toBeGreaterThanOrEqual(2);
    expect(a.json.map.values.length).toBe(8);
    expect(a.json.retention).toHaveLength(9);
    const b = seici(args);
    expect(b.json.parallel.resampled).toEqual(a.json.parallel.resampled);
  });
  it('--mean compares with mean random eigenvalues; bad flags exit 2 with one line', () => {
    const m = seici([...args, '--mean']);
    expect(m.status).toBe(0);
    expect(m.json.parallel.quantile).toBeNull();
    const bad = seici(['factors', '--csv', 'hs1939.csv', '--items', 'x1,x2,x3', '--iterations', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--iterations');
  });
  it('prints a readable table', () => {
    const r = seici(args.filter((a) => a !== '--json'));
    expect(r.stdout).toContain("Velicer's MAP");
    expect(r.stdout).toContain('item retention');
  });
});
