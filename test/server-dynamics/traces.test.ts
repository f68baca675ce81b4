import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, rowCount, type TestApp } from '../server/harness.js';
import { createUnits, dynamicsSnapshot, refused, reopenStreamCsv } from './helpers.js';

describe.each(BACKENDS)('trace and PQ imports on $name', (backend) => {
  let t: TestApp;
  const api = () => request(t.app);
  const csv = (path: string, body: string, auth: Record<string, string> = AUTH) => api().post(path).set(auth).set('Content-Type', 'text/csv').send(body);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    await createUnits(t, ['team-a', 'team-b', 'team-c', 'PAY']);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  describe.skipIf(backend.skip)('imports', () => {
    it('refuses every dynamics call without a valid admin token, storing nothing', async () => {
      const body = reopenStreamCsv('team-a', 2);
      await refused(t, () => csv('/api/v1/units/team-a/traces', body, {}), 401, /admin token/);
      await refused(t, () => csv('/api/v1/units/team-a/traces', body, { Authorization: 'Bearer not-a-real-token-at-all-000000000000' }), 401, /not valid/);
      await refused(t, () => csv('/api/v1/units/team-a/performance', 'period,measure,value\n2026Q1,cycle,3\n', {}), 401, /admin token/);
      for (const path of ['/api/v1/units/team-a/traces', '/api/v1/units/team-a/performance', '/api/v1/breakpoint-rules', '/api/v1/units/team-a/breakpoints', '/api/v1/units/team-a/diagnosis']) {
        expect((await api().get(path)).status, path).toBe(401);
      }
      await refused(t, () => api().post('/api/v1/breakpoint-rules').send({ version: 'x' }), 401, /admin token/);
    });

    it('accepts a console session for imports only with its CSRF token', async () => {
      const login = await api().post('/login').type('form').send({ token: ADMIN_TOKEN });
      expect(login.status).toBe(303);
      const session = (login.headers['set-cookie'][0] as string).split(';')[0];
      const csrf = (await t.db('admin_sessions').orderBy('created_at', 'desc').first()).csrf_token as string;
      const body = 'unit,timestamp,type,key,ref\nteam-c,2026-01-06,closed,A,\n';
      await refused(t, () => api().post('/api/v1/units/team-c/traces').set('Cookie', session).set('Content-Type', 'text/csv').send(body), 403, /CSRF/);
      const ok = await api().post('/api/v1/units/team-c/traces').set('Cookie', session).set('x-csrf-token', csrf).set('Content-Type', 'text/csv').send(body);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.importedBy).toEqual(expect.any(String));
      expect((await api().get('/api/v1/units/team-c/traces').set('Cookie', session)).body.imports).toHaveLength(1);
    });

    it('imports a native CSV under the unit of the path, with an import record and an audit entry naming the token', async () => {
      const created = await api().post('/api/v1/admin/tokens').set(AUTH).send({ name: 'importer' });
      expect(created.status).toBe(201);
      const res = await api()
        .post('/api/v1/units/team-a/traces?source=reopens.csv')
        .set({ Authorization: `Bearer ${created.body.token}` })
        .set('Content-Type', 'text/csv')
        .send(reopenStreamCsv('team-a', 3));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.any(Number),
        unitKey: 'team-a',
        format: 'native',
        source: 'reopens.csv',
        events: 64,
        first: '2026-01-06',
        last: '2026-01-22',
        types: { closed: 60, reopened: 4 },
        importedBy: 'token:importer',
      });
      expect(await t.db('trace_events').where({ import_id: res.body.id }).count({ n: '*' }).then(([r]) => Number(r.n))).toBe(64);
      const audit = await api().get('/api/v1/audit?limit=1').set(AUTH);
      expect(audit.body.entries[0]).toMatchObject({ actor: 'token:importer', action: 'traces.import', target: 'unit:team-a', details: { importId: res.body.id, format: 'native', events: 64 } });
    });

    it('imports native JSON (format=json, and native sent as JSON)', async () => {
      const events = [
        { unit: 'team-b', timestamp: '2026-01-05T09:00:00Z', type: 'decision_opened', key: 'D1', ref: 'priority' },
        { unit: 'team-b', timestamp: '2026-01-07T09:00:00Z', type: 'decision_made', key: 'D1' },
        { unit: 'team-b', timestamp: '2026-01-08', type: 'rc_score', key: '', ref: 4.2 },
      ];
      const a = await api().post('/api/v1/units/team-b/traces?format=json').set(AUTH).send(events);
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect(a.body).toMatchObject({ format: 'json', events: 3, types: { decision_opened: 1, decision_made: 1, rc_score: 1 } });
      const b = await api().post('/api/v1/units/team-b/traces').set(AUTH).send({ events });
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      expect(b.body.format).toBe('native');
    });

    it('maps a Jira changelog CSV and a Jira REST answer to the unit of the path', async () => {
      const changelog = [
        'Issue key,Changed,Field,From,To',
        'PAY-1,2026-01-06T10:00:00Z,status,In Progress,Done',
        'PAY-1,2026-01-08T10:00:00Z,status,Done,In Progress',
        'PAY-2,2026-01-09T10:00:00Z,Description,old text,new text',
        'PAY-3,2026-01-09T11:00:00Z,assignee,a,b',
      ].join('\n');
      const res = await csv('/api/v1/units/team-b/traces?format=jira', changelog);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ unitKey: 'team-b', format: 'jira', events: 3, types: { closed: 1, reopened: 1, respecified: 1 } });
      const rest = {
        issues: [
          {
            key: 'OPS-7',
            fields: { project: { key: 'OPS' } },
            changelog: { histories: [{ created: '2026-01-12T08:00:00Z', items: [{ field: 'status', fromString: 'Review', toString: 'Closed' }] }] },
          },
        ],
      };
      const json = await api().post('/api/v1/units/team-b/traces?format=jira').set(AUTH).send(rest);
      expect(json.status, JSON.stringify(json.body)).toBe(201);
      expect(json.body).toMatchObject({ format: 'jira', events: 1, types: { closed: 1 } });
      const stored = await t.db('trace_events').where({ import_id: json.body.id }).first();
      expect(stored).toMatchObject({ type: 'closed', key: 'OPS-7' });
    });

    it('maps a decision log', async () => {
      const log = [
        'team,decision,opened_at,made_at,priority,approvals,escalations',
        'team-b,D7,2026-01-05T09:00:00Z,2026-01-09T09:00:00Z,yes,2,',
        'team-b,D8,2026-01-06T09:00:00Z,,no,,2026-01-07T09:00:00Z;2026-01-08T09:00:00Z',
      ].join('\n');
      const res = await csv('/api/v1/units/team-b/traces?format=decision-log', log);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ format: 'decision-log', events: 7, types: { decision_opened: 2, decision_made: 1, approval: 2, escalation: 2 } });
    });

    it('refuses a file with one malformed line, naming the line, and stores nothing from it', async () => {
      const good = reopenStreamCsv('team-a', 2).trimEnd().split('\n');
      const bad = [...good.slice(0, 30), 'team-a,2026-02-30T10:00:00Z,closed,X,', ...good.slice(30)].join('\n');
      await refused(t, () => csv('/api/v1/units/team-a/traces', bad), 400, /^events line 31: timestamp "2026-02-30T10:00:00Z" is not an ISO 8601/);
      const unknown = [...good.slice(0, 5), 'team-a,2026-01-06,merged,X,', ...good.slice(5)].join('\n');
      await refused(t, () => csv('/api/v1/units/team-a/traces', unknown), 400, /^events line 6: unknown type "merged"/);
      const fields = [...good.slice(0, 3), 'team-a,2026-01-06,closed', ...good.slice(3)].join('\n');
      await refused(t, () => csv('/api/v1/units/team-a/traces', fields), 400, /^events line 4: 3 fields, but the header has 5/);
      await refused(t, () => api().post('/api/v1/units/team-a/traces?format=json').set(AUTH).send([{ unit: 'team-a', timestamp: '2026-01-05', type: 'closed', key: 'A' }, { unit: 'team-a', timestamp: 'soon', type: 'closed', key: 'B' }]), 400, /^events\[1\]: timestamp "soon"/);
      await refused(t, () => csv('/api/v1/units/team-b/traces?format=decision-log', 'unit,decision,opened_at,made_at\nteam-b,D1,2026-01-05,2026-01-09\nteam-b,D2,2026-01-09,2026-01-05\n'), 400, /^decisions line 3: made_at 2026-01-05 is before opened_at/);
      await refused(t, () => csv('/api/v1/units/team-b/traces?format=jira', 'Issue key,Changed,Field\nPAY-1,2026-01-05,status\nPAY-2,yesterday,status\n'), 400, /^jira line 3: timestamp "yesterday"/);
    });

    it('reads a JSON import as a stream, element by element, and names every bad event of it with nothing stored', async () => {
      const before = await dynamicsSnapshot(t.db);
      const many = Array.from({ length: 3000 }, (_, i) => ({ unit: 'team-c', timestamp: new Date(Date.UTC(2026, 0, 5) + i * 3_600_000).toISOString(), type: i % 2 ? 'closed' : 'reopened', key: `K${i}`, ref: null }));
      const bad = many.map((e, i) => (i === 7 ? { ...e, timestamp: 'soon' } : i === 1200 ? { ...e, unit: 'team-a' } : i === 2999 ? { ...e, type: 'merged' } : e));
      const refusal = await refused(t, () => api().post('/api/v1/units/team-c/traces?format=json').set(AUTH).send({ source: 'export', events: bad }), 400, /^3 lines cannot be imported, so nothing was stored: /);
      expect(refusal.body.error).toMatch(/events\[7\]: timestamp "soon".*; events\[1200\]: unit "team-a" is not the unit of this import.*; events\[2999\]: unknown type "merged"/);
      expect(await dynamicsSnapshot(t.db)).toEqual(before);
      const listed = await refused(t, () => api().post('/api/v1/units/team-c/traces?format=json').set(AUTH).send(many.map((e) => ({ ...e, type: 'merged' }))), 400, /^3000 lines cannot be imported, so nothing was stored: events\[0\]: unknown type "merged"/);
      expect(listed.body.error).toMatch(/events\[19\]: unknown type "merged".*; and 2980 more\.$/);
      expect(listed.body.error).not.toContain('events[20]');
      const ok = await api().post('/api/v1/units/team-c/traces?format=json').set(AUTH).send({ source: 'export', events: many });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body).toMatchObject({ format: 'json', events: 3000, types: { closed: 1500, reopened: 1500 } });
      expect(Number((await t.db('trace_events').where({ import_id: ok.body.id }).count('* as n'))[0].n)).toBe(3000);
      await refused(t, () => api().post('/api/v1/units/team-c/traces?format=json').set(AUTH).set('Content-Type', 'application/json').send('[{"unit": "team-c"} {"unit": "team-c"}]'), 400, /^The JSON body is not valid JSON: expected a comma or \] after events\[0\]/);
      expect((await api().delete(`/api/v1/units/team-c/traces/${ok.body.id}`).set(AUTH)).status).toBe(200);
    });

    it('refuses rows of another unit with their line, an unknown unit, an unknown format, an empty file and a wrong content type', async () => {
      const mixed = 'unit,timestamp,type,key,ref\nteam-a,2026-01-06,closed,A,\n\nteam-b,2026-01-06,closed,B,\n';
      await refused(t, () => csv('/api/v1/units/team-a/traces', mixed), 400, /^events line 4: unit "team-b" is not the unit of this import, "team-a"/);
      await refused(t, () => csv('/api/v1/units/team-b/traces?format=decision-log', 'unit,decision,opened_at\nteam-b,D1,2026-01-05\nteam-a,D2,2026-01-05\n'), 400, /^decisions line 3: unit "team-a"/);
      await refused(t, () => api().post('/api/v1/units/team-a/traces?format=json').set(AUTH).send([{ unit: 'team-b', timestamp: '2026-01-05', type: 'closed', key: 'A' }]), 400, /^events\[0\]: unit "team-b"/);
      await refused(t, () => csv('/api/v1/units/nobody/traces', mixed), 404, /nobody/);
      await refused(t, () => csv('/api/v1/units/team-a/traces?format=xml', mixed), 400, /^format must be one of "native", "json", "jira", "decision-log"; got "xml"/);
      await refused(t, () => csv('/api/v1/units/team-a/traces', 'unit,timestamp,type,key,ref\n'), 400, /holds no coordination events/);
      await refused(t, () => csv('/api/v1/units/team-a/traces?format=json', mixed), 415, /application\/json/);
      await refused(t, () => api().post('/api/v1/units/team-a/traces').set(AUTH).set('Content-Type', 'application/xml').send('<x/>'), 415, /text\/csv/);
    });

    it('answers malformed bodies of every kind with a 4xx sentence, never a 500', async () => {
      const cases: [() => Promise<request.Response>, number][] = [
        [() => api().post('/api/v1/units/team-a/traces?format=jira').set(AUTH).send({ issues: 'none' }), 400],
        [() => api().post('/api/v1/units/team-a/traces?format=jira').set(AUTH).send({ issues: [{ key: 'PAY-1', changelog: { histories: 'x' } }] }), 400],
        [() => api().post('/api/v1/units/team-a/traces?format=json').set(AUTH).send([1, 2]), 400],
        [() => api().post('/api/v1/units/team-a/traces?format=json').set(AUTH).send({ events: [{ unit: 'team-a', timestamp: 5, type: 'closed', key: 'A' }] }), 400],
        [() => api().post('/api/v1/units/team-a/traces?format=decision-log').set(AUTH).send({ rows: [] }), 415],
        [() => api().post('/api/v1/units/team-a/traces').set(AUTH).set('Content-Type', 'application/json').send('{"events": ['), 400],
        [() => csv('/api/v1/units/team-a/traces', 'unit,timestamp,type,key,ref\nteam-a,"2026-01-05,closed,A,\n'), 400],
        [() => csv('/api/v1/units/team-a/traces', ''), 400],
        [() => csv('/api/v1/units/team-a/traces?source=' + 'x'.repeat(300), 'unit,timestamp,type,key\nteam-a,2026-01-05,closed,A\n'), 400],
        [() => api().post('/api/v1/units/team-a/performance').set(AUTH).send({ period: 'Q1' }), 415],
        [() => csv('/api/v1/units/team-a/performance', ''), 400],
        [() => csv('/api/v1/units/team-a/performance', 'period,measure,value\n' + 'p'.repeat(101) + ',m,1\n'), 400],
        [() => api().post('/api/v1/breakpoint-rules').set(AUTH).send([1]), 400],
        [() => api().post('/api/v1/breakpoint-rules').set(AUTH).set('Content-Type', 'text/csv').send('version\nx\n'), 415],
        [() => api().post('/api/v1/breakpoint-rules').set(AUTH).send({ version: 'x', signals: { reopenRate: { threshold: { kind: 'relative', factor: 0 }, cells: ['TxC'] } } }), 400],
        [() => api().delete('/api/v1/units/team-a/traces/abc').set(AUTH), 400],
        [() => api().get('/api/v1/units/team-a/diagnosis?wave=0').set(AUTH), 400],
        [() => api().get('/api/v1/units/team-a/breakpoints?extra=1').set(AUTH), 400],
      ];
      for (const [send, status] of cases) {
        const res = await refused(t, send, status, /./);
        expect(res.body.error).not.toMatch(/went wrong/);
      }
    });

    it('lists the imports of a unit and deletes one with its events', async () => {
      const list = await api().get('/api/v1/units/team-b/traces').set(AUTH);
      expect(list.status).toBe(200);
      expect(list.body.imports.map((i: { format: string }) => i.format)).toEqual(['json', 'native', 'jira', 'jira', 'decision-log']);
      const target = list.body.imports[2];
      const before = await rowCount(t.db, 'trace_events');
      const del = await api().delete(`/api/v1/units/team-b/traces/${target.id}`).set(AUTH);
      expect(del.status, JSON.stringify(del.body)).toBe(200);
      expect(del.body).toEqual(target);
      expect(await rowCount(t.db, 'trace_events')).toBe(before - target.events);
      expect((await api().get('/api/v1/units/team-b/traces').set(AUTH)).body.imports).toHaveLength(4);
      await refused(t, () => api().delete(`/api/v1/units/team-b/traces/${target.id}`).set(AUTH), 404, /no trace import with the id/);
      const other = (await api().get('/api/v1/units/team-a/traces').set(AUTH)).body.imports[0];
      await refused(t, () => api().delete(`/api/v1/units/team-b/traces/${other.id}`).set(AUTH), 404, /"team-b" has no trace import/);
    });

    it('imports PQ outcomes apart from the traces, with or without a unit column; a bad line is named and nothing stored', async () => {
      const res = await csv('/api/v1/units/team-a/performance?source=pq.csv', 'period,measure,value\n2026Q1,cycle time,4.5\n\n2026Q1,quality,0.92\n');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ unitKey: 'team-a', records: 2, source: 'pq.csv' });
      const withUnit = await csv('/api/v1/units/team-a/performance', 'unit,wave,measure,value\nteam-a,2026Q2,"cycle time",3.9\n');
      expect(withUnit.status, JSON.stringify(withUnit.body)).toBe(201);
      const events = await rowCount(t.db, 'trace_events');
      await refused(t, () => csv('/api/v1/units/team-a/performance', 'period,measure,value\n2026Q3,quality,0.9\n\n2026Q3,"cycle time",fast\n'), 400, /^pq line 4: value "fast" is not a number/);
      await refused(t, () => csv('/api/v1/units/team-a/performance', 'unit,period,measure,value\nteam-a,2026Q3,quality,0.9\nteam-b,2026Q3,quality,0.8\n'), 400, /^pq line 3: unit "team-b"/);
      await refused(t, () => csv('/api/v1/units/team-a/performance', 'period,measure,value\n2026Q3,quality,0.9\n2026Q1,quality,0.8\n'), 409, /^pq line 3: quality of 2026Q1 is stored already by import \d+/);
      await refused(t, () => csv('/api/v1/units/team-a/performance', 'period,measure\n2026Q3,quality\n'), 400, /pq has no value column/);
      expect(await rowCount(t.db, 'trace_events')).toBe(events);
      const list = await api().get('/api/v1/units/team-a/performance').set(AUTH);
      expect(list.body.imports).toHaveLength(2);
      expect(list.body.values).toEqual([
        { importId: res.body.id, period: '2026Q1', measure: 'cycle time', value: 4.5 },
        { importId: res.body.id, period: '2026Q1', measure: 'quality', value: 0.92 },
        { importId: withUnit.body.id, period: '2026Q2', measure: 'cycle time', value: 3.9 },
      ]);
      const del = await api().delete(`/api/v1/units/team-a/performance/${withUnit.body.id}`).set(AUTH);
      expect(del.status).toBe(200);
      expect((await api().get('/api/v1/units/team-a/performance').set(AUTH)).body.values).toHaveLength(2);
    });

    it('keeps a large import whole: 30,000 events in one transaction', async () => {
      const before = await dynamicsSnapshot(t.db);
      const res = await csv('/api/v1/units/PAY/traces', reopenStreamCsv('PAY', 1500));
      expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(201);
      expect(res.body.events).toBeGreaterThan(30_000);
      expect(await rowCount(t.db, 'trace_events')).toBe(before.trace_events + res.body.events);
    });
  });
});
