import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseDecisionLog,
  parseEventsCsv,
  parseEventsJson,
  parseJiraChangelog,
  parseJiraIssuesJson,
  summarizeEvents,
  type CoordinationEvent,
} from '../../analysis/index.js';
import { TraceEventTable } from '../../server/dynamics/trace_event_table.js';
import { readPerformanceUpload, readTraceImport, readTraceUpload, type TraceFormat } from '../../server/dynamics/trace_formats.js';
import { HttpError } from '../../server/errors.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from '../server/harness.js';
import { createUnits, refused } from './helpers.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);
const TYPES = ['closed', 'reopened', 'rework', 'decision_opened', 'decision_made', 'approval', 'escalation', 'revisited', 'artifact_created', 'rc_score'] as const;

/** `n` events of `unit`, of every kind of key and ref (none, non-ASCII, quoted, a number). */
function events(unit: string, n: number): CoordinationEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const type = TYPES[i % TYPES.length];
    const ref = type === 'artifact_created' ? `Spec "v${i}", Köln` : type === 'rc_score' ? String(1 + (i % 40) / 10) : type === 'decision_opened' && i % 3 === 0 ? 'priority' : null;
    return { unit, time: START + (i % 90) * DAY + ((i * 7919) % 86_400) * 1000, type, key: type === 'rc_score' ? '' : `Ä-${i % 700}`, ref };
  });
}

