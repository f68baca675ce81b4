import { describe, expect, it } from 'vitest';
import { CELLS } from '../../instrument/model.js';
import { fitSem, InputError, parseModelSyntax, seiModelSyntax, simulatePanel } from '../../analysis/index.js';

const itemsOf = (k: number) => CELLS.flatMap((cell) => Array.from({ length: k }, (_, i) => ({ item: `${cell}_${i + 1}`, cell })));

describe('seiModelSyntax', () => {
  it('writes nine cell factors, second-order dimensions and levers, and a bifactor model', () => {
    const items = itemsOf(3);
    const cells = parseModelSyntax(seiModelSyntax(items, 'cells'));
    expect(cells.map((s) => s.lhs[0])).toEqual([...CELLS]);
    const dims = parseModelSyntax(seiModelSyntax(items, 'dimensions'));
    expect(dims.slice(9).map((s) => `${s.lhs[0]}=${s.rhs.map((t) => t.name).join('+')}`)).toEqual([
      'structural=SxA+SxC+SxV',
      'relational=RxA+RxC+RxV',
      'translational=TxA+TxC+TxV',
    ]);
    const levers = parseModelSyntax(seiModelSyntax(items, 'levers'));
    expect(levers.slice(9).map((s) => s.lhs[0])).toEqual(['accountability', 'communication', 'visibility']);
    const bi = parseModelSyntax(seiModelSyntax(items, 'bifactor'));
    expect(bi[0].rhs).toHaveLength(27);
    const zeroCovariances = bi.filter((s) => s.op === '~~').flatMap((s) => s.rhs);
    expect(zeroCovariances).toHaveLength((10 * 9) / 2);
    expect(zeroCovariances.every((t) => t.modifiers[0].fixed === 0)).toBe(true);
  });
  it('rejects a cell with a single item and an unknown cell', () => {
    expect(() => seiModelSyntax([...itemsOf(2), { item: 'extra', cell: 'SxA' as const }].filter((i) => i.cell !== 'RxC' || i.item === 'RxC_1'))).toThrow(
      /cell RxC has one item \(RxC_1\)/,
    );
    expect(() => seiModelSyntax([{ item: 'q1', cell: 'QxZ' as never }])).toThrow(InputError);
  });
});

describe('parameter recovery on simulated SEI-CI data', () => {
  // Nearly continuous answers (1..1001), so that standardized loadings equal the generating ones.
  const loadings = [0.8, 0.7, 0.6, 0.5];
  const sim = simulatePanel(
    { contexts: ['A'], unitsPerContext: 250, unitSize: { mean: 8, min: 8, max: 8 }, waves: ['W1'], itemsPerCell: 4, reverseItems: [], scaleMin: 1, scaleMax: 1001, icc1: 0, loadings },
    31,
  );
  const data = { columns: sim.items, rows: sim.answers };
  const items = sim.truth.items.map((i) => ({ item: i.id, cell: i.cell }));

  it('the nine-cell model returns the generating loadings and cell correlations', () => {
    const r = fitSem(data, seiModelSyntax(items, 'cells'));
    expect(r.converged).toBe(true);
    expect(r.n).toBe(2000);
    for (const t of sim.truth.items) {
      const e = r.estimates.find((x) => x.op === '=~' && x.rhs === t.id)!;
      expect(Math.abs(e.std - t.loading), `${t.id}: ${e.std} vs ${t.loading}`).toBeLessThan(0.06);
    }
    const phi = sim.truth.spec.cellCorrelation;
    for (let i = 0; i < 9; i++)
      for (let j = i + 1; j < 9; j++) {
        const e = r.estimates.find((x) => x.op === '~~' && x.lhs === CELLS[i] && x.rhs === CELLS[j])!;
        expect(Math.abs(e.std - phi[i][j]), `${CELLS[i]}~~${CELLS[j]}`).toBeLessThan(0.08);
      }
    // the model is the true one: the chi-square test does not reject it
    expect(r.fit.pvalue).toBeGreaterThan(0.001);
    expect(r.fit.rmsea).toBeLessThan(0.02);
  });

  it('second-order and bifactor models converge on the same data', () => {
    for (const kind of ['dimensions', 'levers', 'bifactor'] as const) {
      const r = fitSem(data, seiModelSyntax(items, kind));
      expect(r.converged, kind).toBe(true);
      expect(r.fit.df, kind).toBeGreaterThan(0);
    }
  });
});
