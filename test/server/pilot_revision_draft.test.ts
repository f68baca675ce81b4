import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, AUTH, consoleSession, openTestApp, type TestApp } from './harness.js';
import { reviseOnlyPilotRun } from '../helpers/revise_only_pilot.js';

type Verdict = { item: string; verdict: string; flags: string[]; reasons: string[]; statistics: { loading: number | null } };

/**
 * A pilot run whose verdicts only revise makes a draft (issue 13): no item is retired, the items to
 * revise are stored with the draft with the pilot's reasons and numbers, the console editor shows
 * them beside each item with the revise form filled in, the draft cannot be published before a
 * change is written, and a revision written in the editor keeps the pilot's numbers as evidence.
 */
describe('a draft from a pilot run that only revises', () => {
  let t: TestApp;
  let runId: number;
  const api = () => request(t.app);

  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0], { now: new Date().toISOString() });
    runId = await reviseOnlyPilotRun(t);
  }, 240_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it('stores the revisions with their reasons and evidence, refuses to publish until one is written, and carries them into the editor', async () => {
    const run = await api().get(`/api/v1/analyses/${runId}`).set(AUTH);
    expect(run.body.status, run.body.error).toBe('done');
    const items = run.body.results.items as Verdict[];
    // The run flags SxC_8 alone, for its low loading, and drops nothing (the case this test is about).
    expect(run.body.results.flagged).toEqual(['SxC_8']);
    const sxc8 = items.find((i) => i.item === 'SxC_8')!;
    expect(sxc8.verdict).toBe('revise');
    expect(sxc8.flags).toContain('low-loading');
    expect(run.body.results.measurementModel.model).toBe('per-dimension');

    // The pilot page offers the draft action although nothing is dropped.
    const runPage = await api().get(`/admin/analyses/${runId}`).set(AUTH).set('Accept', 'text/html');
    expect(runPage.text).toContain('Make a draft from these verdicts');
    expect(runPage.text).toContain('Items to revise are listed in the draft');

    const draft = await api().post(`/api/v1/analyses/${runId}/draft`).set(AUTH).send({ version: 'v2' });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({ version: 'v2', status: 'draft', basedOn: 'v1', changes: [] });
    const request0 = { item: 'SxC_8', reasons: sxc8.reasons, evidence: { analysisId: runId, statistics: expect.objectContaining({ flags: sxc8.flags.join(', '), loading: Number(sxc8.statistics.loading!.toFixed(3)) }) } };
    expect(draft.body.toRevise).toEqual([request0]);
    expect(draft.body.revisionRequests).toEqual([request0]);
    // Stored with the draft: a later read (the editor's) has them.
    const stored = await api().get('/api/v1/instrument/versions/v2').set(AUTH);
    expect(stored.body.revisionRequests).toEqual([request0]);
    // Nothing written yet: publishing says what is missing.
    const early = await api().post('/api/v1/instrument/versions/v2/publish').set(AUTH);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('Draft v2 changes no item of v1 yet; write the new wording of SxC_8 (or retire them) first.');

    // The editor shows the reasons beside SxC_8 with the link to the run, and opens its revise form filled in.
    const { session, csrf } = await consoleSession(t.app);
    const editor = await api().get('/admin/instrument/v2').set('Cookie', session);
    expect(editor.status).toBe(200);
    expect(editor.text).toMatch(/<section aria-labelledby="to-revise-h"[^>]*>[\s\S]*?<a href="#item-SxC_8"><code>SxC_8<\/code><\/a>/);
    const row = /<tr id="item-SxC_8" class="to-revise">([\s\S]*?)<\/tr>/.exec(editor.text)![1];
    const escaped = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');
    for (const reason of sxc8.reasons) expect(row).toContain(escaped(reason));
    expect(row).toContain(`<a href="/admin/analyses/${runId}">analysis ${runId}, flags low-loading`);
    expect(row).toContain('<details class="no-print" open><summary>Write the new wording</summary>');
    expect(row).toContain('<option value="revise" selected>revise</option>');
    expect(row).toContain(`name="reason" required value="${escaped(`Pilot: ${sxc8.reasons.join('; ')}.`)}"`);
    expect(row).toContain(`name="analysisId" autocomplete="off" value="${runId}"`);
    // Other items carry no such note.
    expect(editor.text.match(/class="to-revise"/g)).toHaveLength(1);

    // The developer writes the new wording in that form (its defaults sent as they are).
    const written = await api().post('/admin/instrument/v2/changes').set('Cookie', session).type('form').send({
      _csrf: csrf,
      item: 'SxC_8',
      action: 'revise',
      id: 'SxC_9',
      text_en: 'How a decision is communicated across units is agreed before it is announced.',
      text_de: 'Wie eine Entscheidung über Einheiten hinweg mitgeteilt wird, ist vor ihrer Ankündigung vereinbart.',
      reason: `Pilot: ${sxc8.reasons.join('; ')}.`,
      analysisId: String(runId),
    });
    expect(written.status, written.text).toBe(303);
    const revised = await api().get('/api/v1/instrument/versions/v2').set(AUTH);
    expect(revised.body.changes).toEqual([
      expect.objectContaining({ kind: 'revise', itemId: 'SxC_8', newId: 'SxC_9', evidence: { analysisId: runId, statistics: request0.evidence.statistics } }),
    ]);
    // Answered: the item is no longer marked, the change log says what revised it and links the run.
    const after = await api().get('/admin/instrument/v2').set('Cookie', session);
    expect(after.text).not.toContain('class="to-revise"');
    expect(after.text).not.toContain('to-revise-h');
    expect(after.text).toMatch(/<tr id="item-SxC_9">[\s\S]*?revises <code>SxC_8<\/code>: Pilot: /);
    // Undoing the only change returns the draft to its request (allowed: the draft was made to revise).
    const undo = await api().post('/admin/instrument/v2/changes/0/remove').set('Cookie', session).type('form').send({ _csrf: csrf });
    expect(undo.status).toBe(303);
    expect((await api().get('/admin/instrument/v2').set('Cookie', session)).text).toContain('<tr id="item-SxC_8" class="to-revise">');
    expect((await api().post('/admin/instrument/v2/changes').set('Cookie', session).type('form').send({ _csrf: csrf, item: 'SxC_8', action: 'revise', id: 'SxC_9', text_en: 'How a decision is communicated across units is agreed before it is announced.', text_de: 'Wie eine Entscheidung über Einheiten hinweg mitgeteilt wird, ist vor ihrer Ankündigung vereinbart.', reason: 'Pilot: low loading.', analysisId: String(runId) })).status).toBe(303);
    const published = await api().post('/api/v1/instrument/versions/v2/publish').set(AUTH);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.items.map((i: { id: string }) => i.id)).not.toContain('SxC_8');
    expect(published.body.items.map((i: { id: string }) => i.id)).toContain('SxC_9');
  }, 120_000);
});
