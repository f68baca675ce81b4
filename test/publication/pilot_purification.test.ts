import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSkipped, NINE_CELL_MODEL, pilotPurification, reverseKey, simulatePanel, type FitRow, type PilotValidity } from '../../analysis/index.js';
import { PLANTED_PILOT as PLANTED } from '../helpers/planted_panel.js';
import { FIXTURES } from '../helpers/cli.js';
import type { Cell } from '../../instrument/model.js';

// lavaan's nine-cell CFA (missing = "ml") and semTools::htmt on the planted panel: test/fixtures/r/pilot-nine-cell.R
const lavaan = JSON.parse(readFileSync(resolve(FIXTURES, 'r/pilot-nine-cell.json'), 'utf8'));

/** The pilot analysis of a simulated panel on the 1–7 scale, seed 1. */
function purify(p: ReturnType<typeof simulatePanel>) {
  return pilotPurification({
    scaleMin: 1,
    scaleMax: 7,
    items: p.items.map((id) => ({ id, cell: p.map.items[id].cell as Cell, reverse: p.map.items[id].reverse ?? false })),
    rows: p.answers.map((row) => [...row]),
    contexts: p.context,
    seed: 1,
  });
}

describe('pilotPurification on a seici simulate panel with three planted bad items', () => {
  it('the committed CSV of the R oracle is the planted panel, reverse-keyed', () => {
    const p = simulatePanel(PLANTED, 11);
    const keyed = reverseKey(p.answers.map((row) => [...row]), p.items.flatMap((id, j) => (p.map.items[id].reverse ? [j] : [])), { min: 1, max: 7 });
    const [header, ...lines] = readFileSync(resolve(FIXTURES, 'r/pilot-nine-cell.csv'), 'utf8').trim().split('\n');
    expect(header.split(',')).toEqual(p.items);
    expect(lines.map((l) => l.split(',').map(Number))).toEqual(keyed);
  });

  it('marks exactly the three planted items, each for its planted reason, and keeps the rest', () => {
    const p = simulatePanel(PLANTED, 11);
    const started = Date.now();
    const r = purify(p);
    const seconds = (Date.now() - started) / 1000;
    const by = Object.fromEntries(r.items.map((i) => [i.item, i]));
    expect(r.warnings).toEqual([]);
    expect([...r.flagged].sort(), JSON.stringify(r.items.filter((i) => i.verdict !== 'keep').map((i) => [i.item, i.reasons]))).toEqual(['RxC_5', 'SxA_3', 'TxA_2']);
    expect(by.SxA_3.flags).toContain('wrong-cell');
    expect(by.SxA_3.statistics.nearestOtherCell).toBe('TxV');
    expect(by.SxA_3.verdict).toBe('drop');
    expect(by.RxC_5.flags).toContain('low-loading');
    expect(by.RxC_5.statistics.loading!).toBeLessThan(0.3);
    expect(by.RxC_5.verdict).toBe('drop');
    expect(by.TxA_2.flags).toEqual(['non-invariant']);
    expect(by.TxA_2.statistics.nonInvariant).toEqual(['TxA_2~1']);
    expect(by.TxA_2.verdict).toBe('revise');
    expect(by.TxA_2.reasons[0]).toMatch(/intercept differs across contexts \(north, south\)/);
    // The kept items pass every rule with room to spare.
    for (const i of r.items.filter((x) => x.verdict === 'keep')) {
      expect(i.statistics.loading!).toBeGreaterThan(0.5);
      expect(i.statistics.ownCellR!).toBeGreaterThan(i.statistics.nearestOtherCellR!);
    }
    // The verdicts read the nine-cell model (402 ≥ 5 × 72): its fit and loadings equal lavaan's, and every
    // item's loading is its std.all on its own cell factor in that model.
    expect(r.measurementModel.model).toBe('nine-cell');
    const nine = r.measurementModel.fit as FitRow;
    expect(nine).toBe(r.steps.cfa.find((f) => f.model === NINE_CELL_MODEL));
    expect(nine.n).toBe(lavaan.n);
    expect(nine.converged).toBe(true);
    expect(nine.df).toBe(lavaan.fit.df);
    for (const key of ['chisq', 'cfi', 'tli', 'rmsea', 'rmseaLower', 'rmseaUpper', 'srmr', 'pvalue'] as const) {
      const tolerance = key === 'chisq' ? 1e-3 * lavaan.fit.chisq : 1e-3;
      expect(Math.abs((nine[key] as number) - lavaan.fit[key]), key).toBeLessThan(tolerance);
    }
    expect(nine.loadings).toHaveLength(72);
    for (const l of lavaan.loadings as { factor: string; item: string; std: number }[]) {
      const ours = nine.loadings!.find((x) => x.item === l.item && x.factor === l.factor)!;
      expect(Math.abs(ours.std - l.std), l.item).toBeLessThan(1e-3);
      expect(by[l.item].statistics.loading, l.item).toBe(ours.std);
    }
    // AVE, CR and HTMT of the nine cells from the same model (one validity entry, 9 factors, 36 pairs)
    expect(r.validity).toHaveLength(1);
    const v = r.validity[0] as PilotValidity;
    expect(isSkipped(v) || 'error' in v).toBe(false);
    expect(v.dimension).toBe(NINE_CELL_MODEL);
    for (const f of lavaan.factors as { factor: string; ave: number; cr: number }[]) {
      const ours = v.factors.find((x) => x.factor === f.factor)!;
      expect(Math.abs(ours.ave - f.ave), f.factor).toBeLessThan(1e-3);
      expect(Math.abs(ours.cr - f.cr), f.factor).toBeLessThan(1e-3);
    }
    expect(v.htmt).toHaveLength(36);
    for (const h of lavaan.htmt as { a: string; b: string; value: number }[]) {
      const ours = v.htmt.find((x) => x.a === h.a && x.b === h.b)!;
      expect(Math.abs(ours.value - h.value), `${h.a}-${h.b}`).toBeLessThan(1e-6);
    }
    console.log(`pilot purification of ${r.n} respondents × 72 items: ${seconds.toFixed(1)} s`);
  }, 300_000);

  it('flags an item whose cell is below α/ω .70 and whose removal raises the cell α, and no item of a reliable cell', () => {
    // 100 respondents in one context: the EFA and CFA are below their minimum samples (skipped, said so),
    // reliability and item statistics run. SxC's items load .35 (α ≈ .5), SxC_8 hardly at all (.01).
    const p = simulatePanel({ contexts: ['north'], unitsPerContext: 10, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['W1'], loadings: { SxC: [0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.01] } }, 5);
    const r = purify(p);
    expect(r.n).toBe(100);
    expect(r.warnings.some((w) => /EFA/.test(w))).toBe(true);
    // 100 < 5 × 72: the nine-cell model is not fitted, and the run says which models it used instead
    expect(r.measurementModel.model).toBe('per-dimension');
    expect(r.measurementModel.reason).toBe('The CFA of SEI-CI: nine correlated cell factors needs at least 5 respondents per item and at least 100 (72 items: n ≥ 360); this sample has 100. The loadings and AVE/CR/HTMT come from the CFA of each dimension (three correlated cell factors) instead.');
    expect(r.warnings).toContain(r.measurementModel.reason);
    expect(r.steps.cfa[0]).toMatchObject({ model: NINE_CELL_MODEL, skipped: true, minimum: 360, n: 100 });
    const flagged = r.items.filter((i) => i.flags.includes('cell-reliability'));
    expect(flagged.map((i) => i.item)).toContain('SxC_8');
    for (const i of r.items) {
      const s = i.statistics;
      const rule = ((s.cellAlpha !== null && s.cellAlpha < 0.7) || (s.cellOmega !== null && s.cellOmega < 0.7)) && s.alphaIfDropped! > s.cellAlpha!;
      expect(i.flags.includes('cell-reliability'), i.item).toBe(rule);
      if (i.cell !== 'SxC') expect(s.cellAlpha!, i.item).toBeGreaterThan(0.7);
    }
    const sxc8 = r.items.find((i) => i.item === 'SxC_8')!;
    expect(sxc8.statistics.cellAlpha!).toBeLessThan(0.7);
    // revise for its cell's reliability; a drop only where a drop rule also applies (a noise item may correlate more with another cell)
    expect(sxc8.verdict).not.toBe('keep');
    if (sxc8.verdict === 'drop') expect(sxc8.flags.some((f) => f === 'wrong-cell' || f === 'low-loading')).toBe(true);
    expect(sxc8.reasons.join('; ')).toMatch(/its cell SxC has α = 0\.\d+ and ω = 0\.\d+ \(the target is 0\.7\), and without it α would rise to 0\.\d+/);
  }, 120_000);
});
