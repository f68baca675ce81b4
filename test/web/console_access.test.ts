import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../server/mail.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, consoleSession, openTestApp, rowCount, type TestApp } from '../server/harness.js';
import { mailText, startSmtp } from '../server/smtp.js';

let t: TestApp;
let session = '';
let csrf = '';

const PAGES = ['/admin', '/admin/units', '/admin/instrument', '/admin/waves', '/admin/reports', '/admin/traces', '/admin/exports', '/admin/rules', '/admin/access', '/admin/audit'];

beforeAll(async () => {
  t = await openTestApp(BACKENDS[0]);
  ({ session, csrf } = await consoleSession(t.app));
});

afterAll(async () => {
  await t?.cleanup();
});

describe('console access', () => {
  it('sends anyone without a session to the login page, which comes back to the page asked for', async () => {
    for (const path of PAGES) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location).toBe(path === '/admin' ? '/login' : `/login?next=${encodeURIComponent(path)}`);
    }
    const login = await request(t.app).get('/login?next=%2Fadmin%2Faudit%3Faction%3Dwave.');
    expect(login.text).toContain('<input type="hidden" name="next" value="/admin/audit?action&#x3D;wave.">');
    const back = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN, next: '/admin/audit?action=wave.' });
    expect(back.headers.location).toBe('/admin/audit?action=wave.');
    for (const next of ['//evil.example', 'https://evil.example/admin', '/\\evil.example', '/admin//evil.example', '/s/x']) {
      const evil = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN, next });
      expect(evil.headers.location, next).toBe('/admin');
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
    // The form comes back with what was typed and the error in its own words (the test server's zone is UTC).
    expect(wave.status).toBe(400);
    expect(wave.text).toContain('Closes (2026-03-01 10:00 UTC) must be later than Opens (2026-03-02 10:00 UTC).');
    expect(wave.text).toContain('<input id="wave-name" name="name" required maxlength="200" value="W">');
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

describe('console e-mail invitations', () => {
  it('sends one single-use link per address through SMTP when the server has a mailer', async () => {
    const smtp = await startSmtp();
    const app = await openTestApp(BACKENDS[0], { mailer: createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'seici <seici@test>' }), env: { SEICI_SECRET: 'console-test-secret-0123456789abcdefghij' } });
    try {
      await request(app.app).post('/api/v1/units').set(AUTH).send({ key: 'team-m', name: 'Team M' }).expect(201);
      const wave = await request(app.app)
        .post('/api/v1/waves')
        .set(AUTH)
        .send({ name: 'Mail wave', opensAt: '2026-03-02T08:00:00Z', closesAt: '2026-03-09T08:00:00Z', unitKeys: ['team-m'] })
        .expect(201);
      const login = await request(app.app).post('/login').type('form').send({ token: ADMIN_TOKEN });
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const page = await request(app.app).get(`/admin/waves/${wave.body.id}`).set('Cookie', cookie);
      expect(page.text).toContain('data-testid="email-form"');
      const token = /name="csrf-token" content="([^"]+)"/.exec(page.text)![1];
      const sent = await request(app.app)
        .post(`/admin/waves/${wave.body.id}/invitations/email`)
        .set('Cookie', cookie)
        .type('form')
        .send({ unitKey: 'team-m', emails: 'a@example.org\nb@example.org, c@example.org', _csrf: token });
      expect(sent.status).toBe(303);
      expect(decodeURIComponent(sent.headers.location)).toContain('Sent 3 invitation e-mails for unit "team-m".');
      expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
      const links = smtp.mails.map((m) => /\/s\/([A-Za-z0-9_-]+)/.exec(mailText(m.raw))![1]);
      expect(new Set(links).size).toBe(3);
      const bad = await request(app.app)
        .post(`/admin/waves/${wave.body.id}/invitations/email`)
        .set('Cookie', cookie)
        .type('form')
        .send({ unitKey: 'team-m', emails: 'not-an-address', _csrf: token });
      expect(decodeURIComponent(bad.headers.location)).toMatch(/\?error=emails\.0 /);
    } finally {
      await app.cleanup();
      await smtp.close();
    }
  });
});
