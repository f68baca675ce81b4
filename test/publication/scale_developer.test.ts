import { describe, expect, it } from 'vitest';
import { scaleAnalysis } from '../../analysis/index.js';
import { ITEMS, seeded } from './fixtures.js';

describe('scaleAnalysis says small samples instead of computing them', () => {
  const random = seeded(11);
  const rows = (n: number) => Array.from({ length: n }, () => ITEMS.map(() => 1 + Math.floor(random() * 7)));

  it('skips reliability below 30, EFA and parallel analysis below 5 per item, CFA and invariance below their minimum, with the reason', () => {
    const n = 20;
    const a = scaleAnalysis({ scaleMin: 1, scaleMax: 7, items: ITEMS, rows: rows(n), contexts: Array.from({ length: n }, (_, i) => (i % 2 ? 'de' : 'en')), seed: 1 });
    expect(a.reliability.every((r) => r.alpha === null && r.skipped === `Reliability of ${r.scale} needs at least 30 respondents; this sample has 20.`)).toBe(true);
    // Item statistics stay (means, SDs), without alpha-if-dropped.
    expect(a.items).toHaveLength(72);
    expect(a.items.every((i) => Number.isNaN(i.alphaIfDropped))).toBe(true);
    expect(a.efa).toEqual({ skipped: true, reason: 'The EFA and parallel analysis needs at least 5 respondents per item and at least 100 (72 items: n ≥ 360); this sample has 20.', minimum: 360, n: 20 });
    expect(a.parallel).toMatchObject({ skipped: true, minimum: 360 });
    expect(a.cfa).toHaveLength(3);
    for (const c of a.cfa) expect(c).toMatchObject({ skipped: true, minimum: 120, n: 20 });
    for (const t of a.invariance) expect(t).toMatchObject({ skipped: true, minimum: 120, n: 10 });
    expect(a.requirements.map((r) => r.minimum)).toEqual([30, 360, 120, 120, 120, 120, 120, 120]);
  });
});
