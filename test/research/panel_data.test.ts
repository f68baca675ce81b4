import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, seici } from '../helpers/cli.js';

// seici panel-data on the small SEI-CI fixture (24 teams × 2 rounds, 1–5 items) with supplementary
// answers, coordination events and PQ added here; the expected values are computed below by hand
// from the same file, and the SEI scores must be `seici score`'s.
const DYN = ['DYN_1', 'DYN_2', 'DYN_3', 'DYN_4', 'DYN_5', 'DYN_6']; // DYN_6 reverse-keyed (1–7)
const VISC = ['VISC_1', 'VISC_2', 'VISC_3', 'VISC_4', 'VISC_5'];

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'seici-panel-data-'));
  const lines = readFileSync(resolve(FIXTURES, 'sei-small.csv'), 'utf8').trim().split('\n');
  const out = [`${lines[0]},${DYN.join(',')},${VISC.join(',')},ROLE`];
  for (let i = 1; i < lines.length; i++) {
    const dyn = DYN.map((_, j) => (i * 3 + j * 5) % 7 + 1);
    if (i % 11 === 0) dyn.fill(NaN, 0, 4); // fewer than half answered: no dynamism score
    const visc = VISC.map((_, j) => (i + j) % 7 + 1);
    const role = i % 4 === 0 ? '' : String((i % 3) + 1); // 1 = no interface role; 2, 3 = an interface role
    out.push(`${lines[i]},${dyn.map((v) => (Number.isNaN(v) ? '' : v)).join(',')},${visc.join(',')},${role}`);
  }
  writeFileSync(join(dir, 'responses.csv'), out.join('\n') + '\n');
  const ev = ['unit,timestamp,type,key,ref'];
  for (let k = 0; k < 5; k++) ev.push(`T13,2026-01-06T10:00:00Z,closed,i${k},`);
  ev.push('T13,2026-01-20T10:00:00Z,rework,i0,', 'T13,2026-01-21T10:00:00Z,rework,i1,');
  for (let k = 0; k < 4; k++) ev.push(`T13,2026-07-07T10:00:00Z,closed,j${k},`);
  ev.push('T13,2026-07-20T10:00:00Z,rework,j0,');
  writeFileSync(join(dir, 'events.csv'), ev.join('\n') + '\n');
  writeFileSync(join(dir, 'pq.csv'), 'unit,period,measure,value\nT13,2026Q1,quality,3.5\nT13,2026Q3,quality,3.9\nT13,2026Q3,speed,9\nT04,2026-02-10,quality,4.2\n');
  return { dir, rows: out.slice(1).map((l) => l.split(',')), header: out[0].split(',').map((c) => c.replace(/"/g, '')) };
}

describe('seici panel-data', () => {
  const { dir, rows, header } = setup();
  const args = ['panel-data', '--csv', 'responses.csv', '--map', resolve(FIXTURES, 'sei-small-map.json'), '--unit', 'team', '--wave', 'round',
    '--events', 'events.csv', '--wave-starts', '2026Q1=2026-01-05,2026Q3=2026-07-06', '--pq', 'pq.csv', '--pq-measure', 'quality', '--out', 'panel.csv', '--json'];
  const run = seici(args, dir);
  const score = seici(['score', '--csv', 'responses.csv', '--map', resolve(FIXTURES, 'sei-small-map.json'), '--unit', 'team', '--wave', 'round', '--min-group-size', '5', '--json'], dir);

  it('has exactly the unit-waves that score shows at the minimum group size, with its scores', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(score.status, score.stderr).toBe(0);
    const got = run.json.units;
    expect(got.map((u: any) => `${u.unit}/${u.wave}`).sort()).toEqual(score.json.units.map((u: any) => `${u.unit}/${u.wave}`).sort());
    expect(got.every((u: any) => u.n >= 5)).toBe(true);
    for (const s of score.json.units) {
      const g = got.find((u: any) => u.unit === s.unit && u.wave === s.wave);
      expect(g.SC).toBe(s.dimensions.structural);
      expect(g.TC).toBe(s.dimensions.translational);
      expect(g.visibility).toBe(s.levers.visibility);
      expect(g.SxA).toBe(s.cells.SxA);
      expect(g.M).toBe(s.misalignment);
      expect(g.drift ?? null).toBe(s.drift ?? null);
    }
  });

  it('averages the supplementary scales and counts interface roles per unit-wave', () => {
    const col = (c: string) => header.indexOf(c);
    const team = col('team');
    const round = col('round');
    for (const u of run.json.units.slice(0, 6)) {
      const mine = rows.filter((r) => r[team].replace(/"/g, '') === u.unit && r[round].replace(/"/g, '') === u.wave);
      const dynScores = mine.map((r) => {
        const v = DYN.map((c) => r[col(c)]).map((x, j) => (x === '' ? NaN : j === 5 ? 8 - Number(x) : Number(x))).filter((x) => !Number.isNaN(x));
        return v.length >= 3 ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
      }).filter((x) => !Number.isNaN(x));
      expect(u.dynamism).toBeCloseTo(dynScores.reduce((a, b) => a + b, 0) / dynScores.length, 12);
      const visc = mine.map((r) => VISC.reduce((a, c) => a + Number(r[col(c)]), 0) / VISC.length);
      expect(u.visCoherence).toBeCloseTo(visc.reduce((a, b) => a + b, 0) / visc.length, 12);
      const roles = mine.map((r) => r[col('ROLE')]).filter((x) => x !== '');
      expect(u.leadershipDensity).toBeCloseTo(roles.filter((x) => x !== '1').length / roles.length, 12);
      expect(u.visOutcome).toBeNull(); // no VISO items in the file
    }
  });

  it('joins rework rates, breakpoint counts and PQ by wave window', () => {
    const t13 = (w: string) => run.json.units.find((u: any) => u.unit === 'T13' && u.wave === w);
    expect(t13('2026Q1').rework).toBeCloseTo(0.4, 12);
    expect(t13('2026Q3').rework).toBeCloseTo(0.25, 12);
    expect(t13('2026Q1').breakpoints).toBe(0);
    expect(t13('2026Q1').PQ).toBe(3.5);
    expect(t13('2026Q3').PQ).toBe(3.9);
    expect(run.json.units.find((u: any) => u.unit === 'T04' && u.wave === '2026Q1').PQ).toBe(4.2);
    const other = run.json.units.find((u: any) => u.unit === 'T10' && u.wave === '2026Q1');
    expect([other.rework, other.breakpoints, other.PQ]).toEqual([null, 0, null]);
  });

  it('writes the panel CSV that the research commands read', () => {
    const text = readFileSync(join(dir, 'panel.csv'), 'utf8').split('\n');
    expect(text[0]).toBe('unit,wave,n,SC,RC,TC,accountability,communication,visibility,SxA,M,drift,rework,breakpoints,dynamism,visCoherence,visOutcome,leadershipDensity,PQ');
    expect(text.length - 2).toBe(run.json.units.length);
    const fe = seici(['panel', '--csv', 'panel.csv', '--model', 'fe', '--y', 'TC', '--x', 'SC', '--json'], dir);
    expect(fe.status, fe.stderr).toBe(0);
    expect(fe.json.n).toBe(run.json.units.length);
  });

  it.each([
    [['--pq-measure', 'nope'], '--pq-measure'],
    [['--wave-starts', '2026Q2=2026-01-05'], '--wave-starts'],
    [['--wave-starts', '2026Q1=January'], '--wave-starts'],
  ])('bad input %j exits 2 naming the flag', (extra, named) => {
    const a = [...args];
    const k = a.indexOf(extra[0]);
    a[k + 1] = extra[1];
    const r = seici(a, dir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(named);
  });
});
