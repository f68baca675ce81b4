import { z } from 'zod';
import { HttpError } from '../errors.js';
import * as admin from '../handlers/admin.js';
import * as analyses from '../handlers/analyses.js';
import * as exportsHandlers from '../handlers/exports.js';
import * as instrument from '../handlers/instrument.js';
import * as invitations from '../handlers/invitations.js';
import * as responses from '../handlers/responses.js';
import * as sessions from '../handlers/sessions.js';
import * as units from '../handlers/units.js';
import * as waves from '../handlers/waves.js';
import * as S from '../schemas.js';
import * as IS from '../instrument_schemas.js';
import * as PS from '../panel_schemas.js';
import * as panels from '../handlers/panels.js';
import * as pilot from '../handlers/pilot.js';
import { bundleRoutes } from '../bundles/routes.js';
import { commitmentRoutes } from '../prereg/routes.js';
import { researchRoutes } from '../research/routes.js';
import { validate } from '../validation.js';
import { WaveRunOptionsBody } from '../dynamics/schemas.js';
import { importLimit, sendsCsv, type UploadLimit } from '../imports/csv_upload.js';
import type { Config } from '../config.js';
import { Reply, route, type ApiRoute } from './api_route.js';

function id(params: Record<string, string>, name = 'id'): number {
  return validate(S.IdParam, params[name], name);
}

const NOT_FOUND = [400, 401, 404];

/** Largest unit import: the body is read as a stream through the CSV tokenizer (server/imports/csv_upload.ts). */
/** The limit of a unit import, uploaded or pasted in the console: SEICI_IMPORT_LIMIT when set, else 5mb. */
export function unitImportLimit(config: Pick<Config, 'importLimit'>, sentence = 'The request body is larger than the limit of'): UploadLimit {
  return importLimit(config.importLimit, 5 * 1024 * 1024, '5mb', sentence);
}
const download = (file: exportsHandlers.ExportFile) => new Reply(200, file.body, file.contentType, file.filename);

