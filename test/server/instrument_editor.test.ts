import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AUTH, BACKENDS, openTestApp, type TestApp } from './harness.js';

describe.each(BACKENDS)('the console draft editor and PATCH of drafts on $label', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    if (!backend.skip) t = await openTestApp(backend);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const form = (path: string, body: Record<string, string>) => request(t.app).post(path).set(AUTH).type('form').send(body);
  const outcome = (res: request.Response) => {
    expect(res.status).toBe(303);
    const url = new URL(res.headers.location, 'http://x');
    return { path: url.pathname, notice: url.searchParams.get('notice'), error: url.searchParams.get('error') };
  };
  const api = () => request(t.app);

  it.skipIf(backend.skip)('starts a draft, adds and undoes changes with their evidence beside each item, publishes it, and refuses changes afterwards', async () => {
    let o = outcome(await form('/admin/instrument', { from: 'v1', version: 'v2', action: 'retire', item: 'SxA_8', reason: 'Low loading in the pilot.', analysisId: '12' }));
    expect(o).toMatchObject({ path: '/admin/instrument', notice: 'Draft v2 was created.' });
    expect((await api().get('/admin/instrument').set(AUTH)).text).toMatch(/href="\/admin\/instrument\/v2">v2<\/a><\/th><td>v1/);

    o = outcome(await form('/admin/instrument/v2/changes', { action: 'revise', item: 'SxC_2', id: 'SxC_9', text_en: 'We meet at fixed times.', text_de: 'Wir treffen uns zu festen Zeiten.', reason: 'Sorted into RxC by the panel.' }));
    expect(o).toMatchObject({ path: '/admin/instrument/v2', notice: 'The change was added to the draft.' });
    o = outcome(await form('/admin/instrument/v2/changes', { action: 'add', cell: 'TxV', id: 'TxV_9', text_en: 'We see the goal.', text_de: 'Wir sehen das Ziel.', reverse: 'on', reason: 'A gap.' }));
    expect(o.notice).toBe('The change was added to the draft.');
    o = outcome(await form('/admin/instrument/v2/changes', { action: 'retire', item: 'SxA_99', reason: 'x' }));
    expect(o.error).toBe('changes[3] (retire SxA_99): v1 has no item "SxA_99" to retire.');
    o = outcome(await form('/admin/instrument/v2/changes', { action: 'retire', item: 'SxA_1', reason: '' }));
    expect(o.error).toMatch(/^reason must/);

    const pageHtml = (await api().get('/admin/instrument/v2').set(AUTH)).text;
    expect(pageHtml).toContain('<span class="badge">draft</span>');
    expect(pageHtml).toMatch(/revises <code>SxC_2<\/code>: Sorted into RxC by the panel\./);
    // The evidence links to the console page of the run that flagged the item.
    expect(pageHtml).toMatch(/<code>SxA_8<\/code>: Low loading in the pilot\. <span class="muted">\(<a href="\/admin\/analyses\/12">analysis 12<\/a>\)<\/span>/);
    expect(pageHtml).toContain('Publish v2');

    const draft = (await api().get('/api/v1/instrument/versions/v2')).body;
    expect(draft.changes.map((c: { kind: string }) => c.kind)).toEqual(['retire', 'revise', 'add']);
    expect(draft.items.find((i: { id: string }) => i.id === 'TxV_9')).toMatchObject({ reverse: true, cell: 'TxV' });

    // Undo the retirement; the API's PATCH replaces the list as a whole.
    expect(outcome(await form('/admin/instrument/v2/changes/0/remove', {})).notice).toBe('The change was removed from the draft.');
    expect((await api().get('/api/v1/instrument/versions/v2')).body.items.map((i: { id: string }) => i.id)).toContain('SxA_8');
    const patched = await api().patch('/api/v1/instrument/versions/v2').set(AUTH).send({ changes: [{ action: 'retire', item: 'SxV_8', reason: 'Redundant.', evidence: { statistics: { r: 0.92 } } }] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.changes).toEqual([{ kind: 'retire', itemId: 'SxV_8', reason: 'Redundant.', evidence: { statistics: { r: 0.92 } } }]);
    const badPatch = await api().patch('/api/v1/instrument/versions/v2').set(AUTH).send({ changes: [{ action: 'retire', item: 'Nope_1', reason: 'x' }] });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error).toBe('changes[0] (retire Nope_1): v1 has no item "Nope_1" to retire.');
    expect((await api().patch('/api/v1/instrument/versions/v1').set(AUTH).send({ changes: [{ action: 'retire', item: 'SxA_1', reason: 'x' }] })).status).toBe(409);
    expect((await api().patch('/api/v1/instrument/versions/v8').set(AUTH).send({ changes: [{ action: 'retire', item: 'SxA_1', reason: 'x' }] })).status).toBe(404);

    // Signed in with a session, every form of the draft's page carries the session's CSRF token.
    const login = await api().post('/login').type('form').send({ token: ADMIN_TOKEN });
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const sessionPage = (await api().get('/admin/instrument/v2').set('Cookie', cookie)).text;
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(sessionPage)![1];
    const tokens = [...sessionPage.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]);
    expect(tokens.length).toBeGreaterThanOrEqual(71 + 1 + 9 + 1); // one form per unchanged SEI-CI item, the undo, an add per cell, publish
    expect(new Set(tokens)).toEqual(new Set([csrf]));
    const viaSession = await api().post('/admin/instrument/v2/changes').set('Cookie', cookie).type('form').send({ _csrf: csrf, action: 'retire', item: 'SxV_7', reason: 'Also redundant.' });
    expect(outcome(viaSession).notice).toBe('The change was added to the draft.');
    const forged = await api().post('/admin/instrument/v2/publish').set('Cookie', cookie).type('form').send({ _csrf: 'forged' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect((await api().get('/api/v1/instrument/versions/v2')).body.status).toBe('draft');

    expect(outcome(await form('/admin/instrument/v2/publish', {})).notice).toBe('Version v2 is published; new waves use it from now on.');
    expect(outcome(await form('/admin/instrument/v2/changes', { action: 'retire', item: 'SxA_1', reason: 'late' })).error).toMatch(/v2 is published; a published version cannot change/);
    const late = await api().patch('/api/v1/instrument/versions/v2').set(AUTH).send({ changes: [{ action: 'retire', item: 'SxA_1', reason: 'late' }] });
    expect(late.status).toBe(409);
    const published = (await api().get('/admin/instrument/v2').set(AUTH)).text;
    expect(published).not.toContain('Publish v2');
    expect(published).not.toContain('Retire or revise');
    expect((await api().get('/api/v1/instrument/versions/v2')).body).toMatchObject({ status: 'published', changes: [{ itemId: 'SxV_8' }, { itemId: 'SxV_7' }] });
  });
});
