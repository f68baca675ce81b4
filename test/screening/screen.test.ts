import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, seici } from '../helpers/cli.js';
import { numericMatrix, readTable } from '../../cli/io/csv.js';
import { columnsFromRows, longString, intraIndividualSd, mahalanobisDistances, screenRespondents, screeningReport, simulatePanel } from '../../analysis/index.js';

const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/screening-references.json'), 'utf8'));
const bfi = numericMatrix(readTable(resolve(FIXTURES, 'bfi.csv')), ref.items, 'items');

describe('careless-response screens against R (test/fixtures/r/screening-references.R)', () => {
  const res = screenRespondents(bfi);

  it('Mahalanobis D² and chi-square p match stats::mahalanobis / pchisq at 1e-6, missing rows on their answered items', () => {
    expect(res.n).toBe(2800);
    ref.d2.forEach((d2: number | null, i: number) => {
      const got = res.respondents[i];
      if (d2 === null) {
        expect(Number.isNaN(got.mahalanobis)).toBe(true);
        return;
      }
      expect(Math.abs(got.mahalanobis - d2), `row ${i + 1}`).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(got.p - ref.p[i]), `row ${i + 1} p`).toBeLessThanOrEqual(1e-6);
      expect(got.answered).toBe(ref.df[i]);
    });
  });

  it('long strings and intra-individual SD match R (rle, sd with na.rm)', () => {
    ref.longString.forEach((ls: number, i: number) => expect(res.respondents[i].longString, `row ${i + 1}`).toBe(ls));
    ref.irv.forEach((v: number | null, i: number) => {
      if (v === null) expect(Number.isNaN(res.respondents[i].irv)).toBe(true);
      else expect(Math.abs(res.respondents[i].irv - v)).toBeLessThanOrEqual(1e-12);
    });
  });

  it('reports flags and removes nobody', () => {
    expect(res.respondents).toHaveLength(bfi.length);
    expect(res.flagged).toBe(res.respondents.filter((r) => r.flags.length > 0).length);
    expect(res.counts['multivariate-outlier']).toBe(res.respondents.filter((r) => r.p < 0.001).length);
  });

  it('handles the small cases of the kernels', () => {
    expect(longString([1, 1, NaN, 1, 2, 2, 2])).toBe(3);
    expect(longString([NaN, NaN])).toBe(0);
    expect(Number.isNaN(intraIndividualSd([3, NaN]))).toBe(true);
  });
});

describe('screens find simulated careless respondents', () => {
  const panel = simulatePanel({ unitsPerContext: 40, waves: ['W1'], careless: { share: 0.1 }, completionTime: true }, 13);
  const res = screenRespondents(panel.answers, { seconds: panel.seconds });
  const kind = new Map(panel.truth.careless.map((c) => [c.respondent, c.kind]));
  const flagsOf = (k: 'straightline' | 'random' | null) =>
    res.respondents.filter((_, i) => (kind.get(panel.respondent[i]) ?? null) === k);

  it('flags every straight-liner by long string and low variability', () => {
    const s = flagsOf('straightline');
    expect(s.length).toBeGreaterThan(5);
    for (const r of s) expect(r.flags).toEqual(expect.arrayContaining(['long-string', 'low-variability']));
  });

  it('flags random responders as multivariate outliers far more often than attentive ones', () => {
    const random = flagsOf('random');
    const attentive = flagsOf(null);
    const share = (rs: typeof random) => rs.filter((r) => r.flags.includes('multivariate-outlier')).length / rs.length;
    expect(random.length).toBeGreaterThan(5);
    expect(share(random)).toBeGreaterThan(0.8);
    expect(share(attentive)).toBeLessThan(0.05);
  });

  it('flags fast completion mostly among careless respondents', () => {
    const fast = res.respondents.filter((r) => r.flags.includes('too-fast'));
    const careless = fast.filter((r) => kind.has(panel.respondent[r.row - 1]));
    expect(fast.length).toBeGreaterThan(0);
    expect(careless.length / fast.length).toBeGreaterThan(0.8);
  });
});