/** Every call of the API under /api/v1. */
export const apiRoutes: readonly ApiRoute[] = [
  route({
    method: 'get', path: '/instrument', tag: 'instrument', admin: false, status: 200, errors: [],
    summary: 'The newest published instrument version: its scale and items.',
    response: S.Instrument,
    run: ({ s }) => instrument.latestInstrument(s),
  }),
  route({
    method: 'get', path: '/instrument/versions', tag: 'instrument', admin: false, status: 200, errors: [],
    summary: 'Every published instrument version.',
    response: z.object({ versions: z.array(S.Instrument) }),
    run: ({ s }) => instrument.allInstruments(s),
  }),
  route({
    method: 'get', path: '/instrument/versions/:version', tag: 'instrument', admin: false, status: 200, errors: [404],
    summary: 'One stored instrument version, published or draft (`status`), with its provenance and change log.',
    response: IS.InstrumentVersionView,
    run: ({ s, params }) => instrument.instrumentVersion(s, params.version),
  }),
  route({
    method: 'post', path: '/instrument/versions', tag: 'instrument', admin: true, status: 201, errors: [400, 401, 409],
    summary: 'Derives a draft version from a published one: retire, revise (a new id recording the item it revises) or add items, each with its reason and evidence; 409 when the version exists.',
    body: IS.InstrumentVersionCreate, response: IS.InstrumentVersionView,
    run: ({ s, actor, body }) => instrument.createVersion(s, actor, body),
  }),
  route({
    method: 'patch', path: '/instrument/versions/:version', tag: 'instrument', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary: 'Replaces a draft\'s change list (derived again from its base); 409 once the version is published.',
    body: IS.InstrumentDraftUpdate, response: IS.InstrumentVersionView,
    run: ({ s, actor, params, body }) => instrument.changeDraft(s, actor, params.version, body.changes),
  }),
  route({
    method: 'post', path: '/instrument/versions/:version/publish', tag: 'instrument', admin: true, status: 200, errors: [401, 404, 409],
    summary: 'Publishes a draft version; it is immutable afterwards (409 on any change) and waves may pin it.',
    body: S.EmptyBody.optional(), response: IS.InstrumentVersionView,
    run: ({ s, actor, params }) => instrument.publishInstrumentVersion(s, actor, params.version),
  }),
  route({
    method: 'post', path: '/panels', tag: 'panels', admin: true, status: 201, errors: [400, 401],
    summary: 'Creates an expert panel that rates a published instrument version (default the latest) for content validity.',
    body: PS.PanelCreate, response: PS.Panel,
    run: ({ s, actor, body }) => panels.createPanel(s, actor, body),
  }),
  route({
    method: 'get', path: '/panels/:id', tag: 'panels', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'An expert panel with its progress (invited, started, complete).',
    response: PS.Panel,
    run: ({ s, params }) => panels.getPanel(s, id(params)),
  }),
  route({
    method: 'post', path: '/panels/:id/experts', tag: 'panels', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Issues single-use links for experts (labelled E1, E2, …).',
    body: PS.ExpertInvite, response: z.object({ experts: z.array(z.object({ label: z.string(), token: z.string(), url: z.string() })) }),
    run: ({ s, actor, params, body }) => panels.inviteExperts(s, actor, id(params), body),
  }),
  route({
    method: 'post', path: '/panels/:id/close', tag: 'panels', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Closes an expert panel; ratings are refused from then on.',
    body: S.EmptyBody.optional(), response: PS.Panel,
    run: ({ s, actor, params }) => panels.closeExpertPanel(s, actor, id(params)),
  }),
  route({
    method: 'post', path: '/panel-ratings', tag: 'panels', admin: false, status: 201, errors: [400, 404, 409, 410],
    summary: 'Saves an expert\'s ratings for a panel link: partial (resumable) or complete (once).',
    body: PS.PanelRatingsSubmit, response: z.object({ complete: z.boolean(), rated: z.number().int(), items: z.number().int() }),
    run: async ({ s, body }) => {
      const saved = await panels.submitPanelRatings(s, body);
      return new Reply(saved.status, saved.body);
    },
  }),
  route({
    method: 'post', path: '/panels/:id/analyses', tag: 'panels', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Analyses the complete rating sets (seici content-validity) and stores the run.',
    body: S.EmptyBody.optional(), response: PS.PanelAnalysis,
    run: ({ s, actor, params }) => panels.analysePanel(s, actor, id(params)),
  }),
  route({
    method: 'post', path: '/panels/:id/draft', tag: 'panels', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Turns the panel\'s latest verdicts into a draft version: items to drop are retired with their reasons and statistics as evidence; items to revise are listed.',
    body: PS.PanelDraft, response: IS.InstrumentVersionView.extend({ toRevise: z.array(z.object({ item: z.string(), reasons: z.array(z.string()) })) }),
    run: ({ s, actor, params, body }) => panels.draftFromPanel(s, actor, id(params), body.version),
  }),
  route({
    method: 'get', path: '/panels/:id/analyses/latest', tag: 'panels', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The latest stored content-validity analysis of a panel.',
    response: PS.PanelAnalysis,
    run: ({ s, params }) => panels.panelAnalysis(s, id(params)),
  }),
  route({
    method: 'get', path: '/units', tag: 'units', admin: true, status: 200, errors: [401],
    summary: 'Every unit, with its parent, context and attributes.',
    response: z.object({ units: z.array(S.Unit) }),
    run: async ({ s }) => ({ units: await units.listAllUnits(s) }),
  }),
  route({
    method: 'post', path: '/units', tag: 'units', admin: true, status: 201, errors: [400, 401, 409],
    summary: 'Creates a unit; 409 when the key exists.',
    body: S.UnitCreate, response: S.Unit,
    run: ({ s, actor, body }) => units.createUnit(s, actor, body),
  }),
  route({
    method: 'post', path: '/units/import', tag: 'units', admin: true, status: 200, errors: [400, 401, 413, 415],
    summary: 'Creates or updates units from CSV (columns key, name, parentKey, context; others become attributes).',
    bodyType: 'text/csv', response: S.UnitImportResult,
    run: async ({ s, actor, req }) => {
      if (!sendsCsv(req)) throw new HttpError(415, 'Send the units as CSV with Content-Type: text/csv.');
      return units.importUnits(s, actor, { req, limit: unitImportLimit(s.config), type: 'csv' });
    },
  }),
  route({
    method: 'get', path: '/units/:key', tag: 'units', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'One unit.',
    response: S.Unit,
    run: ({ s, params }) => units.getUnit(s, params.key),
  }),
  route({
    method: 'patch', path: '/units/:key', tag: 'units', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Changes a unit\'s name, parent, context or attributes.',
    body: S.UnitUpdate, response: S.Unit,
    run: ({ s, actor, params, body }) => units.changeUnit(s, actor, params.key, body),
  }),
  route({
    method: 'get', path: '/waves', tag: 'waves', admin: true, status: 200, errors: [401],
    summary: 'Every wave.',
    response: z.object({ waves: z.array(S.Wave) }),
    run: async ({ s }) => ({ waves: await waves.listAllWaves(s) }),
  }),
  route({
    method: 'post', path: '/waves', tag: 'waves', admin: true, status: 201, errors: [400, 401],
    summary: 'Schedules a wave: its units, opening and closing times, instrument version, locales, reminders and minimum group size.',
    body: S.WaveCreate, response: S.Wave,
    run: ({ s, actor, body }) => waves.createWave(s, actor, body),
  }),
  route({
    method: 'get', path: '/waves/:id', tag: 'waves', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'One wave with its response progress per unit.',
    response: S.WaveDetail,
    run: ({ s, params }) => waves.getWave(s, id(params)),
  }),
  route({
    method: 'patch', path: '/waves/:id', tag: 'waves', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary: 'Changes the name, dates or reminders of a wave that has not closed: the opening time before it opens, the closing time to any time ahead (extending it), reminders ahead of now. 409 once closed.',
    body: S.WaveUpdate, response: S.Wave,
    run: ({ s, actor, params, body }) => waves.updateWave(s, actor, id(params), body),
  }),
  route({
    method: 'post', path: '/waves/:id/units', tag: 'waves', admin: true, status: 200, errors: [400, 401, 404, 409],
    summary: 'Adds units to a wave that has not closed, an open one included (units it surveys already are skipped).',
    body: S.WaveUnitsAdd, response: S.Wave.extend({ added: z.number().int() }),
    run: ({ s, actor, params, body }) => waves.addUnitsToWave(s, actor, id(params), body),
  }),
  route({
    method: 'delete', path: '/waves/:id', tag: 'waves', admin: true, status: 200, errors: [401, 404, 409],
    summary: 'Deletes a draft: a wave that has not opened and has issued no invitation link (409 otherwise).',
    response: z.object({ id: z.number().int(), deleted: z.literal(true) }),
    run: ({ s, actor, params }) => waves.deleteWave(s, actor, id(params)),
  }),
  route({
    method: 'post', path: '/waves/:id/close', tag: 'waves', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Closes a wave now; answers are refused from then on.',
    body: S.EmptyBody.optional(), response: S.Wave,
    run: ({ s, actor, params }) => waves.closeWave(s, actor, id(params)),
  }),
  route({
    method: 'post', path: '/waves/:id/invitations', tag: 'invitations', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Issues single-use invitation links for one unit (as CSV with ?format=csv).',
    body: S.InvitationCreate, response: S.Invitations, responseType: 'application/json or text/csv',
    run: async ({ s, actor, params, body, req }) => {
      const issued = await invitations.createInvitations(s, actor, id(params), body);
      if (req.query.format === 'csv' || req.accepts(['application/json', 'text/csv']) === 'text/csv') {
        const rows = issued.invitations.map((i) => `${body.unitKey},${i.url}`);
        return new Reply(201, ['unitKey,url', ...rows].join('\n') + '\n', 'text/csv; charset=utf-8', `wave-${id(params)}-${body.unitKey}-links.csv`);
      }
      return issued;
    },
  }),
  route({
    method: 'post', path: '/waves/:id/invitations/email', tag: 'invitations', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Invites respondents of one unit by e-mail, one single-use link each.',
    body: S.InvitationEmail, response: z.object({ sent: z.number().int(), failed: z.array(z.string()) }),
    run: ({ s, actor, params, body }) => invitations.emailInvitations(s, actor, id(params), body),
  }),
  route({
    method: 'post', path: '/responses', tag: 'responses', admin: false, status: 201, errors: [400, 403, 404, 409, 410, 413],
    summary: 'Saves an answer set for an invitation token: partial (resumable) or complete (once; a retry of the same submission answers 200).',
    body: S.ResponseSubmit, response: S.ResponseSaved,
    run: async ({ s, body }) => {
      const saved = await responses.submitResponse(s, body);
      return new Reply(saved.status, saved.body);
    },
  }),
  route({
    method: 'post', path: '/waves/:id/analyses', tag: 'analyses', admin: true, status: 202, errors: NOT_FOUND,
    summary: 'Starts the analysis of a wave in the background, under the run options given (period and sprintAnchor of the diagnosis\'s breakpoints, capacity of the drift flags; each left out takes its default: week, capacity 0.5).',
    body: WaveRunOptionsBody.optional(), response: S.Analysis,
    run: ({ s, actor, params, body }) => analyses.requestAnalysis(s, actor, id(params), body ?? {}),
  }),
  route({
    method: 'get', path: '/waves/:id/analyses', tag: 'analyses', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The analyses of a wave.',
    response: z.object({ analyses: z.array(S.Analysis) }),
    run: ({ s, params }) => analyses.waveAnalyses(s, id(params)),
  }),
  route({
    method: 'get', path: '/analyses/:id', tag: 'analyses', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'An analysis: its status, and its results when done.',
    response: S.Analysis,
    run: ({ s, params }) => analyses.getAnalysis(s, id(params)),
  }),
  route({
    method: 'post', path: '/waves/:id/pilot', tag: 'analyses', admin: true, status: 202, errors: [400, 401, 404, 409],
    summary: 'Starts the pilot purification of a closed, published wave (a stored run of kind pilot): item statistics, EFA, reliability, CFA, validity and invariance, with a keep/revise/drop verdict per item.',
    body: S.EmptyBody.optional(), response: S.Analysis,
    run: ({ s, actor, params }) => pilot.requestPilot(s, actor, id(params)),
  }),
  route({
    method: 'post', path: '/analyses/:id/draft', tag: 'analyses', admin: true, status: 201, errors: [400, 401, 404, 409],
    summary: 'Turns a pilot run\'s verdicts into a draft version: items to drop are retired with their reasons and statistics as evidence; items to revise are listed.',
    body: PS.PanelDraft, response: IS.InstrumentVersionView.extend({ toRevise: z.array(z.object({ item: z.string(), reasons: z.array(z.string()), evidence: z.unknown() })) }),
    run: ({ s, actor, params, body }) => pilot.draftFromPilot(s, actor, id(params), body.version),
  }),
  route({
    method: 'get', path: '/waves/:id/report', tag: 'reports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The wave\'s report from its latest analysis; units below the minimum group size are suppressed.',
    response: S.Report,
    run: ({ s, params }) => analyses.waveReport(s, id(params)),
  }),
  route({
    method: 'get', path: '/waves/:id/export', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The complete answer sets of a closed, published wave as one CSV table (UTF-8 with BOM; unit keys only; suppressed units left out; rows in content order); 409 while the wave is open.',
    responseType: 'text/csv',
    run: async ({ s, params }) => download(await exportsHandlers.exportResponses(s, id(params))),
  }),
  route({
    method: 'get', path: '/waves/:id/export/sav', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The same answer sets as an SPSS .sav file with variable labels, value labels and the not-applicable code (-1) declared missing; 409 while the wave is open.',
    responseType: 'application/x-spss-sav',
    run: async ({ s, params }) => download(await exportsHandlers.exportSav(s, id(params))),
  }),
  route({
    method: 'get', path: '/waves/:id/export/dta', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The same answer sets as a Stata 14+ .dta file (format 118) with labels; not applicable is the extended missing value .a; 409 while the wave is open.',
    responseType: 'application/x-stata-dta',
    run: async ({ s, params }) => download(await exportsHandlers.exportDta(s, id(params))),
  }),
  route({
    method: 'get', path: '/waves/:id/export/r', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'An R script that reads the CSV export with its variable labels, value labels and missing codes (haven when installed, else base R); 409 while the wave is open.',
    responseType: 'text/plain',
    run: async ({ s, params }) => download(await exportsHandlers.exportRLoader(s, id(params))),
  }),
  route({
    method: 'get', path: '/waves/:id/export/units', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The published unit scores of a closed wave as one CSV table (scale scores and rwg(j) to 2 decimals, z, M and drift to 3); suppressed units left out; 409 while the wave is open.',
    responseType: 'text/csv',
    run: async ({ s, params }) => download(await exportsHandlers.exportUnitScores(s, id(params))),
  }),
  route({
    method: 'get', path: '/waves/:id/codebook', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The codebook of the export as CSV: one row per column (type, decimals, value-label set, missing codes, label).',
    responseType: 'text/csv',
    run: async ({ s, params }) => download(await exportsHandlers.exportCodebook(s, id(params))),
  }),
  route({
    method: 'get', path: '/waves/:id/codebook/values', tag: 'exports', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'The value labels of the export as CSV: the anchors of each response scale and the not-applicable code.',
    responseType: 'text/csv',
    run: async ({ s, params }) => download(await exportsHandlers.exportValueLabels(s, id(params))),
  }),
  route({
    method: 'get', path: '/admin/tokens', tag: 'admin', admin: true, status: 200, errors: [401],
    summary: 'The admin tokens (names and dates, never the tokens).',
    response: z.object({ tokens: z.array(S.AdminToken) }),
    run: async ({ s }) => ({ tokens: await admin.listTokens(s) }),
  }),
  route({
    method: 'post', path: '/admin/tokens', tag: 'admin', admin: true, status: 201, errors: [400, 401],
    summary: 'Creates a named admin token; the token is shown once.',
    body: S.TokenCreate, response: S.NewAdminToken,
    run: ({ s, actor, body }) => admin.createAdminToken(s, actor, body.name),
  }),
  route({
    method: 'delete', path: '/admin/tokens/:id', tag: 'admin', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Revokes an admin token.',
    response: S.AdminToken,
    run: ({ s, actor, params }) => admin.revokeToken(s, actor, id(params)),
  }),
  route({
    method: 'get', path: '/admin/sessions', tag: 'admin', admin: true, status: 200, errors: [401],
    summary: 'The console sessions still valid: who, opened with which admin token, since when, last seen, until when.',
    response: z.object({ sessions: z.array(S.ConsoleSession) }),
    run: ({ s }) => sessions.activeSessions(s),
  }),
  route({
    method: 'delete', path: '/admin/sessions/:id', tag: 'admin', admin: true, status: 200, errors: NOT_FOUND,
    summary: 'Ends a console session at once; its next request is refused.',
    response: z.object({ id: z.number().int(), revoked: z.literal(true) }),
    run: ({ s, actor, params }) => sessions.revokeSession(s, actor, id(params)),
  }),
  route({
    method: 'get', path: '/audit', tag: 'admin', admin: true, status: 200, errors: [401],
    summary: 'The newest entries of the audit log of admin changes (?limit=, default 100; ?actor= exactly, ?action= and ?target= by prefix, ?since= and ?until= as ISO times).',
    response: z.object({ entries: z.array(S.AuditEntry) }),
    run: ({ s, req }) => {
      const q = validate(S.AuditQuery, req.query, 'the query');
      return admin.auditLog(s, q.limit, q);
    },
  }),
  ...commitmentRoutes,
  ...researchRoutes,
  ...bundleRoutes,
];
