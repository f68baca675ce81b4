import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../server/tokens.js';
import type { ItemInfo } from './answers.js';
import { AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The lines of a CSV export without its byte-order mark. */
function csvLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').trim().split('\n');
}

describe.each(BACKENDS)('wave exports on $label', (backend) => {
  let t: TestApp;
  let items: ItemInfo[];
  const api = () => request(t.app);
  const at = (ms: number) => new Date(t.clock.now.getTime() + ms).toISOString();

  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend);
    items = (await api().get('/api/v1/instrument')).body.items;
    for (const key of ['a', 'b']) expect((await api().post('/api/v1/units').set(AUTH).send({ key, name: key.toUpperCase() })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function wave(name: string, unitKeys: string[], minGroupSize = 5): Promise<number> {
    const res = await api().post('/api/v1/waves').set(AUTH).send({ name, opensAt: at(-HOUR), closesAt: at(DAY), unitKeys, minGroupSize });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  async function links(waveId: number, unitKey: string, count: number): Promise<string[]> {
    const res = await api().post(`/api/v1/waves/${waveId}/invitations`).set(AUTH).send({ unitKey, count });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.invitations.map((i: { token: string }) => i.token);
  }

  /** Respondent j's answer set: every SEI item answered j (so each row of the export says whose it is). */
  const answerSet = (j: number) => Object.fromEntries(items.filter((i) => i.cell !== null).map((i) => [i.id, j]));

  async function closeAndPublish(waveId: number): Promise<void> {
    expect((await api().post(`/api/v1/waves/${waveId}/close`).set(AUTH)).status).toBe(200);
    await t.app.services.analyses.idle();
    expect((await api().get(`/api/v1/waves/${waveId}/report`).set(AUTH)).status).toBe(200);
  }

  describe.skipIf(backend.skip)('privacy', () => {
    it('orders rows so that they cannot be matched to invitation links: the export is the same whichever link gave which answer set', async () => {
      // The attack: an administrator keeps the links they issued (and to whom they went). Rows in the
      // order of the stored token hashes would be matched to links by sorting SHA-256(token).
      const answersBy = [1, 2, 3, 4, 5, 6];
      const bodies: string[][] = [];
      for (const [w, reversed] of [[0, false], [1, true]] as const) {
        const waveId = await wave(`Order ${w}`, ['a']);
        const tokens = await links(waveId, 'a', answersBy.length);
        const byHash = [...tokens].sort((x, y) => hashToken(x).localeCompare(hashToken(y)));
        // The k-th link in hash order answers answersBy[k] in the first wave and answersBy[n−1−k] in the second.
        for (const [k, token] of byHash.entries()) {
          const level = reversed ? answersBy[answersBy.length - 1 - k] : answersBy[k];
          const res = await api().post('/api/v1/responses').send({ token, answers: answerSet(level), complete: true });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
        }
        await closeAndPublish(waveId);
        const exported = await api().get(`/api/v1/waves/${waveId}/export`).set(AUTH);
        expect(exported.status).toBe(200);
        const lines = csvLines(exported.text);
        expect(lines).toHaveLength(1 + answersBy.length);
        bodies.push(lines.slice(1).map((l) => l.split(',').slice(1).join(',')));
      }
      expect(bodies[1]).toEqual(bodies[0]);
    });
  });

  describe.skipIf(backend.skip)('formats', () => {
    it('serves the answer sets as CSV with a BOM, a codebook of variables and of value labels, .sav, .dta and an R loader; 409 for each while the wave is open', async () => {
      const waveId = await wave('Formats', ['a', 'b']);
      const paths = ['export', 'export/sav', 'export/dta', 'export/r', 'export/units'].map((p) => `/api/v1/waves/${waveId}/${p}`);
      for (const unitKey of ['a', 'b']) {
        for (const [j, token] of (await links(waveId, unitKey, 5)).entries()) {
          const answers: Record<string, number | null> = answerSet(1 + ((j + (unitKey === 'b' ? 2 : 0)) % 7));
          answers.SxA_1 = null;
          delete answers.SxA_2;
          expect((await api().post('/api/v1/responses').send({ token, answers, complete: true })).status).toBe(201);
        }
      }
      for (const path of paths) {
        const res = await api().get(path).set(AUTH);
        expect(res.status, path).toBe(409);
        expect(res.body.error, path).toMatch(/still open/);
      }
      await closeAndPublish(waveId);

      const csv = await api().get(paths[0]).set(AUTH);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain(`wave-${waveId}-responses.csv`);
      expect(csv.text.startsWith('\uFEFF')).toBe(true);
      const lines = csvLines(csv.text);
      const header = lines[0].split(',');
      expect(lines).toHaveLength(11);
      const rows = lines.slice(1).map((l) => l.split(','));
      // Every item column holds only whole numbers or nothing: -1 for not applicable, empty for skipped.
      for (const row of rows) {
        expect(row[header.indexOf('SxA_1')]).toBe('-1');
        expect(row[header.indexOf('SxA_2')]).toBe('');
        for (const item of items) expect(row[header.indexOf(item.id)], item.id).toMatch(/^(-1|[1-7]|)$/);
      }
      // Rows in content order: by unit, then by the answers.
      expect(rows.map((r) => r[1])).toEqual([...'aaaaabbbbb']);
      const sxa3 = rows.map((r) => Number(r[header.indexOf('SxA_3')]));
      expect(sxa3.slice(0, 5)).toEqual([...sxa3.slice(0, 5)].sort((x, y) => x - y));

      const codebook = await api().get(`/api/v1/waves/${waveId}/codebook`).set(AUTH);
      expect(codebook.text.startsWith('\uFEFF')).toBe(true);
      const variables = csvLines(codebook.text);
      expect(variables[0]).toBe('column,type,cell,scale,reverse,min,max,decimals,measure,value_labels,missing_codes,empty_means,label');
      expect(variables).toHaveLength(1 + header.length);
      const values = csvLines((await api().get(`/api/v1/waves/${waveId}/codebook/values`).set(AUTH)).text);
      expect(values[0]).toBe('value_labels,value,label,missing');
      expect(values).toContain('agreement7,1,Strongly disagree,false');
      expect(values).toContain('agreement7,7,Strongly agree,false');
      expect(values).toContain("agreement7,-1,Not applicable / don't know,true");

      const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      };
      const sav = await api().get(paths[1]).set(AUTH).buffer(true).parse(binary);
      expect(sav.status).toBe(200);
      expect(sav.headers['content-disposition']).toContain(`wave-${waveId}-responses.sav`);
      const savBytes = sav.body as Buffer;
      expect(savBytes.subarray(0, 4).toString('latin1')).toBe('$FL2');
      expect(savBytes.readInt32LE(80)).toBe(10); // cases
      expect(savBytes.includes(Buffer.from('Strongly agree'))).toBe(true);
      // The same publication gives the same file on every download.
      expect(((await api().get(paths[1]).set(AUTH).buffer(true).parse(binary)).body as Buffer).equals(savBytes)).toBe(true);
      const dta = await api().get(paths[2]).set(AUTH).buffer(true).parse(binary);
      expect(dta.status).toBe(200);
      expect((dta.body as Buffer).subarray(0, 11).toString('latin1')).toBe('<stata_dta>');
      const r = await api().get(paths[3]).set(AUTH);
      expect(r.status).toBe(200);
      expect(r.text).toContain(`seici_csv <- "wave-${waveId}-responses.csv"`);
      // Unit scores: what the report shows, each kind of number at its stated precision.
      const scores = csvLines((await api().get(`/api/v1/waves/${waveId}/export/units`).set(AUTH)).text);
      const report = (await api().get(`/api/v1/waves/${waveId}/report`).set(AUTH)).body;
      const sh = scores[0].split(',');
      expect(sh.slice(0, 5)).toEqual(['wave', 'unit', 'rollup', 'n', 'SxA']);
      const shown = report.units.filter((u: { suppressed: boolean }) => !u.suppressed);
      expect(scores).toHaveLength(1 + shown.length);
      for (const u of shown) {
        const row = scores.find((l) => l.split(',')[1] === u.unitKey)!.split(',');
        expect(row[sh.indexOf('n')]).toBe(String(u.n));
        expect(row[sh.indexOf('SxA')]).toBe(u.cells.SxA.toFixed(2));
        expect(row[sh.indexOf('sei_ci')]).toMatch(/^\d\.\d{2}$/);
        expect(Number(row[sh.indexOf('sei_ci')])).toBeCloseTo(u.seiCi, 2);
        if (!u.rollup) {
          expect(row[sh.indexOf('misalignment')]).toMatch(/^\d+\.\d{3}$/);
          expect(Number(row[sh.indexOf('misalignment')])).toBeCloseTo(u.misalignment, 3);
          expect(Number(row[sh.indexOf('z_structural')])).toBeCloseTo(u.z.structural, 3);
        }
      }
      expect((await api().get(`/api/v1/waves/${waveId}/export/units`).set(AUTH)).headers['content-disposition']).toContain(`wave-${waveId}-unit-scores.csv`);

      const page = await api().get('/admin/exports').set(AUTH);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`href="/api/v1/waves/${waveId}/export/sav"`);
      expect(page.text).toContain(`href="/api/v1/waves/${waveId}/codebook/values"`);
      for (const file of [csv.text, savBytes.toString('latin1'), (dta.body as Buffer).toString('latin1'), r.text]) expect(file).not.toMatch(/[A-Za-z0-9_-]{43}/);
    });
  });
});