describe('seici screen', () => {
  it('prints one JSON object with flags and criteria', () => {
    const r = seici(['screen', '--csv', 'bfi.csv', '--items', ref.items.join(','), '--alpha', '0.0001', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.n).toBe(2800);
    expect(r.json.criteria.alpha).toBe(0.0001);
    expect(r.json.respondents[0].mahalanobis).toBeCloseTo(ref.d2[0], 6);
  });

  it('exits 2 naming a time column that is not there, or that is an item', () => {
    const a = seici(['screen', '--csv', 'bfi.csv', '--items', 'A1,A2,A3', '--time', 'duration']);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('duration');
    const b = seici(['screen', '--csv', 'bfi.csv', '--items', 'A1,A2,A3', '--time', 'A1']);
    expect(b.status).toBe(2);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('screens a simulated panel with its completion times and echoes the respondent ids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seici-screen-'));
    const sim = seici(['simulate', '--seed', '4', '--units-per-context', '30', '--waves', 'W1', '--careless', '0.1', '--completion-time', '--truth', '--out', dir]);
    expect(sim.status, sim.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    const items = readFileSync(join(dir, 'panel.csv'), 'utf8').split('\n')[0].split(',').slice(5);
    const r = seici(['screen', '--csv', join(dir, 'panel.csv'), '--items', items.join(','), '--time', 'seconds', '--id', 'respondent', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const careless = new Set(truth.careless.map((c: any) => c.respondent));
    const flagged = r.json.respondents.filter((x: any) => x.flags.length > 0);
    expect(flagged.length).toBeGreaterThan(0);
    // every careless respondent is flagged by at least one screen; few attentive ones are
    for (const x of r.json.respondents) if (careless.has(x.id)) expect(x.flags.length, x.id).toBeGreaterThan(0);
    expect(flagged.filter((x: any) => !careless.has(x.id)).length / flagged.length).toBeLessThan(0.2);
    expect(r.json.respondents[0].seconds).toBeTypeOf('number');
  });

  it('needs at least two items', () => {
    const r = seici(['screen', '--csv', 'bfi.csv', '--items', 'A1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--items');
  });
});

describe('screens on column-stored data (the streaming reader\'s columns)', () => {
  it('equal the screens of the same rows, bit for bit, and the lazy report builds the same respondents', () => {
    const panel = simulatePanel({ unitsPerContext: 30, waves: ['W1'], careless: { share: 0.1 }, completionTime: true, missing: 0.03 }, 29);
    const rows = panel.answers.map((r) => r.slice(0, 20));
    const fromRows = screenRespondents(rows, { seconds: panel.seconds });
    const columns = columnsFromRows(rows, 20);
    const fromColumns = screenRespondents(columns, { seconds: Float64Array.from(panel.seconds!) });
    expect(fromRows.respondents.some((r) => r.answered < 20)).toBe(true);
    expect(fromRows.flagged).toBeGreaterThan(0);
    expect(fromColumns).toEqual(fromRows);
    fromRows.respondents.forEach((r, i) => {
      expect(Object.is(fromColumns.respondents[i].mahalanobis, r.mahalanobis)).toBe(true);
      expect(Object.is(fromColumns.respondents[i].irv, r.irv)).toBe(true);
    });
    const report = screeningReport(columns, { seconds: panel.seconds });
    expect(report.respondents.length).toBe(rows.length);
    expect(JSON.stringify(report)).toBe(JSON.stringify(fromRows));
  });
});

describe('Mahalanobis distances with more missing-data patterns than the factors kept', () => {
  it('give each row the same D² whatever the order of the rows', () => {
    const panel = simulatePanel({ unitsPerContext: 200, waves: ['W1'], missing: 0.15 }, 5);
    const rows = panel.answers.map((r) => r.slice(0, 24));
    const patterns = new Set(rows.map((r) => r.map((v) => (Number.isNaN(v) ? 0 : 1)).join('')));
    expect(patterns.size).toBeGreaterThan(1_100);
    const forward = mahalanobisDistances(rows);
    const backward = mahalanobisDistances([...rows].reverse());
    const n = rows.length;
    // the moments are summed in the other order, so equal to rounding; a factor of another pattern would be far off
    for (let i = 0; i < n; i++) {
      const [a, b] = [forward.d2[i], backward.d2[n - 1 - i]];
      if (Number.isNaN(a)) expect(Number.isNaN(b)).toBe(true);
      else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * a);
    }
    expect(forward.d2.filter((d) => Number.isFinite(d)).length).toBeGreaterThan(n / 2);
  });
});
