import { z } from 'zod';
import { apiRoutes } from './routes/api.js';
import { dynamicsRoutes } from './dynamics/routes.js';
import { ErrorBody, Health } from './schemas.js';

function schema(s: z.ZodType): unknown {
  const { $schema: _ignored, ...json } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

function outputSchema(s: z.ZodType): unknown {
  const { $schema: _ignored, ...json } = z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
}

/** The query parameters of a route's query schema (an object schema): one per property, required when it must be given. */
function queryParameters(query: z.ZodType | undefined): Record<string, unknown>[] {
  if (!query) return [];
  const json = schema(query) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: (json.required ?? []).includes(name), schema: s }));
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad input; `error` names the field at fault.',
  401: 'Missing or wrong admin token.',
  403: 'Not allowed now (e.g. the wave has not opened) or a wrong CSRF token.',
  404: 'No such resource.',
  409: 'Conflicts with the stored state (duplicate key, token already used, wave closed).',
  410: 'The wave is closed.',
  413: 'The request body is too large.',
  415: 'Wrong content type.',
};

/**
 * The OpenAPI 3.1 document of the API, generated from the same route table and zod schemas
 * that validate requests (zod's JSON Schema output is OpenAPI 3.1's schema dialect).
 */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/healthz': {
      get: { summary: 'Liveness check.', tags: ['health'], responses: { 200: { description: 'OK', content: { 'application/json': { schema: outputSchema(Health) } } } } },
    },
  };
  for (const r of [...apiRoutes, ...dynamicsRoutes]) {
    const path = '/api/v1' + r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: Record<string, unknown>[] = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: m[1] === 'id' ? { type: 'integer', minimum: 1 } : { type: 'string' },
    }));
    parameters.push(...queryParameters(r.query));
    const responses: Record<string, unknown> = {
      [r.status]: {
        description: r.summary,
        content: r.response
          ? { 'application/json': { schema: outputSchema(r.response) } }
          : { [r.responseType ?? 'application/json']: { schema: { type: 'string' } } },
      },
    };
    for (const status of new Set([...r.errors, ...(r.admin ? [401] : [])])) {
      responses[status] = { description: ERROR_TEXT[status] ?? 'Error', content: { 'application/json': { schema: outputSchema(ErrorBody) } } };
    }
    const operation: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${r.path.replace(/\/:?([a-z])/gi, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z]/g, '')}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.admin ? { security: [{ bearer: [] }, { session: [] }] } : {}),
      responses,
    };
    if (r.body) operation.requestBody = { required: !r.body.safeParse(undefined).success, content: { 'application/json': { schema: schema(r.body) } } };
    else if (r.bodyType) operation.requestBody = { required: true, content: { [r.bodyType]: { schema: { type: 'string' } } } };
    paths[path] = { ...(paths[path] ?? {}), [r.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'seici', version: '1', description: 'The SEI Coherence Index survey platform API (shared/CONTRACT.md).' },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An admin token: SEICI_ADMIN_TOKEN or one from `seici admin create-token`.' },
        session: { type: 'apiKey', in: 'cookie', name: 'seici_session', description: 'A session from /login; unsafe methods need the x-csrf-token header.' },
      },
    },
    paths,
  };
}
