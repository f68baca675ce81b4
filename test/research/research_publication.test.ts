import { describe, expect, it } from 'vitest';
import {
  Prng,
  publishResearch,
  differenceInDifferences,
  eventStudy,
  fixedEffects,
  publishWave,
  researchRunPanel,
  simulatePanel,
  testHypotheses,
  type PublicationAnswerSet,
  type PublishedUnit,
  type ResearchPublicationInput,
  type WavePublication,
} from '../../analysis/index.js';
import type { Cell } from '../../instrument/model.js';

const WAVES = ['1', '2', '3'];
const DYN = ['D1', 'D2', 'D3'];
const VISC = ['C1', 'C2'];
const VISO = ['O1', 'O2'];
const K = 5;

/**
 * A research run over three simulated waves of 14 units of 6–10 respondents and one unit of three
 * (below k = 5 in every wave), with the supplementary scales and PQ. `tamper` changes the small
 * unit's answers and PQ: a run that never lets it enter gives the same results either way.
 */
function input(tamper = false, dynamismAnswers: 'all' | 'few-in-u01' = 'all'): ResearchPublicationInput {
  const panel = simulatePanel({ contexts: ['A'], unitsPerContext: 15, waves: WAVES, unitSize: { mean: 8, min: 6, max: 10 }, icc1: 0.3 }, 77);
  const rng = new Prng(5);
  const items = panel.items.map((id) => ({ id, cell: panel.map.items[id].cell as Cell, reverse: panel.map.items[id].reverse === true }));
  const small = 'A-U15';
  const seen = new Map<string, number>();
  const sets: Record<string, PublicationAnswerSet[]> = { 1: [], 2: [], 3: [] };
  for (let r = 0; r < panel.unit.length; r++) {
    const unit = panel.unit[r];
    const key = `${unit}/${panel.wave[r]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (unit === small && seen.get(key)! > 3) continue;
    const level = unit === small && tamper ? 7 : 2 + Number(unit.split('-U')[1]) / 4;
    const answers: Record<string, number | null> = Object.fromEntries(panel.items.map((id, j) => [id, unit === small && tamper ? 1 : Number.isNaN(panel.answers[r][j]) ? null : panel.answers[r][j]]));
    const skipDynamism = dynamismAnswers === 'few-in-u01' && unit === 'A-U01' && seen.get(key)! > 2;
    for (const id of DYN) answers[id] = skipDynamism ? null : Math.min(7, Math.max(1, Math.round(level + rng.normal())));
    for (const id of [...VISC, ...VISO]) answers[id] = Math.min(7, Math.max(1, Math.round(level + rng.normal())));
    answers.ROLE = rng.uniform() < 0.4 ? 2 : 1;
    sets[panel.wave[r]].push({ unitKey: unit, answers });
  }
  const units = [...new Set(panel.unit)].map((key) => ({ key, parentKey: null }));
  const publications: WavePublication[] = WAVES.map((_, k) =>
    publishWave({ scaleMin: 1, scaleMax: 7, items, units, waves: WAVES.slice(0, k + 1).map((w) => ({ label: w, minGroupSize: K, answerSets: sets[w] })) }),
  );
  const performance = units.flatMap(({ key }, u) =>
    WAVES.map((w) => ({ unit: key, period: w, measure: 'quality', value: key === small && tamper ? 1000 : 50 + u + rng.normal() })),
  );
  const keys = (ids: string[]) => ({ scaleMin: 1, scaleMax: 7, items: Object.fromEntries(ids.map((id) => [id, { reverse: false }])) });
  return {
    scaleMin: 1,
    scaleMax: 7,
    items,
    supplementary: { dynamism: keys(DYN), visCoherence: keys(VISC), visOutcome: keys(VISO) },
    interfaceRole: { item: 'ROLE', codes: [2, 3, 4, 5, 6, 7] },
    waves: [0, 1, 2].map((k) => ({ label: WAVES[k], name: `Wave ${WAVES[k]}`, startsOn: `2026-0${k + 1}-01`, minGroupSize: K, publication: publications[k], answerSets: sets[WAVES[k]] })) as unknown as ResearchPublicationInput['waves'],
    events: [],
    performance,
    pqMeasure: 'quality',
    bootstrap: 300,
    seed: 4,
  };
}

describe('publishResearch: the research run from stored publications', () => {
  const base = publishResearch(input());

  it('tests H1–H7 on the published units only; H4 without traces says why it cannot run', () => {
    const published = input().waves.map((w) => w.publication.units.filter((u) => !u.suppressed && !u.rollup).map((u) => u.unitKey));
    for (const list of published) expect(list).not.toContain('A-U15');
    expect(base.waves.map((w) => w.units)).toEqual(published.map((l) => l.length));
    expect(base.design.units).toBe(14);
    for (const h of base.hypotheses) {
      if (h.hypothesis === 'H4') {
        expect(h.error).toBe('H4 needs units with every one of M, drift, rework; the panel has 0.');
        continue;
      }
      expect(h.n, h.hypothesis).toBe(14);
    }
  });

  it('gives the same results whatever the suppressed unit answered and whatever its PQ', () => {
    const tampered = publishResearch(input(true));
    const strip = (r: typeof base) => ({ ...r, seconds: 0 });
    expect(strip(tampered)).toEqual(strip(base));
  });

  it('equals testHypotheses on the panel of the published scores and the respondents\' means', () => {
    const i = input();
    const unit: string[] = [];
    const wave: string[] = [];
    const cols: Record<string, number[]> = {};
    const push = (name: string, v: number) => (cols[name] ??= []).push(v);
    const mean = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
    for (const w of i.waves) {
      for (const u of w.publication.units.filter((x) => !x.suppressed && !x.rollup) as PublishedUnit[]) {
        unit.push(u.unitKey);
        wave.push(w.label);
        push('SC', u.dimensions.structural);
        push('RC', u.dimensions.relational);
        push('TC', u.dimensions.translational);
        push('accountability', u.levers.accountability);
        push('communication', u.levers.communication);
        push('visibility', u.levers.visibility);
        push('SxA', u.cells.SxA);
        push('M', u.misalignment ?? NaN);
        push('drift', u.drift ?? NaN);
        // Every simulated respondent gives every cell a score, so all are valid respondents.
        const mine = w.answerSets.filter((s) => s.unitKey === u.unitKey);
        const scale = (ids: string[]) => mean(mine.map((s) => mean(ids.map((id) => s.answers[id] as number))));
        push('dynamism', scale(DYN));
        push('visCoherence', scale(VISC));
        push('visOutcome', scale(VISO));
        push('leadershipDensity', mean(mine.map((s) => (s.answers.ROLE === 1 ? 0 : 1))));
        push('PQ', i.performance.find((p) => p.unit === u.unitKey && p.period === w.label)!.value);
      }
    }
    const expected = testHypotheses(
      { unit, wave, columns: Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)])) },
      { tests: ['H1', 'H2', 'H3', 'H5', 'H6', 'H7'], waves: WAVES, bootstrap: 300, seed: 4 },
    );
    for (const h of base.hypotheses) {
      if (h.hypothesis === 'H4') continue;
      const e = expected[h.hypothesis];
      expect(h.supported, h.hypothesis).toBe(e.supported);
      for (const [name, model] of Object.entries(e.models)) {
        model.terms.forEach((t, k) => {
          expect(h.result!.models[name].terms[k].est, `${h.hypothesis} ${name} ${t.term}`).toBeCloseTo(t.est, 10);
          expect(h.result!.models[name].terms[k].se, `${h.hypothesis} ${name} ${t.term}`).toBeCloseTo(t.se, 10);
        });
      }
    }
  });

  it('leaves out a unit-wave mean that fewer than k respondents gave a score to', () => {
    const few = publishResearch(input(false, 'few-in-u01'));
    const n = (h: string) => few.hypotheses.find((x) => x.hypothesis === h)!.n;
    // A-U01 answered dynamism with only two respondents in each wave: H2 (which needs dynamism) loses it, H1 does not.
    expect(n('H1')).toBe(14);
    expect(n('H2')).toBe(13);
    expect(few.warnings.join(' ')).toMatch(/3 unit-wave supplementary means were left out/);
  });

  it('fits the panel designs around the interface changes recorded per unit, published units only', () => {
    const changes = [
      { unit: 'A-U01', on: '2026-01-20' }, // reaches wave 2
      { unit: 'A-U01', on: '2026-02-20' }, // a later change of the same unit: the earliest counts
      { unit: 'A-U02', on: '2026-02-01' }, // on wave 2's first day: reaches wave 2
      { unit: 'A-U03', on: '2026-02-10' }, // wave 3
      { unit: 'A-U04', on: '2026-01-05' }, // wave 2
      { unit: 'A-U05', on: '2025-12-01' }, // before T1: always treated, left out of DiD and event study
      { unit: 'A-U06', on: '2026-03-02' }, // after T3 opened: untreated in the design
      { unit: 'A-U15', on: '2026-01-10' }, // the unit below k: never enters
    ];
    const i = { ...input(), interfaceChanges: changes };
    const run = publishResearch(i);
    const p = run.panel!;
    expect(p.eventWaves).toEqual({ 'A-U01': 2, 'A-U02': 2, 'A-U03': 3, 'A-U04': 2 });
    expect(p.treatedUnits).toBe(4);
    expect(p.alwaysTreated).toBe(1);
    // The same fits as `seici panel` on the exported panel with an eventWave column (waves 1, 2, 3).
    const { panel } = researchRunPanel(i);
    const col = (name: string) => Float64Array.from(panel.rows, (r) => r[panel.columns.indexOf(name)] as number);
    const unit = panel.rows.map((r) => r[0] as string);
    const long = {
      unit,
      wave: panel.rows.map((r) => r[1] as string),
      columns: {
        PQ: col('PQ'), TC: col('TC'),
        eventWave: Float64Array.from(unit, (u) => p.eventWaves[u] ?? NaN),
        treated: Float64Array.from(unit, (u) => (u === 'A-U05' ? NaN : p.eventWaves[u] ? 1 : 0)),
      },
    };
    const did = differenceInDifferences(long, { y: 'PQ', eventWave: 'eventWave', treated: 'treated' });
    const event = eventStudy(long, { y: 'PQ', eventWave: 'eventWave', treated: 'treated' });
    const fe = fixedEffects(long, { y: 'PQ', x: ['TC'] });
    for (const [stored, direct] of [[p.did, did], [p.event, event], [p.fe, fe]] as const) {
      expect(stored.error).toBeUndefined();
      expect(stored.n).toBe(direct.n);
      expect(stored.units).toBe(direct.units);
      expect(stored.terms.map((t) => t.term)).toEqual(direct.terms.map((t) => t.term));
      stored.terms.forEach((t, k) => {
        expect(t.est).toBe(direct.terms[k].est);
        expect(t.se).toBe(direct.terms[k].se);
        expect(t.ciLower).toBeLessThan(t.est);
        expect(t.ciUpper).toBeGreaterThan(t.est);
      });
    }
    // A-U05 (always treated) is out of DiD: 14 published units less one, 3 waves each.
    expect(p.did.units).toBe(13);
    expect(p.fe.units).toBe(14);
    // rel = −1 is the reference; wave 3 changes give rel −2, wave 2 changes rel 1.
    expect(p.event.terms.map((t) => t.term)).toEqual(['rel-2', 'rel0', 'rel1']);
    expect(p.clpm.error).toBeUndefined();
    expect(p.clpm.syntax).toContain('PQ_2 ~ PQ_1 + TC_1');
    expect(p.clpm.n).toBe(14);
  });

  it('says why DiD and the event study cannot run when no interface change is recorded', () => {
    const p = base.panel!;
    expect(p.treatedUnits).toBe(0);
    expect(p.did.error).toBe('The did model could not be fitted: no unit of the panel has an interface change recorded before T2 or T3 opened, so there is no treated unit to compare.');
    expect(p.event.error).toBe(p.did.error!.replace('did model', 'event model'));
    expect(p.fe.error).toBeUndefined();
  });
});
