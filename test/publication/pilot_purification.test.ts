import { describe, expect, it } from 'vitest';
import { pilotPurification, simulatePanel } from '../../analysis/index.js';
import { PLANTED_PILOT as PLANTED } from '../helpers/planted_panel.js';
import type { Cell } from '../../instrument/model.js';

describe('pilotPurification on a seici simulate panel with three planted bad items', () => {
  it('marks exactly the three planted items, each for its planted reason, and keeps the rest', () => {
    const p = simulatePanel(PLANTED, 11);
    const started = Date.now();
    const r = pilotPurification({
      scaleMin: 1,
      scaleMax: 7,
      items: p.items.map((id) => ({ id, cell: p.map.items[id].cell as Cell, reverse: p.map.items[id].reverse ?? false })),
      rows: p.answers.map((row) => [...row]),
      contexts: p.context,
      seed: 1,
    });
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
    expect(r.validity).toHaveLength(3);
    console.log(`pilot purification of ${r.n} respondents × 72 items: ${seconds.toFixed(1)} s`);
  }, 300_000);
});
