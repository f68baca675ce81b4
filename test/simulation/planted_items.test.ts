import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneWayIcc, simulatePanel, InputError } from '../../analysis/index.js';
import { seici } from '../helpers/cli.js';

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const column = (p: ReturnType<typeof simulatePanel>, id: string) => p.answers.map((r) => r[p.items.indexOf(id)]);
const cellMean = (p: ReturnType<typeof simulatePanel>, cell: string, except: string) => {
  const cols = p.items.flatMap((id, j) => (id.startsWith(`${cell}_`) && id !== except && !p.map.items[id].reverse ? [j] : []));
  return p.answers.map((r) => cols.reduce((a, j) => a + r[j], 0) / cols.length);
};

describe('simulatePanel: planted misplaced items and item-level unit variance', () => {
  it('a misplaced item correlates with the cell it was planted in, not with its own', () => {
    const p = simulatePanel({ contexts: ['A'], unitsPerContext: 30, unitSize: { mean: 10 }, waves: ['W1'], misplaced: [{ item: 'SxA_3', cell: 'TxV' }] }, 5);
    expect(p.truth.items.find((i) => i.id === 'SxA_3')!.loadsOn).toBe('TxV');
    expect(p.truth.items.find((i) => i.id === 'SxA_2')!.loadsOn).toBe('SxA');
    const misplaced = column(p, 'SxA_3');
    const own = pearson(misplaced, cellMean(p, 'SxA', 'SxA_3'));
    const target = pearson(misplaced, cellMean(p, 'TxV', ''));
    // Population values: own ≈ .7·.3·.96 ≈ .20 (SxA and TxV share neither dimension nor lever), target ≈ .7·.96 ≈ .67.
    expect(target).toBeGreaterThan(0.55);
    expect(own).toBeLessThan(0.35);
    const normal = pearson(column(p, 'SxA_2'), cellMean(p, 'SxA', 'SxA_2'));
    expect(normal).toBeGreaterThan(0.55);
  });

  it('itemIcc adds unit variance to the items beyond their cell factors (and nothing when 0)', () => {
    const spec = { contexts: ['A'], unitsPerContext: 60, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['W1'], icc1: 0 };
    const members = (p: ReturnType<typeof simulatePanel>) => {
      const byUnit = new Map<string, number[]>();
      p.unit.forEach((u, i) => byUnit.set(u, [...(byUnit.get(u) ?? []), i]));
      return [...byUnit.values()];
    };
    const iccOf = (p: ReturnType<typeof simulatePanel>) => {
      const icc = p.items.filter((id) => !p.map.items[id].reverse).map((id) => oneWayIcc(column(p, id), members(p)).icc1);
      return icc.reduce((a, b) => a + b, 0) / icc.length;
    };
    const none = simulatePanel(spec, 3);
    const some = simulatePanel({ ...spec, itemIcc: 0.4 }, 3);
    // Expected item ICC(1) with icc1 = 0: itemIcc·(1 − λ²)/(1 + rounding) ≈ .4·.51/1.06 ≈ .19.
    expect(Math.abs(iccOf(none))).toBeLessThan(0.03);
    expect(iccOf(some)).toBeGreaterThan(0.14);
    expect(iccOf(some)).toBeLessThan(0.25);
    // The cell score's: itemIcc·Σ(1 − λ²)/k² / (λ̄² + Σ(1 − λ²)/k² + 1/(12·spread²·k)) with λ = .7, k = 8, spread 1.2.
    const unique = (8 * 0.51) / 64;
    expect(some.truth.expectedCellScoreIcc1.SxA).toBeCloseTo((0.4 * unique) / (0.49 + unique + 1 / (12 * 1.44 * 8)), 12);
  });

  it('refuses a misplaced item in its own cell or an unknown item, naming the field', () => {
    expect(() => simulatePanel({ misplaced: [{ item: 'SxA_3', cell: 'SxA' }] })).toThrow(/misplaced\[0\]\.cell is the item's own cell/);
    expect(() => simulatePanel({ misplaced: [{ item: 'SxA_99', cell: 'RxC' }] })).toThrow(InputError);
    expect(() => simulatePanel({ itemIcc: 1 })).toThrow(/itemIcc must be below 1/);
  });

  it('seici simulate --misplaced and --item-icc plant them from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-planted-'));
    const out = seici(['simulate', '--seed', '2', '--units-per-context', '3', '--waves', 'W1', '--misplaced', 'SxA_3=RxC', '--item-icc', '0.2', '--truth', '--out', dir, '--json']);
    expect(out.status, out.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    expect(truth.spec.misplaced).toEqual([{ item: 'SxA_3', cell: 'RxC' }]);
    expect(truth.spec.itemIcc).toBe(0.2);
    const bad = seici(['simulate', '--misplaced', 'SxA_3', '--out', dir, '--json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--misplaced takes ITEM=CELL pairs/);
  });
});
