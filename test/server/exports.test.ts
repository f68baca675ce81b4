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
});
