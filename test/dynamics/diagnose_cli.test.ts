import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, seici } from '../helpers/cli.js';
import { addDays } from './helpers.js';

let dir: string;
const base = ['diagnose', '--csv', 'sei-small.csv', '--map', 'sei-small-map.json', '--unit', 'team', '--wave', 'round'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seici-diag-'));
  for (const f of ['sei-small.csv', 'sei-small-map.json']) copyFileSync(resolve(FIXTURES, f), join(dir, f));
  const rows = ['unit,timestamp,type,key,ref'];
  for (const unit of ['T03', 'T01']) {
    for (let w = 0; w < 12; w++) {
      const monday = addDays('2026-01-05', 7 * w);
      for (let i = 0; i < 10; i++) rows.push(`${unit},${monday}T10:00:00Z,closed,${w}-${i},`);
      for (let i = 0; i < (w >= 4 ? 3 : 0); i++) rows.push(`${unit},${monday}T12:00:00Z,reopened,${w}-${i},`);
    }
  }
  writeFileSync(join(dir, 'events.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'pq.csv'), 'unit,period,measure,value\nT03,2026Q3,cycleTime,21.5\nT03,2026Q3,quality,0.81\n');
  writeFileSync(join(dir, 'bad-pq.csv'), 'unit,period,measure,value\nT03,2026Q3,cycleTime,slow\n');
});

describe('seici diagnose', () => {
  it('diagnoses the visible units of the last wave with breakpoints and PQ', () => {
    const r = seici([...base, '--events', 'events.csv', '--pq', 'pq.csv', '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json.wave).toBe('2026Q3');
    expect(r.json.ruleVersion).toBe('seici-default-1');
    const units = r.json.units.map((u: any) => u.unit);
    expect(units).not.toContain('T01'); // fewer than 5 respondents in 2026Q3: suppressed
    const t03 = r.json.units.find((u: any) => u.unit === 'T03');
    expect(t03.breakpoints.map((b: any) => [b.signal, b.start, b.periods])).toEqual([['reopenRate', '2026-02-02', 8]]);
    expect(t03.implicatedCells).toEqual([{ cell: 'TxC', breakpoints: 1 }, { cell: 'TxV', breakpoints: 1 }]);
    expect(t03.drift.drifting).toBe(true);
    expect(t03.interventions[0].id).toBe('interface-reviews');
    expect(t03.interventions[0].evidence).toContain('reopenRate breakpoint 2026-02-02 to 2026-03-23 (8 periods, peak 0.30) implicates TxC.');
    expect(t03.performance).toEqual({ cycleTime: { period: '2026Q3', value: 21.5 }, quality: { period: '2026Q3', value: 0.81 } });
    expect(JSON.stringify(r.json.units)).not.toContain('"T01"');
    expect(r.json.diagnostics.warnings).toContain('1 unit with breakpoints but no visible score in 2026Q3 is not diagnosed.');
  });

  it('exits 2 with one line for bad input', () => {
    const cases: [string[], RegExp][] = [
      [['--pq', 'bad-pq.csv'], /^seici: --pq bad-pq.csv line 2: value "slow" is not a number\.$/],
      [['--capacity', '-1'], /^seici: --capacity must be at least 0; got -1\.$/],
      [['--diagnose-wave', '2030Q1'], /^seici: --diagnose-wave "2030Q1" is not one of the waves/],
      [['--events', 'nope.csv'], /^seici: --events nope.csv: no such file\.$/],
    ];
    for (const [args, message] of cases) {
      const r = seici([...base, ...args, '--json'], dir);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
    }
  });
});
