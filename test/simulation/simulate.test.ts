import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seici } from '../helpers/cli.js';
import { oneWayIcc, scoreUnits, simulatePanel, Prng } from '../../analysis/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'seici-sim-'));

function pearson(x: number[], y: number[]): number {
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

describe('seici simulate (command)', () => {
  const args = ['simulate', '--seed', '42', '--careless', '0.05', '--missing', '0.02', '--completion-time', '--truth', '--json'];

  it('writes identical files for the same seed, and different ones for another seed', () => {
    const a = seici([...args, '--out', join(tmp, 'a')]);
    const b = seici([...args, '--out', join(tmp, 'b')]);
    const c = seici([...args.map((x) => (x === '42' ? '43' : x)), '--out', join(tmp, 'c')]);
    expect(a.status).toBe(0);
    expect(a.json.respondents).toBeGreaterThan(0);
    for (const f of ['panel.csv', 'map.json', 'truth.json']) {
      expect(readFileSync(join(tmp, 'a', f), 'utf8')).toBe(readFileSync(join(tmp, 'b', f), 'utf8'));
    }
    expect(b.status).toBe(0);
    expect(c.status).toBe(0);
    expect(readFileSync(join(tmp, 'c', 'panel.csv'), 'utf8')).not.toBe(readFileSync(join(tmp, 'a', 'panel.csv'), 'utf8'));
  });

  it('writes a CSV and map that seici score reads', () => {
    const r = seici(['score', '--csv', join(tmp, 'a', 'panel.csv'), '--map', join(tmp, 'a', 'map.json'), '--unit', 'unit', '--wave', 'wave', '--json']);
    expect(r.status).toBe(0);
    expect(r.json.baselineWave).toBe('W1');
    expect(r.json.units).toHaveLength(30);
    const header = readFileSync(join(tmp, 'a', 'panel.csv'), 'utf8').split('\n')[0].split(',');
    expect(header.slice(0, 6)).toEqual(['context', 'unit', 'wave', 'respondent', 'seconds', 'SxA_1']);
    expect(header).toHaveLength(5 + 72);
    const map = JSON.parse(readFileSync(join(tmp, 'a', 'map.json'), 'utf8'));
    expect(map.scaleMin).toBe(1);
    expect(map.scaleMax).toBe(7);
    expect(map.items.TxV_8).toEqual({ cell: 'TxV', reverse: true });
    expect(map.items.TxV_7).toEqual({ cell: 'TxV', reverse: false });
  });

  it('takes a spec file and lets flags override it', () => {
    const spec = join(tmp, 'spec.json');
    writeFileSync(spec, JSON.stringify({ contexts: ['X', 'Y'], unitsPerContext: 3, waves: ['T1'], itemsPerCell: 4 }));
    const r = seici(['simulate', '--spec', spec, '--units-per-context', '2', '--out-csv', join(tmp, 's.csv'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.units).toBe(4);
    expect(r.json.items).toBe(36);
  });

  it('rejects an impossible population value with exit 2 and one line', () => {
    const r = seici(['simulate', '--icc1', '2', '--out', join(tmp, 'bad')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--icc1');
    const s = seici(['simulate', '--noninvariant-context', 'Z', '--noninvariant-items', 'SxA_1', '--out', join(tmp, 'bad')]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('"Z"');
  });
});

describe('simulatePanel recovers its population values', () => {
  it('is deterministic in-process too', () => {
    const a = simulatePanel({ unitsPerContext: 3, missing: 0.1 }, 9);
    const b = simulatePanel({ unitsPerContext: 3, missing: 0.1 }, 9);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const p = new Prng(1);
    const u = Array.from({ length: 20000 }, () => p.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((x, y) => x + y, 0) / u.length - 0.5)).toBeLessThan(0.01);
  });

  it('recovers a simulated ICC(1) of .20 between .15 and .25 on a large sample', () => {
    const panel = simulatePanel({ unitsPerContext: 500, unitSize: { mean: 15, min: 10 }, waves: ['W1'], icc1: 0.2, loadings: 0.9 }, 7);
    const expected = panel.truth.expectedCellScoreIcc1.RxC;
    expect(expected).toBeGreaterThan(0.18);
    // respondents' RxC cell scores (items RxC_1..8, item 8 reverse-keyed), ANOVA on unit
    const cols = panel.items.flatMap((id, j) => (id.startsWith('RxC_') ? [j] : []));
    const scores = panel.answers.map((row) => cols.reduce((s, j, i) => s + (i === 7 ? 8 - row[j] : row[j]), 0) / cols.length);
    const members = new Map<string, number[]>();
    panel.unit.forEach((u, i) => members.set(u, [...(members.get(u) ?? []), i]));
    const icc = oneWayIcc(scores, [...members.values()]);
    expect(icc.icc1).toBeGreaterThan(0.15);
    expect(icc.icc1).toBeLessThan(0.25);
    expect(Math.abs(icc.icc1 - expected)).toBeLessThan(0.03);
    expect(icc.p).toBeLessThan(1e-10);
  });

  it('recovers item loadings within sampling and rounding error', () => {
    const panel = simulatePanel({ unitsPerContext: 200, waves: ['W1'], loadings: [0.8, 0.6, 0.7, 0.5, 0.8, 0.6, 0.7, 0.5] }, 11);
    const col = (id: string) => panel.answers.map((r) => r[panel.items.indexOf(id)]);
    const [x1, x2, x3] = ['TxA_1', 'TxA_2', 'TxA_3'].map(col);
    const r12 = pearson(x1, x2);
    const r13 = pearson(x1, x3);
    const r23 = pearson(x2, x3);
    // rounding to whole points attenuates each loading by √(s²/(s² + 1/12)), s = 1.2 scale points per SD
    const attenuation = Math.sqrt(1.44 / (1.44 + 1 / 12));
    expect(Math.abs(Math.sqrt((r12 * r13) / r23) - 0.8 * attenuation)).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt((r12 * r23) / r13) - 0.6 * attenuation)).toBeLessThan(0.04);
    expect(Math.abs(Math.sqrt((r13 * r23) / r12) - 0.7 * attenuation)).toBeLessThan(0.04);
    // the reverse-keyed item correlates negatively with its cell's other items
    expect(pearson(x1, col('TxA_8'))).toBeLessThan(-0.2);
  });

  it('recovers the cell factor correlations (attenuated by the cell scores\' reliability)', () => {
    const panel = simulatePanel(
      { unitsPerContext: 300, waves: ['W1'], loadings: 0.85, cellCorrelation: { sameDimension: 0.6, sameLever: 0.4, other: 0.2 } },
      17,
    );
    const scored = scoreUnits(panel, panel.map); // validates the panel against its own map
    expect(scored.units).toHaveLength(300);
    const cellScore = (cell: string) => {
      const cols = panel.items.flatMap((id, j) => (id.startsWith(`${cell}_`) ? [j] : []));
      return panel.answers.map((row) => cols.reduce((s, j, i) => s + (i === 7 ? 8 - row[j] : row[j]), 0) / 8);
    };
    // reliability of a cell score = expected ICC(1) / icc1 (same variance decomposition)
    const reliability = panel.truth.expectedCellScoreIcc1.SxA / panel.truth.spec.icc1;
    const sxa = cellScore('SxA');
    expect(Math.abs(pearson(sxa, cellScore('SxC')) - 0.6 * reliability)).toBeLessThan(0.03);
    expect(Math.abs(pearson(sxa, cellScore('RxA')) - 0.4 * reliability)).toBeLessThan(0.03);
    expect(Math.abs(pearson(sxa, cellScore('TxV')) - 0.2 * reliability)).toBeLessThan(0.03);
  });

  it('lets drifting units move their dimensions apart wave by wave', () => {
    const panel = simulatePanel({ unitsPerContext: 60, unitSize: { mean: 12, min: 8 }, drift: { share: 0.5, perWave: 0.5 } }, 5);
    const scored = scoreUnits(panel, panel.map);
    const drifting = panel.truth.units.filter((u) => u.drift !== null);
    const stable = panel.truth.units.filter((u) => u.drift === null);
    expect(drifting.length).toBeGreaterThan(15);
    expect(stable.length).toBeGreaterThan(15);
    const at = (unit: string, wave: string) => scored.units.find((x) => x.unit === unit && x.wave === wave)!;
    let moved = 0;
    for (const u of drifting) {
      const gap = (w: string) => at(u.unit, w).z[u.drift!.up] - at(u.unit, w).z[u.drift!.down];
      if (gap('W3') - gap('W1') > 0) moved++;
    }
    expect(moved / drifting.length).toBeGreaterThan(0.9);
    const meanDrift = (units: typeof drifting) => units.reduce((s, u) => s + at(u.unit, 'W3').drift!, 0) / units.length;
    expect(meanDrift(drifting)).toBeGreaterThan(meanDrift(stable) + 0.5);
  });

  it('leaves the stated share of answers missing and marks careless respondents', () => {
    const panel = simulatePanel({ unitsPerContext: 50, missing: 0.1, careless: { share: 0.1, kind: 'straightline' } }, 3);
    const total = panel.answers.length * panel.items.length;
    const missing = panel.answers.reduce((s, r) => s + r.filter(Number.isNaN).length, 0);
    expect(Math.abs(missing / total - 0.1)).toBeLessThan(0.01);
    const share = panel.truth.careless.length / panel.answers.length;
    expect(Math.abs(share - 0.1)).toBeLessThan(0.04);
    for (const c of panel.truth.careless) {
      const row = panel.answers[panel.respondent.indexOf(c.respondent)].filter((v) => !Number.isNaN(v));
      expect(new Set(row).size).toBe(1);
    }
  });

  it('shifts the intercepts of non-invariant items in the chosen context only', () => {
    const panel = simulatePanel(
      { contexts: ['A', 'B'], unitsPerContext: 80, waves: ['W1'], icc1: 0.05, nonInvariance: [{ context: 'B', items: ['SxC_2'], intercept: 1 }] },
      8,
    );
    const meanIn = (ctx: string, id: string) => {
      const j = panel.items.indexOf(id);
      const xs = panel.answers.filter((_, i) => panel.context[i] === ctx).map((r) => r[j]);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const shifted = meanIn('B', 'SxC_2') - meanIn('A', 'SxC_2');
    const neighbour = meanIn('B', 'SxC_3') - meanIn('A', 'SxC_3');
    expect(shifted - neighbour).toBeGreaterThan(0.8); // 1 latent SD ≈ 1.2 points, less clipping
    expect(Math.abs(neighbour)).toBeLessThan(0.25);
  });

  it('changes the loading of non-invariant items in the chosen context only', () => {
    const panel = simulatePanel(
      { contexts: ['A', 'B'], unitsPerContext: 100, waves: ['W1'], loadings: 0.8, nonInvariance: [{ context: 'B', items: ['TxC_1'], loading: 0.3 }] },
      12,
    );
    const r = (ctx: string, a: string, b: string) => {
      const rows = panel.answers.filter((_, i) => panel.context[i] === ctx);
      return pearson(rows.map((x) => x[panel.items.indexOf(a)]), rows.map((x) => x[panel.items.indexOf(b)]));
    };
    // latent scale: var(y*) = λ² + (1 − λ0²) with the unique variance of the population loading λ0 = .8,
    // plus rounding to whole points (1/12 point² = ρ latent units²)
    const rho = 1 / 12 / 1.44;
    const expected = (l1: number, l2: number) => (l1 * l2) / Math.sqrt((l1 * l1 + 0.36 + rho) * (l2 * l2 + 0.36 + rho));
    expect(Math.abs(r('A', 'TxC_1', 'TxC_2') - expected(0.8, 0.8))).toBeLessThan(0.05);
    expect(Math.abs(r('B', 'TxC_1', 'TxC_2') - expected(0.3, 0.8))).toBeLessThan(0.05);
    expect(Math.abs(r('B', 'TxC_2', 'TxC_3') - expected(0.8, 0.8))).toBeLessThan(0.05);
  });

  it('shifts a context\'s latent cell means for all of the cell\'s items', () => {
    const panel = simulatePanel({ contexts: ['A', 'B'], unitsPerContext: 80, waves: ['W1'], icc1: 0.05, loadings: 0.8, contextMeans: { B: { RxV: 0.5 } } }, 8);
    const scored = scoreUnits(panel, panel.map);
    const meanOf = (ctx: string, cell: 'RxV' | 'RxC') => {
      const us = scored.units.filter((u) => u.unit.startsWith(`${ctx}-`));
      return us.reduce((s, u) => s + u.cells[cell], 0) / us.length;
    };
    // λ · 0.5 SD · 1.2 points per SD = 0.48 points
    expect(Math.abs(meanOf('B', 'RxV') - meanOf('A', 'RxV') - 0.48)).toBeLessThan(0.1);
    expect(Math.abs(meanOf('B', 'RxC') - meanOf('A', 'RxC'))).toBeLessThan(0.1);
  });
});
