import { describe, expect, it } from 'vitest';
import { measurementInvariance, seiModelSyntax, simulatePanel } from '../../analysis/index.js';

describe('measurement invariance on simulated contexts', () => {
  const shifted = ['SxA_2', 'RxC_3'];
  const sim = simulatePanel(
    {
      contexts: ['A', 'B', 'C'],
      unitsPerContext: 30,
      unitSize: { mean: 10, min: 10, max: 10 },
      waves: ['W1'],
      itemsPerCell: 4,
      reverseItems: [],
      scaleMin: 1,
      scaleMax: 7,
      icc1: 0,
      nonInvariance: [{ context: 'B', items: shifted, intercept: 0.8 }],
    },
    5,
  );
  const data = { columns: sim.items, rows: sim.answers, groups: sim.context };
  const model = seiModelSyntax(
    sim.truth.items.map((i) => ({ item: i.id, cell: i.cell })),
    'cells',
  );

  it('an intercept shift in one context fails scalar invariance; partial invariance frees exactly the shifted items', () => {
    const r = measurementInvariance(data, model, { levels: ['configural', 'metric', 'scalar'], partial: true });
    expect(r.groups).toEqual(['A', 'B', 'C']);
    expect(r.comparisons[0].holds).toBe(true); // loadings are equal
    const scalar = r.partial!.find((p) => p.level === 'scalar')!;
    expect(scalar).toBeDefined();
    expect([...scalar.freed].sort()).toEqual(shifted.map((s) => `${s}~1`).sort());
    expect(scalar.holds).toBe(true);
    expect(r.models[2].freed).toEqual(scalar.freed);
    // the full scalar comparison (before release) is what failed
    expect(r.diagnostics.converged).toBe(true);
  });

  it('without the partial search, scalar invariance fails by Chen\'s criteria', () => {
    const r = measurementInvariance(data, model, { levels: ['metric', 'scalar'] });
    expect(r.comparisons[0].holds).toBe(false);
    expect(r.comparisons[0].dfDiff).toBe(2 * (36 - 9));
    expect(r.comparisons[0].p).toBeLessThan(1e-6);
  });
});

describe('seici simulate -> seici invariance --partial', () => {
  it('frees exactly the items simulated with an intercept shift', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { seici } = await import('../helpers/cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'seici-sem-'));
    const sim = seici(
      ['simulate', '--seed', '9', '--contexts', 'A,B,C', '--units-per-context', '30', '--unit-size', '10', '--waves', 'W1', '--items-per-cell', '4',
        '--icc1', '0', '--noninvariant-context', 'C', '--noninvariant-items', 'SxV_1,TxA_2', '--noninvariant-intercept', '0.8', '--out', dir],
      dir,
    );
    expect(sim.status, sim.stderr).toBe(0);
    const r = seici(['invariance', '--csv', 'panel.csv', '--sei-model', 'cells', '--map', 'map.json', '--group', 'context', '--levels', 'configural,metric,scalar', '--partial', '--json'], dir);
    expect(r.status, r.stderr).toBe(0);
    const scalar = r.json.partial.find((p: any) => p.level === 'scalar');
    expect([...scalar.freed].sort()).toEqual(['SxV_1~1', 'TxA_2~1']);
    expect(scalar.holds).toBe(true);
    expect(r.json.comparisons[0].holds).toBe(true);
  });
});
