import { describe, expect, it } from 'vitest';
import { bartlettSphericity, extractFactors, itemRetention } from '../../analysis/index.js';
import { guardEfa } from '../../analysis/publication/efa_guards.js';

// Three variables whose correlations force the first one's communality above 1 (minres gives it a loading of 1.02)
// (r12·r13 / r23 = 1.2): the one-factor solution is a Heywood case.
const heywoodR = [
  [1, 0.9, 0.8],
  [0.9, 1, 0.6],
  [0.8, 0.6, 1],
];
const items = ['x1', 'x2', 'x3'];

describe('the EFA guards of the scale-developer analyses', () => {
  it('never marks an item with a loading beyond ±1 as keep', () => {
    const f = extractFactors(heywoodR, 1, { method: 'minres' }); // as the scale-developer EFA
    const loadings = f.loadings.map((row) => [...row]);
    const communalities = loadings.map((row) => row.reduce((s, l) => s + l * l, 0));
    const retention = itemRetention(items, loadings, communalities);
    // the unguarded table keeps the improper item: that is what the guard is for
    const improper = retention.findIndex((_, i) => Math.abs(loadings[i][0]) > 1 || communalities[i] > 1);
    expect(improper).toBeGreaterThanOrEqual(0);
    expect(retention[improper].verdict).toBe('keep');

    const guarded = guardEfa(Object.fromEntries(items.map((id, i) => [id, loadings[i]])), retention, bartlettSphericity(heywoodR, 200));
    expect(guarded.retention[improper].heywood).toBe(true);
    expect(guarded.retention[improper].verdict).toBe('revise');
    expect(guarded.retention[improper].reason).toMatch(/^Heywood case: a loading or the communality lies beyond ±1/);
    // proper items keep their verdicts
    for (let i = 0; i < items.length; i++) if (i !== improper) expect(guarded.retention[i]).toMatchObject({ heywood: false, verdict: retention[i].verdict, reason: retention[i].reason });
  });

  it('does not report a negative Bartlett χ² and says why', () => {
    // n − 1 − (2p + 5)/6 < 0 for p = 3 items and n = 2 respondents: the statistic turns negative
    const small = bartlettSphericity(heywoodR, 2);
    expect(small.chisq).toBeLessThan(0);
    const guarded = guardEfa({}, [], small);
    expect(guarded.bartlett).toBeNull();
    expect(guarded.warnings).toEqual(['Bartlett\'s χ² came out negative (the sample is too small for the number of items), so the test is not reported.']);

    const usual = bartlettSphericity(heywoodR, 200);
    expect(usual.chisq).toBeGreaterThan(0);
    expect(guardEfa({}, [], usual)).toEqual({ retention: [], bartlett: usual, warnings: [] });
  });
});
