import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seici } from '../helpers/cli.js';
import { addDays } from './helpers.js';

let dir: string;

/** Unit A: 10 closes a week, 1 reopen (10 %); weeks 6–11 4 reopens (40 %); week 15 a one-week spike. */
function plantedCsv(): string {
  const rows = ['unit,timestamp,type,key,ref'];
  for (let w = 0; w < 20; w++) {
    const monday = addDays('2026-01-05', 7 * w);
    for (let i = 0; i < 10; i++) rows.push(`A,${monday}T10:00:00Z,closed,A-${w}-${i},`);
    const reopens = (w >= 6 && w <= 11) || w === 15 ? 4 : 1;
    for (let i = 0; i < reopens; i++) rows.push(`A,${monday}T14:00:00Z,reopened,A-${w}-${i},`);
    rows.push(`B,${monday}T09:00:00Z,rc_score,,${w < 10 ? '4.2' : '3.6'}`);
  }
  return rows.join('\n') + '\n';
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seici-bp-'));
  writeFileSync(join(dir, 'events.csv'), plantedCsv());
  writeFileSync(join(dir, 'bad.csv'), 'unit,timestamp,type,key,ref\nA,2026-01-05,closed,i1,\nA,2026-01-06,closd,i2,\n');
  writeFileSync(join(dir, 'rules.json'), JSON.stringify({ version: 'acme-1', persistence: 2, signals: { rcDrop: { threshold: { kind: 'absolute', level: 1 }, cells: ['RxC'] } } }));
  writeFileSync(join(dir, 'bad-rules.json'), '{"version": "x", "persistence": -1}');
  writeFileSync(
    join(dir, 'jira.json'),
    JSON.stringify({
      issues: [{ key: 'PAY-1', changelog: { histories: [{ created: '2026-01-05T10:00:00Z', items: [{ field: 'status', fromString: 'Open', toString: 'Done' }] }] } }],
    }),
  );
  writeFileSync(join(dir, 'jira.csv'), 'Issue key,Changed,Field,From,To\nPAY-1,2026-01-05T10:00:00Z,status,Done,Open\nPAY-2,2026-01-05,status,Open\n');
  writeFileSync(
    join(dir, 'decisions.csv'),
    'unit,decision,opened_at,made_at,priority\nA,D1,2026-01-05,2026-02-06,yes\nA,D2,2026-01-06,,no\n',
  );
});

describe('seici breakpoints', () => {
  it('finds the planted breakpoints with --json', () => {
    const r = seici(['breakpoints', '--events', 'events.csv', '--json'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { breakpoints, signals, ruleVersion } = r.json;
    expect(ruleVersion).toBe('seici-default-1');
    expect(breakpoints.map((b: any) => [b.unit, b.signal, b.cells, b.start, b.end, b.periods, b.peak])).toEqual([
      ['A', 'reopenRate', ['TxC', 'TxV'], '2026-02-16', '2026-03-23', 6, 0.4],
      ['B', 'rcDrop', ['RxC', 'RxA'], '2026-03-16', '2026-05-18', 10, expect.closeTo(0.6, 12)],
    ]);
    expect(signals).toHaveLength(40);
    expect(signals[0]).toMatchObject({ unit: 'A', period: '2026-01-05', reopenRate: 0.1, decisionLatency: null });
  });

  it('takes --persistence, --period and a rules file, and names the version', () => {
    const r = seici(['breakpoints', '--events', 'events.csv', '--rules', 'rules.json', '--persistence', '7', '--json'], dir);
    expect(r.status).toBe(0);
    expect(r.json.ruleVersion).toBe('acme-1+persistence=7');
    expect(r.json.breakpoints.map((b: any) => [b.unit, b.signal, b.ruleVersion])).toEqual([]);
    const months = seici(['breakpoints', '--events', 'events.csv', '--period', 'month', '--persistence', '2', '--json'], dir);
    expect(months.json.period).toBe('month');
    expect(months.json.signals[0].period).toBe('2026-01-01');
  });

  it('reads a decision log with --format', () => {
    const r = seici(['breakpoints', '--events', 'decisions.csv', '--format', 'decision-log', '--persistence', '2', '--json'], dir);
    expect(r.status).toBe(0);
    expect(r.json.breakpoints.map((b: any) => [b.signal, b.start, b.periods])).toEqual([['openPriorityDays', '2026-01-19', 2]]);
  });

  it('reads Jira exports with --format jira (REST JSON or changelog CSV)', () => {
    const r = seici(['breakpoints', '--events', 'jira.json', '--format', 'jira', '--json'], dir);
    expect(r.status).toBe(0);
    expect(r.json.n).toBe(1);
    expect(r.json.units).toEqual(['PAY']);
    const bad = seici(['breakpoints', '--events', 'jira.csv', '--format', 'jira', '--json'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('seici: --events jira.csv line 3: 4 fields, but the header has 5.');
  });

  it('prints a readable table without --json', () => {
    const r = seici(['breakpoints', '--events', 'events.csv'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('reopenRate');
    expect(r.stdout).toContain('2026-02-16');
  });

  it('exits 2 with one line naming the fault for bad input', () => {
    const cases: [string[], RegExp][] = [
      [['--events', 'bad.csv'], /^seici: --events bad.csv line 3: unknown type "closd"/],
      [['--events', 'missing.csv'], /^seici: --events missing.csv: no such file\.$/],
      [['--events', 'events.csv', '--period', 'year'], /^seici: --period must be one of day, week, sprint, month; got "year"\.$/],
      [['--events', 'events.csv', '--persistence', '0'], /^seici: --persistence must be at least 1; got 0\.$/],
      [['--events', 'events.csv', '--rules', 'bad-rules.json'], /^seici: --rules.persistence must be a whole number ≥ 1; got -1\.$/],
      [['--events', 'events.csv', '--format', 'xml'], /^seici: --format must be one of/],
      [['--events', 'events.csv', '--sprint-anchor', '2026-01-06', '--period', 'sprint'], /^seici: sprintAnchor must be a Monday/],
    ];
    for (const [args, message] of cases) {
      const r = seici(['breakpoints', ...args, '--json'], dir);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  });
});
