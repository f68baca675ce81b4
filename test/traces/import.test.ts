import { describe, expect, it } from 'vitest';
import { InputError } from '../../analysis/errors.js';
import { parsePerformanceCsv, performanceByUnit } from '../../analysis/dynamics/performance_quality.js';
import { parseDecisionLog } from '../../analysis/traces/parse_decision_log.js';
import { parseEventsCsv } from '../../analysis/traces/parse_events_csv.js';
import { parseEventsJson } from '../../analysis/traces/parse_events_json.js';
import { summarizeEvents } from '../../analysis/traces/import_summary.js';
import { parseJiraChangelog, parseJiraIssuesJson } from '../../analysis/traces/parse_jira_changelog.js';

const T = (s: string) => Date.parse(s);

/** Runs `f`, expecting an InputError; returns its message. */
function inputError(f: () => unknown): string {
  let result: unknown;
  try {
    result = f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error(`expected an InputError, got a result: ${JSON.stringify(result).slice(0, 100)}`);
}

describe('native events, CSV', () => {
  const good = [
    'unit,timestamp,type,key,ref',
    'A,2026-01-05T09:00:00Z,decision_opened,D1,priority',
    'A,2026-01-06,decision_made,D1,',
    'B,2026-01-07T10:00:00+01:00,rc_score,,4.5',
    'B,2026-01-07,artifact_created,dep1,"spec, v2"',
  ].join('\r\n');

  it('reads every row, with null for an empty ref and UTC times', () => {
    const events = parseEventsCsv(good);
    expect(events).toEqual([
      { unit: 'A', time: T('2026-01-05T09:00:00Z'), type: 'decision_opened', key: 'D1', ref: 'priority' },
      { unit: 'A', time: T('2026-01-06T00:00:00Z'), type: 'decision_made', key: 'D1', ref: null },
      { unit: 'B', time: T('2026-01-07T09:00:00Z'), type: 'rc_score', key: '', ref: '4.5' },
      { unit: 'B', time: T('2026-01-07T00:00:00Z'), type: 'artifact_created', key: 'dep1', ref: 'spec, v2' },
    ]);
  });

  it('summarises what each unit holds', () => {
    expect(summarizeEvents(parseEventsCsv(good))).toEqual([
      { unit: 'A', events: 2, first: '2026-01-05', last: '2026-01-06', types: { decision_opened: 1, decision_made: 1 } },
      { unit: 'B', events: 2, first: '2026-01-07', last: '2026-01-07', types: { rc_score: 1, artifact_created: 1 } },
    ]);
  });

  it('accepts any column order and no ref column', () => {
    const events = parseEventsCsv('type,unit,key,timestamp\nclosed,A,i1,2026-01-05\n\nreopened,A,i1,2026-01-06\n');
    expect(events.map((e) => e.type)).toEqual(['closed', 'reopened']);
  });

  it('names the line of a malformed row and returns nothing', () => {
    const lines = (bad: string) => ['unit,timestamp,type,key,ref', 'A,2026-01-05,closed,i1,', 'A,2026-01-05,closed,i2,', bad].join('\n');
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,finished,i3,')))).toMatch(/^events line 4: unknown type "finished"; expected one of decision_opened/);
    expect(inputError(() => parseEventsCsv(lines('A,05/01/2026,closed,i3,')))).toBe('events line 4: timestamp "05/01/2026" is not an ISO 8601 date or date-time.');
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,closed,,')))).toBe('events line 4: a closed event needs a key.');
    expect(inputError(() => parseEventsCsv(lines(',2026-01-05,closed,i3,')))).toBe('events line 4: unit is empty.');
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,rc_score,,6')))).toBe('events line 4: rc_score ref "6" is not a number from 1 to 5.');
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,rc_score,,good')))).toBe('events line 4: rc_score ref "good" is not a number from 1 to 5.');
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,rc_score,,')))).toMatch(/^events line 4: a rc_score event needs a ref/);
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,artifact_created,dep,')))).toMatch(/^events line 4: a artifact_created event needs a ref/);
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,closed')))).toBe('events line 4: 3 fields, but the header has 5.');
    expect(inputError(() => parseEventsCsv(lines('A,2026-01-05,closed,"i3,')))).toMatch(/^events line \d+: a quoted field is never closed\.$/);
  });

  it('counts lines across quoted line breaks and empty lines', () => {
    const text = 'unit,timestamp,type,key,ref\nA,2026-01-05,artifact_created,dep,"two\nlines"\n\nA,2026-01-05,nope,k,\n';
    expect(inputError(() => parseEventsCsv(text))).toMatch(/^events line 5: unknown type "nope"/);
    expect(inputError(() => parseEventsCsv('unit,when,type,key\n'))).toMatch(/has no timestamp column/);
    expect(inputError(() => parseEventsCsv(''))).toMatch(/is empty/);
  });
});

describe('native events, JSON', () => {
  it('reads an array or {events: [...]} and names the bad element', () => {
    const e = { unit: 'A', timestamp: '2026-01-05', type: 'rc_score', key: '', ref: 3.5 };
    expect(parseEventsJson([e])).toEqual([{ unit: 'A', time: T('2026-01-05'), type: 'rc_score', key: '', ref: '3.5' }]);
    expect(parseEventsJson({ events: [e, { ...e, ref: null, type: 'conflict_incident' }] })).toHaveLength(2);
    expect(inputError(() => parseEventsJson({ events: [e, { ...e, type: 'x' }] }))).toMatch(/^events\[1\]: unknown type "x"/);
    expect(inputError(() => parseEventsJson([e, 'closed']))).toMatch(/^events\[1\]: an event must be an object/);
    expect(parseEventsJson([{ ...e, unit: 7, type: 'closed', key: 12 }])[0]).toMatchObject({ unit: '7', key: '12' });
    expect(inputError(() => parseEventsJson([{ ...e, unit: true }]))).toBe('events[0]: unit must be a string; got true.');
    expect(inputError(() => parseEventsJson([{ ...e, timestamp: 1767571200000 }]))).toBe('events[0]: timestamp must be a string; got 1767571200000.');
    expect(inputError(() => parseEventsJson({ rows: [] }))).toMatch(/must be a JSON array of events/);
  });
});

describe('Jira changelog mapping', () => {
  const text = [
    'Issue key,Changed,Field,From,To',
    'PAY-1,2026-01-05T10:00:00Z,status,In Progress,Done',
    'PAY-1,2026-01-07T10:00:00Z,status,Done,In Progress',
    'PAY-1,2026-01-08T10:00:00Z,status,In Progress,Rework',
    'PAY-1,2026-01-09T10:00:00Z,status,Rework,Closed',
    'PAY-2,2026-01-05T11:00:00Z,Description,,First text',
    'PAY-2,2026-01-06T11:00:00Z,Description,First text,Second text',
    'PAY-2,2026-01-06T12:00:00Z,assignee,,kim',
    'OPS-7,2026-01-06T12:00:00Z,Acceptance Criteria,a,b',
  ].join('\n');

  it('maps status changes, reopenings, rework and re-specification', () => {
    const events = parseJiraChangelog(text);
    expect(events.map((e) => [e.unit, e.key, e.type, new Date(e.time).toISOString().slice(0, 10)])).toEqual([
      ['PAY', 'PAY-1', 'closed', '2026-01-05'],
      ['PAY', 'PAY-1', 'reopened', '2026-01-07'],
      ['PAY', 'PAY-1', 'rework', '2026-01-08'],
      ['PAY', 'PAY-1', 'closed', '2026-01-09'],
      ['PAY', 'PAY-2', 'respecified', '2026-01-06'],
      ['OPS', 'OPS-7', 'respecified', '2026-01-06'],
    ]);
  });

  it('can close on the resolution field and take the unit from a column', () => {
    const t = 'issue,team,created,field,fromString,toString\nX-1,payments,2026-01-05,resolution,,Fixed\nX-1,payments,2026-01-06,resolution,Fixed,\nX-1,payments,2026-01-06,status,Open,Done\n';
    const events = parseJiraChangelog(t, { closeOn: 'resolution' });
    expect(events.map((e) => [e.unit, e.type])).toEqual([['payments', 'closed'], ['payments', 'reopened']]);
  });

  it('names a malformed line, even one that maps to no event, and returns nothing', () => {
    const bad = text + '\nPAY-3,not a date,assignee,,kim';
    expect(inputError(() => parseJiraChangelog(bad, {}, 'jira'))).toBe('jira line 10: timestamp "not a date" is not an ISO 8601 date or date-time.');
    expect(inputError(() => parseJiraChangelog(text + '\n,2026-01-05,status,Open,Done'))).toBe('jira line 10: the issue key is empty.');
  });
});

describe('Jira REST JSON with the changelog expanded', () => {
  const answer = {
    issues: [
      {
        key: 'PAY-1',
        fields: { project: { key: 'PAY' } },
        changelog: {
          histories: [
            { created: '2026-01-05T10:00:00.000+0100', items: [{ field: 'status', fromString: 'In Progress', toString: 'Done' }] },
            { created: '2026-01-07T10:00:00.000+0100', items: [{ field: 'assignee', fromString: null, toString: 'kim' }, { field: 'status', fromString: 'Done', toString: 'Rework' }] },
          ],
        },
      },
      { key: 'OPS-2', fields: {}, changelog: { histories: [] } },
    ],
  };

  it('maps the same way as the CSV changelog', () => {
    const events = parseJiraIssuesJson(answer);
    expect(events.map((e) => [e.unit, e.key, e.type, new Date(e.time).toISOString()])).toEqual([
      ['PAY', 'PAY-1', 'closed', '2026-01-05T09:00:00.000Z'],
      ['PAY', 'PAY-1', 'reopened', '2026-01-07T09:00:00.000Z'],
      ['PAY', 'PAY-1', 'rework', '2026-01-07T09:00:00.000Z'],
    ]);
  });

  it('names the item at fault and returns nothing', () => {
    const bad = structuredClone(answer);
    bad.issues[0].changelog.histories[1].created = 'last Tuesday';
    expect(inputError(() => parseJiraIssuesJson(bad))).toMatch(/^jira issues\[0\]\.changelog\.histories\[1\]\.items\[0\]: timestamp "last Tuesday" is not/);
    expect(inputError(() => parseJiraIssuesJson({ issues: [{ fields: {} }] }))).toBe('jira issues[0]: the issue key is missing.');
    expect(inputError(() => parseJiraIssuesJson([]))).toMatch(/"issues" array/);
  });
});

describe('decision log mapping', () => {
  it('emits openings, approvals, escalations and decisions', () => {
    const text = [
      'unit,decision,opened_at,made_at,priority,approvals,escalations',
      'A,D1,2026-01-05T09:00Z,2026-01-08T09:00Z,yes,2,2026-01-06T09:00Z;2026-01-07T09:00Z',
      'A,D2,2026-01-06T09:00Z,,,,1',
    ].join('\n');
    const events = parseDecisionLog(text);
    expect(events.map((e) => [e.key, e.type, e.ref, new Date(e.time).toISOString().slice(0, 13)])).toEqual([
      ['D1', 'decision_opened', 'priority', '2026-01-05T09'],
      ['D1', 'approval', null, '2026-01-08T09'],
      ['D1', 'approval', null, '2026-01-08T09'],
      ['D1', 'escalation', null, '2026-01-06T09'],
      ['D1', 'escalation', null, '2026-01-07T09'],
      ['D1', 'decision_made', null, '2026-01-08T09'],
      ['D2', 'decision_opened', null, '2026-01-06T09'],
      ['D2', 'escalation', null, '2026-01-06T09'],
    ]);
  });

  it('names the line at fault and returns nothing', () => {
    const head = 'unit,decision,opened_at,made_at,approvals\nA,D1,2026-01-05,2026-01-06,1\n';
    expect(inputError(() => parseDecisionLog(head + 'A,D2,2026-01-07,2026-01-06,\n'))).toBe('decisions line 3: made_at 2026-01-06 is before opened_at.');
    expect(inputError(() => parseDecisionLog(head + 'A,D2,2026-01-07,,many\n'))).toMatch(/^decisions line 3: approvals "many" is neither/);
    expect(inputError(() => parseDecisionLog(head + 'A,D2,2026-01-07,2026-01-09,2026-01-10\n'))).toMatch(/^decisions line 3: an approval time lies outside/);
    expect(inputError(() => parseDecisionLog(head + 'A,,2026-01-07,,\n'))).toBe('decisions line 3: a decision_opened event needs a key.');
  });
});

describe('performance-quality imports', () => {
  it('reads unit, period, measure and value, grouped apart from the signals', () => {
    const text = 'unit,wave,measure,value\nA,2026Q1,cycleTime,12.5\nA,2026Q2,cycleTime,10\nB,2026Q1,quality,0.93\nA,2026Q1,quality,0.9\n';
    const records = parsePerformanceCsv(text);
    expect(records).toHaveLength(4);
    expect(performanceByUnit(records)).toEqual([
      { unit: 'A', measures: { cycleTime: [{ period: '2026Q1', value: 12.5 }, { period: '2026Q2', value: 10 }], quality: [{ period: '2026Q1', value: 0.9 }] } },
      { unit: 'B', measures: { quality: [{ period: '2026Q1', value: 0.93 }] } },
    ]);
    expect(inputError(() => parsePerformanceCsv(text + 'B,2026Q2,quality,high\n'))).toBe('pq line 6: value "high" is not a number.');
    expect(inputError(() => parsePerformanceCsv(text + 'A,2026Q1,quality,1\n'))).toBe('pq line 6: quality of unit A in 2026Q1 is given twice.');
  });
});
