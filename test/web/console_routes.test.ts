import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db.js';
import { mountedPages } from '../../server/web/mount_page.js';
import { consoleRoutes } from '../../server/web/routes/index.js';
import { ADMIN_TOKEN, AUTH, BACKENDS, consoleSession, openTestApp, rowCount, type TestApp } from '../server/harness.js';

const WEB = join(__dirname, '..', '..', 'server', 'web');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle?: { stack?: Layer[] };
  match?: (path: string) => boolean;
}

/** Every (method, path) the app answers with a route of its own under /admin, and the handler that answers it last (routers mounted elsewhere, such as /api/v1, are skipped). */
function mountedRoutes(stack: Layer[]): { method: string; path: string; handler: unknown }[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const handler = layer.route.stack[layer.route.stack.length - 1].handle;
      const paths = ([] as string[]).concat(layer.route.path);
      return Object.keys(layer.route.methods).flatMap((method) => paths.map((path) => ({ method, path, handler })));
    }
    return Array.isArray(layer.handle?.stack) && layer.match?.('/admin') ? mountedRoutes(layer.handle.stack) : [];
  });
}

describe('the console\'s one routing convention', () => {
  it('calls router.get/post (or route/use) under server/web only in mountPage and for the console\'s assets', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(WEB)) {
      const name = relative(WEB, file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:router|app|express\.Router\(\))\s*(?:\.\s*(get|post|put|patch|delete|all|route|use)\s*\(|\[)/g)) {
        const allowed = (name === 'mount_page.ts' && m[0].endsWith('[')) || (name === 'router.ts' && m[1] === 'use' && text.slice(m.index, m.index + 40).includes("'/assets/console'"));
        if (!allowed) offenders.push(`${name}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('converts errors in mountPage only: no console file catches an InputError or an HttpError itself', () => {
    const offenders = sourceFiles(WEB)
      .filter((file) => !file.endsWith('mount_page.ts'))
      .filter((file) => /fromInputError|instanceof HttpError/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(WEB, file));
    expect(offenders).toEqual([]);
  });
});

describe('console routes on the app', () => {
  let t: TestApp;
  let session = '';
  let csrf = '';

  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0]);
    ({ session, csrf } = await consoleSession(t.app));
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('mounts every /admin route of the app through mountPage, and exactly the table\'s', () => {
    const stack = (t.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const admin = mountedRoutes(stack).filter((r) => r.path.startsWith('/admin'));
    const notThroughMountPage = admin.filter((r) => !mountedPages.has(r.handler as never)).map((r) => `${r.method} ${r.path}`);
    expect(notThroughMountPage).toEqual([]);
    const table = consoleRoutes.map((r) => `${r.kind === 'page' ? 'get' : 'post'} ${r.path}`).sort();
    expect(admin.map((r) => `${r.method} ${r.path}`).sort()).toEqual(table);
    expect(new Set(table).size).toBe(table.length);
    expect(table.length).toBeGreaterThanOrEqual(51);
  });

  it('answers a form without the session\'s CSRF token with a 403 page, storing nothing', async () => {
    const before = await rowCount(t.db, 'admin_tokens');
    const res = await request(t.app).post('/admin/access/tokens').set('Cookie', session).set('Accept', 'text/html').type('form').send({ name: 'forged' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<h1>Not allowed</h1>');
    expect(res.text).toContain('The CSRF token is missing or wrong; reload the page and try again.');
    expect(await rowCount(t.db, 'admin_tokens')).toBe(before);
  });

  it('re-renders a refused form with the value typed and one sentence naming the field', async () => {
    const typed = `ops${'x'.repeat(100)}`;
    const res = await request(t.app).post('/admin/access/tokens').set('Cookie', session).type('form').send({ name: typed, _csrf: csrf });
    expect(res.status).toBe(400);
    expect(res.text).toContain('name must be at most 100 characters long.');
    expect(res.text).toContain(`value="${typed}"`);
    expect(res.text).toContain(`name="_csrf" value="${csrf}"`);
    // A field the form does not have is refused by the route's schema, in words.
    const extra = await request(t.app).post('/admin/access/tokens').set('Cookie', session).type('form').send({ name: 'ops', role: 'root', _csrf: csrf });
    expect(extra.status).toBe(400);
    expect(extra.text).toContain('&quot;role&quot; is not a known field.');
    // A form whose refusal goes back to its page names the field in the address.
    const draft = await request(t.app).post('/admin/panels/1/draft').set('Cookie', session).type('form').send({ version: '-v2', _csrf: csrf });
    expect(draft.status).toBe(303);
    expect(decodeURIComponent(draft.headers.location)).toBe('/admin/panels/1?error=version may contain only letters, digits, dots, dashes and underscores, starting with a letter or digit.');
  });

  it('answers a :id that is no row id with a 404 page before the route runs, for a page and a form alike', async () => {
    const page = await request(t.app).get('/admin/panels/0').set('Cookie', session).set('Accept', 'text/html');
    expect(page.status).toBe(404);
    expect(page.text).toContain('Nothing is at /admin/panels/0.');
    const form = await request(t.app).post('/admin/waves/x1/close').set('Cookie', session).set('Accept', 'text/html').type('form').send({ _csrf: csrf });
    expect(form.status).toBe(404);
    expect(form.text).toContain('<h1>Not found</h1>');
  });

  it('answers an unexpected failure with a 500 HTML page and no detail, on a page and on a form with a refusal path', async () => {
    const services = t.app.services as unknown as { db: Db };
    const real = services.db;
    const secret = 'database exploded at Object.<anonymous> (/srv/seici/server/queries/admin.ts:12:7)';
    const boom = () => {
      throw new Error(secret);
    };
    services.db = new Proxy(real, { apply: boom, get: boom }) as Db;
    try {
      // A bearer token signs in without the database, so the failure happens inside the route.
      const page = await request(t.app).get('/admin/access').set(AUTH).set('Accept', 'text/html');
      const form = await request(t.app).post('/admin/units').set(AUTH).set('Accept', 'text/html').type('form').send({ key: 'team-x', name: 'Team X' });
      for (const res of [page, form]) {
        expect(res.status).toBe(500);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toContain('<h1>Something went wrong</h1>');
        expect(res.text).toContain('Something went wrong on the server; the error has been logged.');
        expect(res.text).not.toContain('exploded');
        expect(res.text).not.toMatch(/\bat .*\.ts:\d+/);
      }
    } finally {
      services.db = real;
    }
  });

  it('sends a signed-out deep link to the login page and back to it after sign-in, never to another origin', async () => {
    const asked = '/admin/waves/7/units/team-a/report?format=csv';
    const out = await request(t.app).get(asked);
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`/login?next=${encodeURIComponent(asked)}`);
    const back = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN, next: asked });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(asked);
    for (const next of ['https://evil.example/admin/waves', '//evil.example/admin', '/\\evil.example']) {
      const evil = await request(t.app).post('/login').type('form').send({ token: ADMIN_TOKEN, next });
      expect(evil.headers.location, next).toBe('/admin');
    }
    // A form posted without a session goes to the login page without a deep link.
    const form = await request(t.app).post('/admin/waves/7/close').type('form').send({});
    expect(form.status).toBe(401);
  });
});
