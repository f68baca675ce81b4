import { parse as parseQuery } from 'node:querystring';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PastedField, UrlencodedFormReader } from '../../server/imports/form_stream.js';
import { readConfig } from '../../server/config.js';
import { AUTH, BACKENDS, openTestApp, storeSnapshot, type TestApp } from './harness.js';

/** A stand-in request for a PastedField read outside a server (pause/resume only). */
function idleRequest(): IncomingMessage {
  return new Readable({ read() {} }) as unknown as IncomingMessage;
}

/** Decodes `body` fed in pieces of `size` bytes; returns the small fields and the pasted field's bytes as text. */
async function decode(body: string, size: number): Promise<{ fields: Record<string, string | string[]>; pasted: string | null }> {
  let field: PastedField | null = null;
  const reader = new UrlencodedFormReader('csv', () => (field = new PastedField(idleRequest(), { bytes: 1e9, tooLarge: 'too large' })));
  const bytes = Buffer.from(body, 'latin1');
  for (let at = 0; at < bytes.length; at += size) reader.write(bytes.subarray(at, at + size));
  reader.end();
  if (field === null) return { fields: reader.fields, pasted: null };
  const f = field as PastedField;
  const pieces: Buffer[] = [];
  const done = f.read((c) => pieces.push(Buffer.from(c)));
  f.end();
  await done;
  return { fields: reader.fields, pasted: Buffer.concat(pieces).toString('utf8') };
}

describe('UrlencodedFormReader', () => {
  const csv = 'key,name,context\r\nu1,Café "Ä" & Co,eng\r\nu2,Plus+Space 100%,ops\r\n';
  const body = new URLSearchParams([
    ['_csrf', 'tok/en+=='],
    ['note', 'a'],
    ['note', 'b'],
    ['csv', csv],
    ['after', 'x'],
  ]).toString();

  it('decodes the fields as Express (querystring) does, whatever the pieces, and hands over the paste byte for byte', async () => {
    const expected = parseQuery(body);
    for (const size of [1, 2, 3, 7, 64, body.length]) {
      const got = await decode(body, size);
      expect(got.pasted, `pieces of ${size}`).toBe(expected.csv);
      expect(got.fields, `pieces of ${size}`).toEqual({ _csrf: expected._csrf, note: expected.note, after: expected.after });
    }
  });

  it('keeps a malformed escape as written, as querystring does', async () => {
    const got = await decode('_csrf=a%zz&csv=x%2Cy%2', 2);
    expect(got.fields._csrf).toBe(parseQuery('_csrf=a%zz')._csrf);
    expect(got.pasted).toBe('x,y%2');
  });

  it('knows the first character of the paste that is not white space before anyone reads it', async () => {
    let field: PastedField | null = null;
    const reader = new UrlencodedFormReader('events', () => (field = new PastedField(idleRequest(), { bytes: 100, tooLarge: 'too large' })));
    reader.write(Buffer.from('_csrf=t&events=%0D%0A++%5B%7B'));
    expect(field!.first).toBe('[');
  });

  it('refuses a paste over its limit with the limit\'s sentence', async () => {
    const field = new PastedField(idleRequest(), { bytes: 10, tooLarge: 'The import is larger than the limit of 10 bytes.' });
    const done = field.read(() => undefined);
    field.push(Buffer.from('0123456789'));
    field.push(Buffer.from('x'));
    field.end();
    await expect(done).rejects.toThrow('The import is larger than the limit of 10 bytes.');
    expect(field.keptText()).toBe('');
  });
});

describe('SEICI_IMPORT_LIMIT', () => {
  it('is a whole number of bytes; unset, each import keeps its own default', () => {
    expect(readConfig({ SEICI_IMPORT_LIMIT: '2000' }).importLimit).toBe(2000);
    expect(readConfig({}).importLimit).toBeUndefined();
    expect(() => readConfig({ SEICI_IMPORT_LIMIT: '5mb' })).toThrow(/^SEICI_IMPORT_LIMIT must be an integer/);
  });
});

