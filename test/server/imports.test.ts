import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, BACKENDS, openTestApp, storeSnapshot, type TestApp } from './harness.js';

/** Imports as people make them: spreadsheets saved with semicolons or tabs and decimal commas, and files with many bad lines. */
describe.each(BACKENDS)('imports on $label', (backend) => {
  let t: TestApp;
  const api = () => request(t.app);
  const post = (path: string, text: string) => api().post(path).set(AUTH).set('Content-Type', 'text/csv').send(text);

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    expect((await api().post('/api/v1/units').set(AUTH).send({ key: 'team-a', name: 'Team A' })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  describe.skipIf(backend.skip)('units', () => {
    it('reads a semicolon file (German Excel) and a tab-separated paste', async () => {
      const semicolon = await post('/api/v1/units/import', '\uFEFFkey;name;context;site\nsc-1;"Vertrieb; Nord";de;Köln\nsc-2;Einkauf, Süd;de;\n');
      expect(semicolon.status, JSON.stringify(semicolon.body)).toBe(200);
      expect(semicolon.body).toMatchObject({ created: 2, updated: 0 });
      expect((await api().get('/api/v1/units/sc-1').set(AUTH)).body).toMatchObject({ name: 'Vertrieb; Nord', context: 'de', attributes: { site: 'Köln' } });
      expect((await api().get('/api/v1/units/sc-2').set(AUTH)).body).toMatchObject({ name: 'Einkauf, Süd' });
      const tab = await post('/api/v1/units/import', 'key\tname\tparentKey\ntab-1\tTab one, the first\tsc-1\n');
      expect(tab.status, JSON.stringify(tab.body)).toBe(200);
      expect((await api().get('/api/v1/units/tab-1').set(AUTH)).body).toMatchObject({ name: 'Tab one, the first', parentKey: 'sc-1' });
    });

    it('lists every bad line of a file, up to 20, and stores nothing', async () => {
      const before = await storeSnapshot(t.db);
      const few = await post('/api/v1/units/import', 'key;name\nok-1;Fine\nbad key;Bad\nok-2;\nok-1;Again\nok-3;Fine too\n');
      expect(few.status).toBe(400);
      expect(few.body.error).toMatch(/^3 lines cannot be imported, so nothing was stored: Line 3: key may contain only .*; Line 4: name .*; Line 5: the key "ok-1" appears already on line 2\.$/);
      const lines = ['key,name', ...Array.from({ length: 30 }, (_, i) => `bad key ${i},Bad`)];
      const many = await post('/api/v1/units/import', lines.join('\n'));
      expect(many.status).toBe(400);
      expect(many.body.error).toMatch(/^30 lines cannot be imported, so nothing was stored: Line 2: .*Line 21: .*; and 10 more\.$/);
      expect(many.body.error).not.toContain('Line 22');
      const orphans = await post('/api/v1/units/import', 'key,name,parentKey\no-1,One,nowhere\no-2,Two,\no-3,Three,elsewhere\n');
      expect(orphans.body.error).toBe('2 lines cannot be imported, so nothing was stored: Line 2: parentKey names no unit: "nowhere"; Line 4: parentKey names no unit: "elsewhere".');
      expect(await storeSnapshot(t.db)).toEqual(before);
    });
  });

  describe.skipIf(backend.skip)('performance outcomes', () => {
    it('reads values with decimal commas from a semicolon or tab file', async () => {
      const res = await post('/api/v1/units/team-a/performance', 'period;measure;value\n2026Q1;cycle time;4,5\n2026Q2;cycle time;-0,25\n');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const tab = await post('/api/v1/units/team-a/performance', 'period\tmeasure\tvalue\n2026Q1\trework rate\t0,125\n');
      expect(tab.status, JSON.stringify(tab.body)).toBe(201);
      const stored = (await api().get('/api/v1/units/team-a/performance').set(AUTH)).body.values;
      const value = (period: string, measure: string) => stored.find((v: { period: string; measure: string }) => v.period === period && v.measure === measure)?.value;
      expect(value('2026Q1', 'cycle time')).toBe(4.5);
      expect(value('2026Q2', 'cycle time')).toBe(-0.25);
      expect(value('2026Q1', 'rework rate')).toBe(0.125);
    });

    it('lists every bad line, with a value given twice, and stores nothing', async () => {
      const before = await storeSnapshot(t.db);
      const res = await post('/api/v1/units/team-a/performance', 'period;measure;value\n2027Q1;lead time;3,5\n2027Q2;lead time;soon\n2027Q3;;4\n2027Q1;lead time;4\n2027Q4;lead time;\n');
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(
        '4 lines cannot be imported, so nothing was stored: pq line 3: value "soon" is not a number; pq line 4: measure is empty; pq line 5: lead time of unit team-a in 2027Q1 is given twice; pq line 6: value "" is not a number.',
      );
      expect(await storeSnapshot(t.db)).toEqual(before);
    });
  });

  describe.skipIf(backend.skip)('traces', () => {
    it('reads a semicolon events file and lists every bad line', async () => {
      const ok = await post('/api/v1/units/team-a/traces?format=native', 'unit;timestamp;type;key;ref\nteam-a;2026-01-05T09:00:00Z;decision_opened;D-1;\nteam-a;2026-01-06T09:00:00Z;decision_made;D-1;\n');
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const before = await storeSnapshot(t.db);
      const bad = await post('/api/v1/units/team-a/traces?format=native', 'unit;timestamp;type;key;ref\nteam-a;yesterday;decision_opened;D-2;\nteam-a;2026-01-06T09:00:00Z;decision_made;D-2;\nteam-b;2026-01-07T09:00:00Z;rework;D-3;\nteam-a;2026-01-08T09:00:00Z;teleport;D-4;\n');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/^2 lines cannot be imported, so nothing was stored: events line 2: .*yesterday.*; events line 5: .*teleport.*\.$/);
      expect(await storeSnapshot(t.db)).toEqual(before);
    });

    it('answers 413 with one sentence for an upload over the import limit, storing nothing', async () => {
      const before = await storeSnapshot(t.db);
      const row = 'team-a,2026-01-05T09:00:00Z,decision_opened,D-1,\n';
      const big = 'unit,timestamp,type,key,ref\n' + row.repeat(Math.ceil((50 * 1024 * 1024) / row.length) + 1);
      const res = await post('/api/v1/units/team-a/traces?format=native', big);
      expect(res.status).toBe(413);
      expect(res.body.error).toBe('The import is larger than the limit of 50mb.');
      expect(await storeSnapshot(t.db)).toEqual(before);
    });
  });
});
