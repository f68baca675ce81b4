import { describe, expect, it } from 'vitest';
import { crossVersionComparison, driftJustification, languageComparison, publishWave, simulatePanel, waveComparison, type ComparedWave, type PanelSpec, type WavePublicationInput } from '../../analysis/index.js';
import type { Cell } from '../../instrument/model.js';

type Panel = ReturnType<typeof simulatePanel>;

/** A wave's publication input from a simulated panel (1–7 scale, k = 5), one wave labelled `label`; units have no context. */
function waveInput(p: Panel, label: string): WavePublicationInput {
  const units = [...new Set(p.unit)];
  return {
    scaleMin: 1,
    scaleMax: 7,
    items: p.items.map((id) => ({ id, cell: p.map.items[id].cell as Cell, reverse: p.map.items[id].reverse ?? false })),
    units: units.map((key) => ({ key, parentKey: null, context: null })),
    waves: [{ label, minGroupSize: 5, answerSets: p.answers.map((row, r) => ({ unitKey: p.unit[r], answers: Object.fromEntries(p.items.map((id, j) => [id, row[j]])) })) }],
  };
}

function comparedWave(p: Panel, label: string): ComparedWave {
  const input = waveInput(p, label);
  const publication = publishWave(input);
  const version = { version: 'v1', items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])) };
  return { label, name: `W${label}`, version, wave: input.waves[0], publication };
}

// Two language groups of 13 units × 10 respondents (130 each, above the 120 that 24 items need).
const LANGUAGES: PanelSpec = { contexts: ['en', 'de'], unitsPerContext: 13, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['W1'] };
// One organisation of 26 units × 10 respondents per wave.
const WAVE: PanelSpec = { contexts: ['org'], unitsPerContext: 26, unitSize: { mean: 10, min: 10, max: 10 }, waves: ['W'] };

describe('the invariance gate across languages', () => {
  it('flips only the means verdict, for the dimension of the one item whose German translation reads +1 SD', () => {
    const p = simulatePanel({ ...LANGUAGES, nonInvariance: [{ context: 'de', items: ['RxC_3'], intercept: 1 }] }, 3);
    const input = waveInput(p, '1');
    // Three English answer sets are relabelled French: a locale below k, neither tested nor named.
    const locales = p.context.map((c, r) => (r < 3 ? 'fr' : c));
    const g = languageComparison(input, publishWave(input), locales)!;
    expect(g.locales).toEqual(['de', 'en']);
    expect(g.othersTooFew).toBe(true);
    expect(g.untested).toEqual([]);
    expect(g.statement).not.toMatch(/fr\b/);
    expect(g.statement).toMatch(/Answers in other languages are too few to test or to name\./);
    const by = Object.fromEntries(g.equivalence.map((e) => [e.dimension, e]));
    expect(by.Structural.holds).toBe('scalar');
    expect(by.Translational.holds).toBe('scalar');
    expect(by.Relational.holds, by.Relational.note).toBe('metric');
    expect(by.Relational.partial.find((x) => x.level === 'scalar')).toEqual({ level: 'scalar', freed: ['RxC_3~1'], holds: true });
    expect(g.meansAcrossLanguages).toBe(false);
    expect(g.relationsAcrossLanguages).toBe(true);
    expect(g.statement).toMatch(/^Means compare across languages \(de, en\): no \(Relational: scalar invariance fails in full; scalar invariance holds only with RxC_3~1 released\)/);
    expect(g.statement).toMatch(/Relations compare across languages: yes/);
  }, 120_000);

  it('passes clean data, and is absent when every answer is in one language', () => {
    const p = simulatePanel(LANGUAGES, 3);
    const input = waveInput(p, '1');
    const publication = publishWave(input);
    const g = languageComparison(input, publication, p.context)!;
    expect(g.equivalence.map((e) => e.holds)).toEqual(['scalar', 'scalar', 'scalar']);
    expect(g.meansAcrossLanguages).toBe(true);
    expect(g.relationsAcrossLanguages).toBe(true);
    expect(g.othersTooFew).toBe(false);
    expect(languageComparison(input, publication, p.context.map(() => 'en'))).toBeNull();
    // One language with enough respondents and one between k and the check's minimum: named, not tested, no verdict.
    const few = p.context.map((c, r) => (c === 'de' && r % 10 !== 0 ? 'en' : c));
    const h = languageComparison(input, publication, few)!;
    expect(h.locales).toEqual(['en']);
    expect(h.untested).toEqual(['de']);
    expect(h.meansAcrossLanguages).toBeNull();
    expect(h.statement).toMatch(/Answers in de are too few for the check \(it needs 120 respondents per language\)/);
    expect(h.statement).not.toMatch(/\b13\b/);
  }, 120_000);

  it('names the argument when the locales do not match the answer sets', () => {
    const p = simulatePanel({ ...LANGUAGES, unitsPerContext: 2 }, 3);
    const input = waveInput(p, '1');
    expect(() => languageComparison(input, publishWave(input), ['en'])).toThrow(/^locales must give one locale per answer set/);
  });
});

describe('driftJustification', () => {
  const pair = (from: string, to: string, meansAcrossWaves: boolean | null) => ({ from, fromName: from, to, toName: to, meansAcrossWaves });
  it('holds only when every pair since the baseline holds', () => {
    const chain = [pair('1', '2', false), pair('2', '3', true), pair('3', '4', true)];
    expect(driftJustification(chain, '1')).toBe(false);
    expect(driftJustification(chain, '2')).toBe(true);
    expect(driftJustification([pair('1', '2', true), pair('2', '3', null)], '1')).toBeNull();
    expect(driftJustification([pair('1', '2', null), pair('2', '3', false)], '1')).toBe(false);
    expect(driftJustification(chain, '9')).toBeNull();
    expect(driftJustification(chain, null)).toBeNull();
    // The baseline is the last wave (a new version starts its own drift): nothing is compared across waves.
    expect(driftJustification(chain, '4')).toBe(true);
  });
});