const LIMIT = 4000;

describe.each(BACKENDS)('console pasted imports, streamed, on $label', (backend) => {
  let t: TestApp;
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    if (backend.skip) return;
    t = await openTestApp(backend, { env: { SEICI_IMPORT_LIMIT: String(LIMIT) } });
    const signIn = await request(t.app).post('/login').type('form').send({ token: 'test-admin-token-0123456789abcdefghijklmnop' });
    cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const page = await request(t.app).get('/admin/units').set('Cookie', cookie);
    csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** Posts a console form as a browser does (urlencoded, fields in the page's order). */
  const post = (path: string, fields: [string, string][]) =>
    request(t.app).post(path).set('Cookie', cookie).type('form').send(new URLSearchParams(fields).toString());

  /** Sends a form that must be refused with `status`, and checks that nothing was stored. */
  async function refusedForm(path: string, fields: [string, string][], status: number): Promise<request.Response> {
    const before = await storeSnapshot(t.db);
    const res = await post(path, fields);
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(await storeSnapshot(t.db)).toEqual(before);
    return res;
  }

  const alert = (html: string, id: string) => new RegExp(`<p id="${id}"[^>]*>([^<]*)</p>`).exec(html)?.[1];

  it.skipIf(backend.skip)('imports pasted units (a CSV as a spreadsheet pastes it: tabs, CRLF) read row by row', async () => {
    const csv = 'key\tname\tcontext\r\n' + Array.from({ length: 40 }, (_, i) => `p-${i}\tPasted ${i} & Söhne\tpaste`).join('\r\n') + '\r\n';
    expect(Buffer.byteLength(csv)).toBeLessThan(LIMIT);
    const res = await post('/admin/units/import', [['_csrf', csrf], ['csv', csv]]);
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(decodeURIComponent(res.headers.location)).toContain('Imported 40 new and 0 updated units.');
    const stored = await t.db('units').where('key', 'like', 'p-%').orderBy('key').select('key', 'name');
    expect(stored).toHaveLength(40);
    expect(stored.find((u: { key: string }) => u.key === 'p-7').name).toBe('Pasted 7 & Söhne');
  });

  it.skipIf(backend.skip)('answers a paste over SEICI_IMPORT_LIMIT with 413 naming the limit, stores nothing, and the API obeys the same limit', async () => {
    const csv = 'key,name\n' + Array.from({ length: 400 }, (_, i) => `big-${i},Big unit ${i}`).join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(LIMIT);
    const res = await refusedForm('/admin/units/import', [['_csrf', csrf], ['csv', csv]], 413);
    expect(alert(res.text, 'units-csv-error')).toBe('The import is larger than the limit of 4,000 bytes (SEICI_IMPORT_LIMIT).');
    const api = await request(t.app).post('/api/v1/units/import').set(AUTH).set('Content-Type', 'text/csv').send(csv);
    expect(api.status).toBe(413);
    expect(api.body.error).toBe('The request body is larger than the limit of 4,000 bytes (SEICI_IMPORT_LIMIT).');
    const traces = await refusedForm('/admin/traces/import', [['_csrf', csrf], ['unitKey', 'p-1'], ['format', 'native'], ['source', ''], ['events', 'x'.repeat(LIMIT + 1)]], 413);
    expect(alert(traces.text, 'trace-error')).toBe('The import is larger than the limit of 4,000 bytes (SEICI_IMPORT_LIMIT).');
  });

  it.skipIf(backend.skip)('refuses a bad paste with every bad line, keeps the text in the form, stores nothing', async () => {
    const csv = 'key,name,parentKey\nq1,One,\nq2\nq3,Three,\nq4\n';
    const res = await refusedForm('/admin/units/import', [['_csrf', csrf], ['csv', csv]], 400);
    expect(alert(res.text, 'units-csv-error')).toMatch(/line 3: 1 field, but the header has 3.*line 5: 1 field/);
    expect(/<textarea id="units-csv"[^>]*>([^<]*)<\/textarea>/.exec(res.text)![1]).toBe(csv.trim());
    const empty = await refusedForm('/admin/units/import', [['_csrf', csrf], ['csv', '  \r\n ']], 400);
    expect(alert(empty.text, 'units-csv-error')).toBe('Choose a CSV file or paste its text before importing.');
  });

  it.skipIf(backend.skip)('refuses a form without the session\'s CSRF token (403) before importing anything', async () => {
    await refusedForm('/admin/units/import', [['_csrf', 'forged'], ['csv', 'key,name\nz1,Z\n']], 403);
    await refusedForm('/admin/units/import', [['csv', 'key,name\nz1,Z\n']], 403);
    // a field before the paste far larger than any token or key: 413, and the server carries on
    const big = await refusedForm('/admin/units/import', [['_csrf', csrf], ['note', 'y'.repeat(70_000)], ['csv', 'key,name\nz1,Z\n']], 413);
    expect(big.text).toContain('A form field is larger than the limit of 64 kB.');
    const ok = await post('/admin/units/import', [['_csrf', csrf], ['csv', 'key,name\nz2,Z\n']]);
    expect(ok.status).toBe(303);
  });

  it.skipIf(backend.skip)('imports pasted trace events as CSV and as JSON through the upload readers', async () => {
    const csv = 'unit,timestamp,type,key,ref\n' + Array.from({ length: 20 }, (_, i) => `p-1,2026-09-${String(1 + i).padStart(2, '0')}T09:00:00Z,decision_opened,D-${i},`).join('\n');
    const a = await post('/admin/traces/import', [['_csrf', csrf], ['unitKey', 'p-1'], ['format', 'native'], ['source', 'pasted.csv'], ['events', csv]]);
    expect(a.status, a.text.slice(0, 300)).toBe(303);
    expect(decodeURIComponent(a.headers.location)).toContain('Imported 20 events for unit "p-1"');
    const json = JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ unit: 'p-1', timestamp: `2026-10-0${1 + i}T10:00:00Z`, type: 'approval', key: `A-${i}` })));
    const b = await post('/admin/traces/import', [['_csrf', csrf], ['unitKey', 'p-1'], ['format', 'native'], ['source', ''], ['events', `\n ${json}`]]);
    expect(b.status, b.text.slice(0, 300)).toBe(303);
    expect(decodeURIComponent(b.headers.location)).toContain('Imported 5 events for unit "p-1"');
    const bad = await refusedForm('/admin/traces/import', [['_csrf', csrf], ['unitKey', 'p-1'], ['format', 'native'], ['source', ''], ['events', 'unit,timestamp,type,key,ref\np-1,yesterday,approval,A-1,\n']], 400);
    expect(alert(bad.text, 'trace-error')).toMatch(/line 2/i);
    expect(/<textarea id="trace-events"[^>]*>([^<]*)<\/textarea>/.exec(bad.text)![1]).toContain('p-1,yesterday,approval');
    const header = await refusedForm('/admin/traces/import', [['_csrf', csrf], ['unitKey', 'p-1'], ['format', 'native'], ['source', ''], ['events', 'when,what\n2026-09-01,approval\n']], 400);
    expect(alert(header.text, 'trace-error')).toBeTruthy();
    expect(/<textarea id="trace-events"[^>]*>([^<]*)<\/textarea>/.exec(header.text)![1]).toBe('when,what\n2026-09-01,approval');
    const nowhere = await refusedForm('/admin/traces/import', [['_csrf', csrf], ['unitKey', 'nowhere'], ['format', 'native'], ['source', ''], ['events', csv]], 404);
    expect(nowhere.text).toContain('nowhere');
  });
});
