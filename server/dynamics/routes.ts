import { z } from 'zod';
import { IdParam } from '../schemas.js';
import { route, type ApiRoute } from '../routes/api_route.js';
import { validate } from '../validation.js';
import type { Request } from 'express';
import { importLimit, sendsCsv, type UnreadUpload, type UploadLimit } from '../imports/csv_upload.js';
import type { Config } from '../config.js';
import * as breakpoints from './handlers/breakpoints.js';
import * as diagnosis from './handlers/diagnosis.js';
import * as performance from './handlers/performance.js';
import * as rules from './handlers/rules.js';
import * as traces from './handlers/traces.js';
import * as S from './schemas.js';

const NOT_FOUND = [400, 401, 404];

/** Largest trace or PQ import body (a year of events of a large unit is a few megabytes). */
export const IMPORT_BODY_LIMIT = '50mb';

/**
 * The limit of a trace or PQ import, uploaded (read as a stream, server/imports/csv_upload.ts)
 * or pasted in the console: SEICI_IMPORT_LIMIT when set, else IMPORT_BODY_LIMIT.
 */
export function dynamicsImportLimit(config: Pick<Config, 'importLimit'>): UploadLimit {
  return importLimit(config.importLimit, 50 * 1024 * 1024, IMPORT_BODY_LIMIT);
}

/** The body of an import: a CSV upload left unread for the handler to stream (text/csv or text/plain), else the parsed JSON (or nothing). */
function uploadedBody(req: Request, limit: UploadLimit): unknown {
  return sendsCsv(req, true) ? ({ req, limit, type: 'csv' } satisfies UnreadUpload) : req.body;
}

