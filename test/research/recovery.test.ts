import { describe, expect, it } from 'vitest';
import {
  differenceInDifferences, simulateResearchPanel, testH1, testH2, testH3, testH4, testH5, testH6, testH7, threeWaveData,
  RESEARCH_PANEL_COLUMNS, type LongPanel, type ResearchPanelSpec,
} from '../../analysis/index.js';

// Parameter recovery on seeded `simulateResearchPanel` panels (issue 12's criteria), 50 seeds each.
const SEEDS = Array.from({ length: 50 }, (_, i) => 1000 + i);

function longPanel(spec: ResearchPanelSpec, seed: number): LongPanel {
  const { rows } = simulateResearchPanel(spec, seed);
  const names = RESEARCH_PANEL_COLUMNS.filter((c) => c !== 'unit' && c !== 'wave' && c !== 'eventWave');
  const columns: Record<string, Float64Array> = {};
  for (const c of names) {
    const j = RESEARCH_PANEL_COLUMNS.indexOf(c);
    columns[c] = Float64Array.from(rows, (r) => r[j] as number);
  }
  const e = RESEARCH_PANEL_COLUMNS.indexOf('eventWave');
  columns.eventWave = Float64Array.from(rows, (r) => (r[e] === '' ? NaN : Number(r[e])));
  return { unit: rows.map((r) => r[0] as string), wave: rows.map((r) => r[1] as string), columns };
}

describe('recovery of planted effects over 50 seeds', () => {
  it('a planted indirect effect: the bootstrap interval covers a·b in at least 90% of seeds and H1 is supported', () => {
    let covered = 0;
    let supported = 0;
    for (const seed of SEEDS) {
      const { truth } = simulateResearchPanel({}, seed);
      const h = testH1(threeWaveData(longPanel({}, seed)), { bootstrap: 500, seed });
      const sc = h.indirect[0];
      if (sc.ciLower <= truth.indirect.SC && truth.indirect.SC <= sc.ciUpper) covered++;
      if (h.supported) supported++;
    }
    expect(covered).toBeGreaterThanOrEqual(45);
    expect(supported).toBeGreaterThanOrEqual(45);
  });

  it('a null indirect effect (b = 0, a paths planted) is declared supported in at most 10% of seeds', () => {
    const spec: ResearchPanelSpec = { units: 300, indirect: { bTC: 0 }, leadership: { pq: 0 } };
    let supported = 0;
    for (const seed of SEEDS) if (testH1(threeWaveData(longPanel(spec, seed)), { bootstrap: 1000, seed }).supported) supported++;
    expect(supported).toBeLessThanOrEqual(5);
  });

  it('an inverted U peaking at M = 0.5: the turning point interval covers 0.5 in at least 90% of seeds', () => {
    // a clear curvature (b₂ about ten SEs from 0): the delta method is a large-sample interval
    let covered = 0;
    let supported = 0;
    for (const seed of SEEDS) {
      const h = testH7(threeWaveData(longPanel({ units: 500, invertedU: { peak: 0.5, curvature: 3 } }, seed)));
      if (h.turningPoint.ciLower <= 0.5 && 0.5 <= h.turningPoint.ciUpper) covered++;
      if (h.supported) supported++;
    }
    expect(covered).toBeGreaterThanOrEqual(45);
    expect(supported).toBeGreaterThanOrEqual(45);
  });

  it('a planted ATT: the two-way FE interval covers it in at least 90% of seeds', () => {
    let covered = 0;
    for (const seed of SEEDS) {
      const d = differenceInDifferences(longPanel({ treatment: { att: 0.4, wave: '3', share: 0.5 } }, seed), { y: 'PQ', treated: 'treated', eventWave: 'eventWave' });
      const half = 1.96 * d.att.se;
      if (Math.abs(d.att.est - 0.4) <= half) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(45);
  });

  it('the other hypotheses are found when planted and not when absent (seed 1)', () => {
    const planted = threeWaveData(longPanel({ units: 400 }, 1));
    const none: ResearchPanelSpec = {
      units: 400, moderation: { SC: 0 }, levers: { AC: 0, AV: 0, CV: 0 }, dominance: { drift: 0, rework: 0 },
      visibility: { coherence: 0.1, outcome: 0.1 }, leadership: { pq: 0, drift: 0 }, invertedU: { curvature: 0 },
    };
    const absent = threeWaveData(longPanel(none, 1));
    expect([testH2(planted, { bootstrap: 1000 }), testH3(planted), testH4(planted), testH5(planted), testH6(planted)].map((h) => h.supported)).toEqual([true, true, true, true, true]);
    expect([testH2(absent, { bootstrap: 1000 }), testH3(absent), testH4(absent), testH5(absent), testH6(absent), testH7(absent)].map((h) => h.supported)).toEqual([false, false, false, false, false, false]);
  });
});
