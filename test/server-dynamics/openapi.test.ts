import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestApp, type TestApp } from '../server/harness.js';

describe('OpenAPI document of the dynamics calls', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(BACKENDS[0]);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('lists every dynamics call with its admin security, and the rule set body schema', async () => {
    const res = await request(t.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    for (const [path, method] of [
      ['/api/v1/units/{key}/traces', 'post'],
      ['/api/v1/units/{key}/traces', 'get'],
      ['/api/v1/units/{key}/traces/{id}', 'delete'],
      ['/api/v1/units/{key}/performance', 'post'],
      ['/api/v1/units/{key}/performance', 'get'],
      ['/api/v1/units/{key}/performance/{id}', 'delete'],
      ['/api/v1/breakpoint-rules', 'get'],
      ['/api/v1/breakpoint-rules', 'post'],
      ['/api/v1/breakpoint-rules/{version}', 'get'],
      ['/api/v1/breakpoint-rules/{version}', 'patch'],
      ['/api/v1/breakpoint-rules/{version}', 'delete'],
      ['/api/v1/units/{key}/breakpoints', 'get'],
      ['/api/v1/units/{key}/diagnosis', 'get'],
    ]) {
      const op = res.body.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.security).toEqual([{ bearer: [] }, { session: [] }]);
      expect(op.responses['401']).toBeDefined();
    }
    const body = res.body.paths['/api/v1/breakpoint-rules'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['version']);
    expect(body.additionalProperties).toBe(false);
    expect(res.body.paths['/api/v1/units/{key}/traces'].post.requestBody.content).toHaveProperty(['text/csv']);
    // The diagnosis is read from stored runs under their options: the query names them, and the analyses call takes them.
    const diagnosis = res.body.paths['/api/v1/units/{key}/diagnosis'].get;
    expect(diagnosis.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name)).toEqual(['wave', 'period', 'sprintAnchor', 'capacity']);
    expect(diagnosis.summary).toMatch(/read from the wave's stored run/);
    expect(diagnosis.responses['409']).toBeDefined();
    const run = res.body.paths['/api/v1/waves/{id}/analyses'].post.requestBody;
    expect(run.required).toBe(false);
    expect(Object.keys(run.content['application/json'].schema.properties)).toEqual(['period', 'sprintAnchor', 'capacity']);
  });
});