/** True when a request sends JSON (application/json or a +json type). */
function sendsJson(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** The body of a trace import: CSV as for every import, and JSON too left unread for the handler to stream (readTraceUpload). */
function traceBody(req: Request, limit: UploadLimit): unknown {
  return sendsJson(req) ? ({ req, limit, type: 'json' } satisfies UnreadUpload) : uploadedBody(req, limit);
}

/** The routes that read their JSON body themselves, as a stream: the dynamics router mounts no JSON parser for them. */
export const STREAMED_JSON: ReadonlySet<string> = new Set(['post /units/:key/traces']);

function id(params: Record<string, string>, name = 'id'): number {
  return validate(IdParam, params[name], name);
}

/**
 * The SEI dynamics calls under /api/v1 (issue 7): trace and PQ imports per unit, versioned
 * breakpoint rules, and a unit's breakpoints and diagnosis. All are admin calls. Import
 * bodies are CSV (text/csv) or JSON; server/dynamics/router.ts mounts these routes with
 * body limits large enough for trace files, and the OpenAPI document lists them.
 */
export const dynamicsRoutes: readonly ApiRoute[] = [
  route({
    method: 'post', path: '/units/:key/traces', tag: 'dynamics', admin: true, status: 201, errors: [400, 401, 404, 413, 415],
    summary: 'Imports a unit\'s coordination events (?format=native|json|jira|decision-log, ?source=label) as CSV, or as JSON with Content-Type application/json, every row validated; a bad line is a 400 naming it and nothing is stored.',
    bodyType: 'text/csv', response: S.TraceImport,
    run: async ({ s, actor, params, req }) => {
      const format = validate(S.TraceFormatQuery, req.query.format, 'format');
      const source = validate(S.SourceQuery, req.query.source, 'source');
      return traces.importTraces(s, actor, params.key, format, traceBody(req, dynamicsImportLimit(s.config)), source);
    },
  }),
  route({
    method: 'get', path: '/units/:key/traces', tag: 'dynamics', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The trace imports of a unit.',
    response: z.object({ imports: z.array(S.TraceImport) }),
    run: ({ s, params }) => traces.listTraces(s, params.key),
  }),
  route({
    method: 'delete', path: '/units/:key/traces/:id', tag: 'dynamics', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Deletes a trace import and its events.',
    response: S.TraceImport,
    run: ({ s, actor, params }) => traces.deleteTraces(s, actor, params.key, id(params)),
  }),
  route({
    method: 'post', path: '/units/:key/performance', tag: 'dynamics', admin: true, status: 201, errors: [400, 401, 404, 409, 413, 415],
    summary: 'Imports a unit\'s performance-quality outcomes as CSV (period, measure, value), kept apart from the breakpoint signals.',
    bodyType: 'text/csv', response: S.PerformanceImport,
    run: async ({ s, actor, params, req }) => {
      const source = validate(S.SourceQuery, req.query.source, 'source');
      return performance.importPerformance(s, actor, params.key, uploadedBody(req, dynamicsImportLimit(s.config)), source);
    },
  }),
  route({
    method: 'get', path: '/units/:key/performance', tag: 'dynamics', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The performance-quality imports and values of a unit.',
    response: z.object({ imports: z.array(S.PerformanceImport), values: z.array(S.PerformanceValue) }),
    run: ({ s, params }) => performance.listPerformance(s, params.key),
  }),
  route({
    method: 'delete', path: '/units/:key/performance/:id', tag: 'dynamics', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Deletes a performance-quality import and its values.',
    response: S.PerformanceImport,
    run: ({ s, actor, params }) => performance.deletePerformance(s, actor, params.key, id(params)),
  }),
  route({
    method: 'get', path: '/breakpoint-rules', tag: 'dynamics', admin: true, status: 200, errors: [401],
    summary: 'Every breakpoint rule set version, the one in force, and the waves that locked each.',
    response: S.RuleSetList,
    run: ({ s }) => rules.listRuleVersions(s),
  }),
  route({
    method: 'post', path: '/breakpoint-rules', tag: 'dynamics', admin: true, status: 201, errors: [400, 401, 409],
    summary: 'Stores a new breakpoint rule set version, in force from now (200 when identical rules are stored already; 409 when the name is taken by other rules).',
    body: S.RuleSetBody, response: S.RuleSetVersion,
    run: ({ s, actor, body }) => rules.createRuleVersion(s, actor, body),
  }),
  route({
    method: 'get', path: '/breakpoint-rules/:version', tag: 'dynamics', admin: true, status: 200, errors: [401, 404],
    summary: 'One breakpoint rule set version.',
    response: S.RuleSetVersion,
    run: ({ s, params }) => rules.getRuleVersion(s, params.version),
  }),
  route({
    method: 'patch', path: '/breakpoint-rules/:version', tag: 'dynamics', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary: 'Replaces the rules of a version no wave has locked; 409 once a wave that opened has locked it.',
    body: S.RuleSetBody, response: S.RuleSetVersion,
    run: ({ s, actor, params, body }) => rules.editRuleVersion(s, actor, params.version, body),
  }),
  route({
    method: 'delete', path: '/breakpoint-rules/:version', tag: 'dynamics', admin: true, status: 200, errors: [401, 404, 409],
    summary: 'Deletes a version no wave has locked; 409 once a wave that opened has locked it.',
    response: S.RuleSetVersion,
    run: ({ s, actor, params }) => rules.deleteRuleVersion(s, actor, params.version),
  }),
  route({
    method: 'get', path: '/units/:key/breakpoints', tag: 'dynamics', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary: 'A unit\'s breakpoints from its stored events under the rules locked by the latest wave that opened (or ?wave=ID, or a preview with ?rules=VERSION), with change points apart.',
    response: S.UnitBreakpoints,
    run: ({ s, params, req }) => breakpoints.unitBreakpoints(s, params.key, validate(S.BreakpointQuery, req.query, 'the query')),
  }),
  route({
    method: 'get', path: '/units/:key/diagnosis', tag: 'dynamics', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary:
      'A unit\'s diagnosis in a wave (?wave=ID, default the latest analysed), read from the wave\'s stored run: weakest cells against the organisation, drift, breakpoints and ranked interventions, as the run computed them; suppressed below the minimum group size. ?period, ?sprintAnchor and ?capacity name the run options to read it under: the latest run answers when it used them, else the newest finished run that did; without one, 409 with the call that starts a run with them (POST /api/v1/waves/:id/analyses with those options).',
    query: S.DiagnosisQuery,
    response: S.UnitDiagnosisBody,
    run: ({ s, params, req }) => diagnosis.unitDiagnosis(s, params.key, validate(S.DiagnosisQuery, req.query, 'the query')),
  }),
];