describe('the invariance gate across waves', () => {
  it('flips the means verdict when one item reads +1 SD in the later wave, and passes a clean pair', () => {
    const before = comparedWave(simulatePanel(WAVE, 21), '1');
    const planted = waveComparison({ scaleMin: 1, scaleMax: 7 }, before, comparedWave(simulatePanel({ ...WAVE, nonInvariance: [{ context: 'org', items: ['TxC_2'], intercept: 1 }] }, 22), '2'));
    const by = Object.fromEntries(planted.equivalence.map((e) => [e.dimension, e]));
    expect(by.Structural.holds).toBe('scalar');
    expect(by.Relational.holds).toBe('scalar');
    expect(by.Translational.holds, by.Translational.note).toBe('metric');
    expect(by.Translational.partial.find((x) => x.level === 'scalar')?.freed).toEqual(['TxC_2~1']);
    expect(planted.meansAcrossWaves).toBe(false);
    expect(planted.relationsAcrossWaves).toBe(true);
    expect(planted.items).toHaveLength(72);
    expect(planted.statement).toMatch(/^Changes since wave W1 \(drift, trends, score changes\) are not justified: Translational: scalar invariance fails in full; scalar invariance holds only with TxC_2~1 released \(tested on all 72 items\)/);

    expect(planted.chain).toEqual([{ from: '1', fromName: 'W1', to: '2', toName: 'W2', meansAcrossWaves: false }]);
    expect(planted.driftJustified).toBeNull(); // no baseline given

    // The clean pair, after an earlier pair (W0 → W1) that failed: the pair holds, drift since W0 does not.
    const earlierChain = [{ from: '0', fromName: 'W0', to: '1', toName: 'W1', meansAcrossWaves: false }];
    const clean = waveComparison({ scaleMin: 1, scaleMax: 7 }, before, comparedWave(simulatePanel(WAVE, 22), '2'), { earlierChain, baselineWave: '0' });
    expect(clean.equivalence.map((e) => e.holds)).toEqual(['scalar', 'scalar', 'scalar']);
    expect(clean.meansAcrossWaves).toBe(true);
    expect(clean.statement).toMatch(/are justified: scalar invariance holds across the two waves in every dimension, on all 72 items\. Drift since the baseline wave is still not justified: scalar invariance failed between waves W0 and W1\.$/);
    expect(clean.chain.map((p) => [p.from, p.to, p.meansAcrossWaves])).toEqual([['0', '1', false], ['1', '2', true]]);
    expect(clean.driftJustified).toBe(false);
    expect(driftJustification(clean.chain, '1')).toBe(true);
  }, 120_000);

  it('tests only the shared items across versions, and says when a wave is too small to check', () => {
    const before = comparedWave(simulatePanel(WAVE, 21), '1');
    const now = comparedWave(simulatePanel({ ...WAVE, nonInvariance: [{ context: 'org', items: ['TxC_2'], intercept: 1 }] }, 22), '2');
    // Version v2 retires TxC_2: the planted item is not shared, so the two waves compare on the other 71.
    const { TxC_2: _, ...kept } = now.version.items;
    const v2 = { ...now, version: { version: 'v2', items: kept } };
    const g = waveComparison({ scaleMin: 1, scaleMax: 7 }, before, v2);
    expect(g.items).toHaveLength(71);
    expect(g.items).not.toContain('TxC_2');
    expect(g.meansAcrossWaves).toBe(true);
    expect(g.statement).toMatch(/on the 71 items versions v1 and v2 share/);
    expect(crossVersionComparison({ scaleMin: 1, scaleMax: 7 }, before, v2, g).changesJustified).toBe(true);

    // Version v2 retires SxA_1 instead: TxC_2 is shared, the gate fails, and the cross-version comparison says so.
    const { SxA_1: __, ...withoutSxA1 } = now.version.items;
    const v2b = { ...now, version: { version: 'v2', items: withoutSxA1 } };
    const failing = waveComparison({ scaleMin: 1, scaleMax: 7 }, before, v2b);
    expect(failing.meansAcrossWaves).toBe(false);
    expect(failing.equivalence.map((e) => e.holds)).toEqual(['scalar', 'scalar', 'metric']);
    const cv = crossVersionComparison({ scaleMin: 1, scaleMax: 7 }, before, v2b, failing);
    expect(cv.changesJustified).toBe(false);
    expect(cv.statement).toMatch(/ The changes are not justified: the two waves do not hold scalar invariance on these items \(Translational: scalar invariance fails in full; scalar invariance holds only with TxC_2~1 released\)\.$/);
    expect(crossVersionComparison({ scaleMin: 1, scaleMax: 7 }, before, v2b).changesJustified).toBeNull();

    const small = comparedWave(simulatePanel({ ...WAVE, unitsPerContext: 5 }, 23), '3');
    const s = waveComparison({ scaleMin: 1, scaleMax: 7 }, before, small);
    expect(s.meansAcrossWaves).toBeNull();
    expect(s.statement).toMatch(/could not be checked \(Structural: Invariance of Structural across waves \(in every group\) needs at least 5 respondents per item/);
  }, 120_000);
});