const quote = (s: string) => (/[",\n;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The stored events of an import as the analysis' events of `unit`, in storage order. */
async function stored(t: TestApp, importId: number, unit: string): Promise<CoordinationEvent[]> {
  const rows: { time: number | string; type: CoordinationEvent['type']; key: string; ref: string | null }[] = await t.db('trace_events').where({ import_id: importId }).orderBy('id').select('time', 'type', 'key', 'ref');
  return rows.map((r) => ({ unit, time: Number(r.time), type: r.type, key: r.key, ref: r.ref ?? null }));
}

describe('TraceEventTable', () => {
  it('gives back every event and summarises them as summarizeEvents does', () => {
    const list = events('u', 5000);
    const table = TraceEventTable.of(list);
    expect(table.length).toBe(5000);
    const back = Array.from({ length: table.length }, (_, i) => ({ unit: 'u', time: table.time(i), type: table.type(i), key: table.key(i), ref: table.ref(i) }));
    expect(back).toEqual(list);
    expect(table.summary('u')).toEqual(summarizeEvents(list)[0]);
    expect(JSON.stringify(table.summary('u')!.types)).toBe(JSON.stringify(summarizeEvents(list)[0].types));
    expect(new TraceEventTable().summary('u')).toBeUndefined();
  });
});

/** A request whose body arrives in pieces of 100 bytes. */
function requestOf(body: string, type: string): IncomingMessage {
  const bytes = Buffer.from(body, 'utf8');
  let at = 0;
  const stream = new Readable({
    read() {
      this.push(at < bytes.length ? bytes.subarray(at, (at += 100)) : null);
    },
  });
  return Object.assign(stream, { headers: { 'content-type': type } }) as unknown as IncomingMessage;
}

describe('readTraceUpload over its limit', () => {
  const limit = { bytes: 10_000, tooLarge: 'The import is larger than the limit of 10 kB.' };
  it('answers 413 with the limit\'s sentence for every format, as soon as the body passes it', async () => {
    const issue = JSON.stringify({ key: 'PAY-1', changelog: { histories: [{ created: '2026-01-05', items: [{ field: 'status', fromString: 'Open', toString: 'Done' }] }] } });
    const bodies: [TraceFormat, 'csv' | 'json', string, string][] = [
      ['jira', 'json', 'application/json', `{"issues": [${Array(200).fill(issue).join(',')}]}`],
      ['json', 'json', 'application/json', JSON.stringify(Array(200).fill({ unit: 'u', timestamp: '2026-01-05', type: 'closed', key: 'K' }))],
      ['native', 'csv', 'text/csv', 'unit,timestamp,type,key\n' + 'u,2026-01-05,closed,K\n'.repeat(1000)],
    ];
    for (const [format, type, contentType, body] of bodies) {
      expect(body.length).toBeGreaterThan(limit.bytes);
      const err = await readTraceUpload({ req: requestOf(body, contentType), limit, type }, format, 'u').then(() => null, (e: unknown) => e);
      expect(err, format).toBeInstanceOf(HttpError);
      expect((err as HttpError).status).toBe(413);
      expect((err as HttpError).message).toBe(limit.tooLarge);
      // the same body under a larger limit is read
      const table = await readTraceUpload({ req: requestOf(body, contentType), limit: { ...limit, bytes: 1e6 }, type }, format, 'u');
      expect(table.length, format).toBeGreaterThan(100);
    }
  });
});

describe('an import whose body is in memory (a console form, the demo)', () => {
  it('is read by the same readers as an upload: a CSV text row by row, parsed JSON as the analysis parses it', async () => {
    const csv = 'unit;timestamp;type;key;ref\nu;2026-01-05;closed;K1;\n\nu;2026-01-06;rc_score;;4,5\n';
    const table = readTraceImport('native', csv, 'u');
    const streamed = await readTraceUpload({ req: requestOf(csv, 'text/csv'), limit: { bytes: 1e6, tooLarge: 'too large' }, type: 'csv' }, 'native', 'u');
    const rows = (t: TraceEventTable) => Array.from({ length: t.length }, (_, i) => [t.time(i), t.type(i), t.key(i), t.ref(i)]);
    expect(rows(table)).toEqual([[Date.UTC(2026, 0, 5), 'closed', 'K1', null], [Date.UTC(2026, 0, 6), 'rc_score', '', '4.5']]);
    expect(rows(streamed)).toEqual(rows(table));
    expect(() => readTraceImport('native', csv.replace('closed', 'merged'), 'u')).toThrow(/^events line 2: unknown type "merged"/);
    expect(() => readTraceImport('native', csv.replace('u;2026-01-06', 'v;2026-01-06'), 'u')).toThrow(/^events line 4: unit "v" is not the unit of this import, "u"/);
    expect(() => readTraceImport('native', [{ unit: 'v', timestamp: '2026-01-05', type: 'closed', key: 'A' }], 'u')).toThrow(/^events\[0\]: unit "v"/);
    const pq = await readPerformanceUpload('period,measure,value\n2026Q1,cycle time,4.5\n2026Q2,cycle time,3\n2026Q2,quality,0.9\n', 'u');
    expect(Array.from({ length: pq.length }, (_, i) => [pq.period(i), pq.measure(i), pq.value(i), pq.line(i)])).toEqual([
      ['2026Q1', 'cycle time', 4.5, 2],
      ['2026Q2', 'cycle time', 3, 3],
      ['2026Q2', 'quality', 0.9, 4],
    ]);
    expect(pq.measures).toEqual(['cycle time', 'quality']);
  });
});

/**
 * Every trace format read as a stream stores what the whole-file parser of analysis/traces reads
 * from the same file (the reference, as before streaming): same events, same order, same summary.
 */
describe.each(BACKENDS)('streamed trace uploads on $name', (backend) => {
  let t: TestApp;
  const api = () => request(t.app);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    await createUnits(t, ['team-s', 'team-j']);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** Posts a body and checks the import stored `expected` (under `unit`) with its summary. */
  async function imports(path: string, type: string, body: string, unit: string, expected: CoordinationEvent[]): Promise<void> {
    const res = await api().post(path).set(AUTH).set('Content-Type', type).send(body);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201);
    const summary = summarizeEvents(expected.map((e) => ({ ...e, unit })))[0];
    expect(res.body).toMatchObject({ events: summary.events, first: summary.first, last: summary.last, types: summary.types });
    expect(await stored(t, res.body.id, unit)).toEqual(expected.map((e) => ({ ...e, unit })));
  }

  describe.skipIf(backend.skip)('formats', () => {
    it('native CSV, comma and semicolon, stores what parseEventsCsv reads', async () => {
      const list = events('team-s', 3000);
      const rows = list.map((e) => [e.unit, new Date(e.time).toISOString(), e.type, e.key, e.ref ?? ''].map(quote));
      const comma = ['unit,timestamp,type,key,ref', ...rows.map((r) => r.join(','))].join('\r\n');
      await imports('/api/v1/units/team-s/traces', 'text/csv', comma, 'team-s', parseEventsCsv(comma));
      const semicolon = ['unit;timestamp;type;key;ref', ...rows.map((r) => r.join(';'))].join('\n');
      await imports('/api/v1/units/team-s/traces', 'text/csv', semicolon, 'team-s', parseEventsCsv(comma));
    });

    it('native JSON stores what parseEventsJson reads', async () => {
      const json = events('team-s', 2000).map((e) => ({ unit: e.unit, timestamp: new Date(e.time).toISOString(), type: e.type, key: e.key, ref: e.ref }));
      await imports('/api/v1/units/team-s/traces?format=json', 'application/json', JSON.stringify({ events: json }), 'team-s', parseEventsJson(json));
    });

    it('a Jira changelog CSV and a Jira REST answer store what parseJiraChangelog and parseJiraIssuesJson read, under the unit of the path', async () => {
      const statuses = ['In Progress', 'Done', 'Rework', 'Closed', 'Review'];
      const changes = Array.from({ length: 2500 }, (_, i) => ({
        key: `PAY-${i % 400}`,
        at: new Date(START + i * 3_600_000).toISOString(),
        field: i % 7 === 0 ? 'Description' : i % 11 === 0 ? 'assignee' : 'status',
        from: statuses[i % 5],
        to: statuses[(i * 3 + 1) % 5],
      }));
      const csv = ['Issue key,Changed,Field,From,To', ...changes.map((c) => [c.key, c.at, c.field, c.from, c.to].map(quote).join(','))].join('\n');
      await imports('/api/v1/units/team-j/traces?format=jira', 'text/csv', csv, 'team-j', parseJiraChangelog(csv));
      const answer = {
        startAt: 0,
        maxResults: 50,
        total: 400,
        issues: Array.from({ length: 400 }, (_, k) => ({
          key: `OPS-${k}`,
          fields: { project: { key: 'OPS' }, summary: 'x ] } "issues": [' },
          changelog: { histories: changes.filter((_c, i) => i % 400 === k).map((c) => ({ created: c.at, items: [{ field: c.field, fromString: c.from, toString: c.to }] })) },
        })),
        names: { issues: 'not the array' },
      };
      await imports('/api/v1/units/team-j/traces?format=jira', 'application/json', JSON.stringify(answer), 'team-j', parseJiraIssuesJson(answer));
    });

    it('a decision log stores what parseDecisionLog reads', async () => {
      const log = [
        'team,decision,opened_at,made_at,priority,approvals,escalations',
        ...Array.from({ length: 500 }, (_, i) => {
          const opened = new Date(START + i * DAY).toISOString();
          const made = i % 4 === 0 ? '' : new Date(START + i * DAY + 3 * DAY).toISOString();
          const escalations = i % 5 === 0 ? `${new Date(START + i * DAY + DAY).toISOString()};${new Date(START + i * DAY + 2 * DAY).toISOString()}` : '';
          return `team-j,D-${i},${opened},${made},${i % 3 === 0 ? 'yes' : 'no'},${i % 4 === 0 ? '' : i % 3},${escalations}`;
        }),
      ].join('\n');
      await imports('/api/v1/units/team-j/traces?format=decision-log', 'text/csv', log, 'team-j', parseDecisionLog(log));
    });
  });

  describe.skipIf(backend.skip)('refusals', () => {
    it('names every bad issue of a Jira REST answer and stores nothing', async () => {
      const issue = (key: string, created: string) => ({ key, changelog: { histories: [{ created, items: [{ field: 'status', fromString: 'Open', toString: 'Done' }] }] } });
      const body = { issues: [issue('PAY-1', '2026-01-05'), issue('PAY-2', 'soon'), { fields: {} }, issue('PAY-4', '2026-01-06'), { key: 'PAY-5', changelog: { histories: 'x' } }] };
      const res = await refused(t, () => api().post('/api/v1/units/team-j/traces?format=jira').set(AUTH).send(body), 400, /^3 lines cannot be imported, so nothing was stored: /);
      expect(res.body.error).toBe(
        '3 lines cannot be imported, so nothing was stored: jira issues[1].changelog.histories[0].items[0]: timestamp "soon" is not an ISO 8601 date or date-time; jira issues[2]: the issue key is missing; jira issues[4].changelog.histories must be a list.',
      );
      await refused(t, () => api().post('/api/v1/units/team-j/traces?format=jira').set(AUTH).send([issue('PAY-1', '2026-01-05')]), 400, /^jira must be a JSON object with an "issues" array\.$/);
      await refused(t, () => api().post('/api/v1/units/team-j/traces?format=jira').set(AUTH).send({ issues: 'none' }), 400, /^jira must be a JSON object with an "issues" array\.$/);
      await refused(t, () => api().post('/api/v1/units/team-j/traces?format=jira').set(AUTH).set('Content-Type', 'application/json').send('{"issues": [{"key": "PAY-1"}'), 400, /^The JSON body ends before the jira issues array closes/);
    });

    it('lists rows of another unit only when no row is bad otherwise, as before streaming', async () => {
      const head = 'unit,timestamp,type,key,ref\n';
      const mixed = head + 'team-s,2026-01-05,closed,A,\nteam-x,2026-01-05,closed,B,\nteam-s,yesterday,closed,C,\nteam-y,2026-01-05,closed,D,\n';
      await refused(t, () => api().post('/api/v1/units/team-s/traces').set(AUTH).set('Content-Type', 'text/csv').send(mixed), 400, /^events line 4: timestamp "yesterday" is not an ISO 8601 date or date-time\.$/);
      const others = head + 'team-s,2026-01-05,closed,A,\nteam-x,2026-01-05,closed,B,\nteam-y,2026-01-05,closed,D,\n';
      const res = await refused(t, () => api().post('/api/v1/units/team-s/traces').set(AUTH).set('Content-Type', 'text/csv').send(others), 400, /^2 lines cannot be imported/);
      expect(res.body.error).toMatch(/events line 3: unit "team-x" is not the unit of this import, "team-s"; .*; events line 4: unit "team-y"/);
    });
  });
});
