import request from 'supertest';
import { Model } from 'survey-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInstrumentVersion } from '../../instrument/index.js';
import { AUTH, BACKENDS, openTestApp, rowCount, type TestApp } from './harness.js';

const v1 = getInstrumentVersion('v1');
const idByText = new Map(v1.items.map((i) => [i.text.en, i]));

describe.each(BACKENDS)('expert panels over HTTP on $label', (backend) => {
  let t: TestApp;
  const api = () => request(t.app);
  beforeAll(async () => {
    if (!backend.skip) t = await openTestApp(backend);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** The expert's page config and, per question position, the item it asks about (found by its text, as the expert reads it). */
  async function open(token: string) {
    const page = await api().get(`/p/${token}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const config = JSON.parse(/<script id="seici-config" type="application\/json">(.*?)<\/script>/s.exec(page.text)![1]);
    const positions = config.survey.pages.flatMap((p: { elements: { name: string; title: string }[] }) =>
      p.elements.map((e) => ({ prefix: e.name.replace(/_item$/, ''), item: idByText.get(e.title.replace(/^\d+\. /, ''))! })),
    );
    return { page, config, positions };
  }

  it.skipIf(backend.skip)('invites experts, shows them the blind panel page, stores their ratings and analyses content validity', async () => {
    const created = await api().post('/api/v1/panels').set(AUTH).send({ name: 'SEI-CI v1 panel' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'SEI-CI v1 panel', instrumentVersion: 'v1', status: 'open', experts: { invited: 0, started: 0, complete: 0 } });
    const id = created.body.id as number;
    const invited = await api().post(`/api/v1/panels/${id}/experts`).set(AUTH).send({ count: 9 });
    expect(invited.status).toBe(201);
    expect(invited.body.experts.map((e: { label: string }) => e.label)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9']);
    expect(invited.body.experts[0].url).toBe(`http://survey.test/p/${invited.body.experts[0].token}`);
    const tokens: string[] = invited.body.experts.map((e: { token: string }) => e.token);

    const first = await open(tokens[0]);
    // The minimum-group notice is said once on the page (its note), not again in the questionnaire.
    expect(first.page.text.match(/not as an anonymous respondent/g)).toHaveLength(1);
    expect(first.page.text).not.toMatch(/"(SxA|RxC|TxV)_\d+"/);
    expect(new Model(first.config.survey).getAllQuestions()).toHaveLength(72 * 3);
    expect(first.positions.every((p: { item: unknown }) => p.item !== undefined)).toBe(true);
    expect((await open(tokens[1])).positions.map((p: { item: { id: string } }) => p.item.id)).not.toEqual(first.positions.map((p: { item: { id: string } }) => p.item.id));

    // Planted: SxA_3 barely relevant to six experts; RxC_5 sorted into RxA by six experts.
    for (const [e, token] of tokens.entries()) {
      const { positions } = await open(token);
      const answers: Record<string, number | string> = {};
      for (const { prefix, item } of positions) {
        answers[`${prefix}_relevance`] = item.id === 'SxA_3' && e >= 3 ? 2 : 4;
        answers[`${prefix}_essential`] = item.id === 'SxA_3' ? 'useful' : 'essential';
        answers[`${prefix}_cell`] = item.id === 'RxC_5' && e < 6 ? 'RxA' : item.cell!;
      }
      const half = Object.fromEntries(Object.entries(answers).slice(0, 30));
      const partial = await api().post('/api/v1/panel-ratings').send({ token, answers: half, complete: false });
      expect(partial.status, JSON.stringify(partial.body)).toBe(201);
      const done = await api().post('/api/v1/panel-ratings').send({ token, answers, complete: true });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toEqual({ complete: true, rated: 72, items: 72 });
      if (e === 0) {
        expect((await api().post('/api/v1/panel-ratings').send({ token, answers, complete: true })).status).toBe(200);
        const changed = await api().post('/api/v1/panel-ratings').send({ token, answers: { ...answers, p01_relevance: 1 }, complete: true });
        expect(changed.status).toBe(409);
        expect((await api().get(`/p/${token}`)).status).toBe(409);
      }
    }
    const before = await rowCount(t.db, 'panel_experts');
    const bad = await api().post('/api/v1/panel-ratings').send({ token: tokens[1], answers: { p01_relevance: 1 }, complete: false });
    expect(bad.status).toBe(409);
    const extra = (await api().post(`/api/v1/panels/${id}/experts`).set(AUTH).send({ count: 1 })).body.experts[0].token;
    const wrong = await api().post('/api/v1/panel-ratings').send({ token: extra, answers: { p05_relevance: 7 }, complete: false });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('p05_relevance must be 1, 2, 3 or 4; got 7.');
    expect((await api().post('/api/v1/panel-ratings').send({ token: extra, answers: { SxA_1: 4 }, complete: false })).body.error).toBe('answers names an unknown panel question "SxA_1".');
    expect((await api().post('/api/v1/panel-ratings').send({ token: 'x'.repeat(43), answers: {}, complete: false })).status).toBe(404);
    expect(await rowCount(t.db, 'panel_experts')).toBe(before + 1);

    expect((await api().get(`/api/v1/panels/${id}/analyses/latest`).set(AUTH)).status).toBe(404);
    const analysed = await api().post(`/api/v1/panels/${id}/analyses`).set(AUTH).send({});
    expect(analysed.status, JSON.stringify(analysed.body)).toBe(201);
    expect(analysed.body.experts).toBe(9);
    const items = Object.fromEntries(analysed.body.results.items.map((i: { item: string }) => [i.item, i]));
    expect(items.SxA_3).toMatchObject({ iCvi: 3 / 9, cvr: -1, verdict: 'drop' });
    expect(items.RxC_5).toMatchObject({ iCvi: 1, psa: 3 / 9, verdict: 'revise', confusedWith: 'RxA' });
    expect(analysed.body.results.items.filter((i: { verdict: string }) => i.verdict !== 'keep').map((i: { item: string }) => i.item).sort()).toEqual(['RxC_5', 'SxA_3']);
    const latest = await api().get(`/api/v1/panels/${id}/analyses/latest`).set(AUTH);
    expect(latest.body).toMatchObject({ id: analysed.body.id, experts: 9 });
    expect((await api().get(`/api/v1/panels/${id}`).set(AUTH)).body.experts).toEqual({ invited: 10, started: 9, complete: 9 });

    // Closing refuses ratings and the page; a draft version cannot be rated; admin calls need a token.
    await api().post(`/api/v1/panels/${id}/close`).set(AUTH).send({});
    expect((await api().post('/api/v1/panel-ratings').send({ token: extra, answers: {}, complete: false })).status).toBe(410);
    expect((await api().get(`/p/${extra}`)).status).toBe(410);
    expect((await api().post(`/api/v1/panels/${id}/experts`).set(AUTH).send({ count: 1 })).status).toBe(409);
    // The verdicts become a draft: SxA_3 retired with the panel's reasons and statistics, RxC_5 listed for revision.
    const fromPanel = await api().post(`/api/v1/panels/${id}/draft`).set(AUTH).send({ version: 'v2' });
    expect(fromPanel.status, JSON.stringify(fromPanel.body)).toBe(201);
    expect(fromPanel.body).toMatchObject({ version: 'v2', status: 'draft', basedOn: 'v1', toRevise: [{ item: 'RxC_5' }] });
    expect(fromPanel.body.changes).toEqual([
      {
        kind: 'retire',
        itemId: 'SxA_3',
        reason: expect.stringMatching(/^Expert panel: I-CVI 0\.33 is below 0\.70; CVR -1\.00 is below its critical value 0\.78 for N = 9\.$/),
        evidence: { analysisId: `panel-${analysed.body.id}`, statistics: { iCvi: 1 / 3, cvr: -1, cvrCritical: 7 / 9, psa: 1, csv: 1 } },
      },
    ]);
    expect(fromPanel.body.items.map((i: { id: string }) => i.id)).not.toContain('SxA_3');
    expect((await api().post(`/api/v1/panels/${id}/draft`).set(AUTH).send({ version: 'v2' })).status).toBe(409);
    const onDraft = await api().post('/api/v1/panels').set(AUTH).send({ name: 'On a draft', instrumentVersion: 'v2' });
    expect(onDraft.status).toBe(400);
    expect(onDraft.body.error).toBe('instrumentVersion v2 is a draft; publish it before a panel rates it.');
    expect((await api().post('/api/v1/panels').send({ name: 'x' })).status).toBe(401);
  });
});
