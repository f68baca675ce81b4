import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, BACKENDS, openTestApp, rowCount, type TestApp } from '../server/harness.js';

let t: TestApp;
let session = '';
let csrf = '';

const PAGES = ['/admin', '/admin/units', '/admin/instrument', '/admin/waves', '/admin/reports', '/admin/traces', '/admin/exports'];

beforeAll(async () => {
  t = await openTestApp(BACKENDS[0]);
  const login = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN });
  session = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  const page = await request(t.app).get('/admin').set('Cookie', session);
  csrf = /name="csrf-token" content="([^"]+)"/.exec(page.text)![1];
});

afterAll(async () => {
  await t?.cleanup();
});

describe('console access', () => {
  it('sends anyone without a session to the login page', async () => {
    for (const path of PAGES) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location).toBe('/login');
    }
  });

  it('serves every page to a signed-in admin, never cached', async () => {
    for (const path of PAGES) {
      const res = await request(t.app).get(path).set('Cookie', session);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain(`name="_csrf" value="${csrf}"`);
    }
  });

  it('refuses a form without the session\'s CSRF token and stores nothing', async () => {
    const before = await rowCount(t.db, 'units');
    const missing = await request(t.app).post('/admin/units').set('Cookie', session).type('form').send({ key: 'forged', name: 'Forged' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('CSRF token is missing or wrong');
    const wrong = await request(t.app).post('/admin/units').set('Cookie', session).type('form').send({ key: 'forged', name: 'Forged', _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const anonymous = await request(t.app).post('/admin/units').type('form').send({ key: 'forged', name: 'Forged', _csrf: csrf });
    expect(anonymous.status).toBe(401);
    expect(await rowCount(t.db, 'units')).toBe(before);
  });

  it('creates through the server\'s handlers with the token, and sends input errors back to the form', async () => {
    const ok = await request(t.app).post('/admin/units').set('Cookie', session).type('form').send({ key: 'team-a', name: 'Team A', _csrf: csrf });
    expect(ok.status).toBe(303);
    expect(decodeURIComponent(ok.headers.location)).toBe('/admin/units?notice=Unit "team-a" was created.');
    const audit = await t.db('audit_log').where({ action: 'unit.create', target: 'unit:team-a' }).first();
    expect(audit.actor).toBe('SEICI_ADMIN_TOKEN');
    const duplicate = await request(t.app).post('/admin/units').set('Cookie', session).type('form').send({ key: 'team-a', name: 'Again', _csrf: csrf });
    expect(duplicate.status).toBe(303);
    expect(decodeURIComponent(duplicate.headers.location)).toMatch(/^\/admin\/units\?error=.*team-a/);
    const wave = await request(t.app)
      .post('/admin/waves')
      .set('Cookie', session)
      .type('form')
      .send({ name: 'W', opensAt: '2026-03-02T10:00', closesAt: '2026-03-01T10:00', unitKeys: 'team-a', _csrf: csrf });
    expect(decodeURIComponent(wave.headers.location)).toMatch(/^\/admin\/waves\?error=closesAt .* must be later than opensAt/);
    expect(await rowCount(t.db, 'waves')).toBe(0);
  });

  it('answers an unknown wave, analysis or unit report with a friendly 404 page', async () => {
    for (const path of ['/admin/waves/999', '/admin/analyses/999', '/admin/waves/999/units/team-a/report', '/admin/waves/999/scale-report', '/admin/waves/abc']) {
      const res = await request(t.app).get(path).set('Cookie', session).set('Accept', 'text/html');
      expect(res.status, path).toBe(404);
      expect(res.text, path).toContain('<h1>Not found</h1>');
    }
  });
});
