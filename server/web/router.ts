import { join } from 'node:path';
import { isSkipped } from '../../analysis/index.js';
import express, { type Request, type Response } from 'express';
import { deleteTraces, importTraces } from '../dynamics/handlers/traces.js';
import { IMPORT_BODY_LIMIT } from '../dynamics/router.js';
import { SourceQuery, TraceFormatQuery } from '../dynamics/schemas.js';
import { HttpError } from '../errors.js';
import { requestAnalysis } from '../handlers/analyses.js';
import { createInvitations, emailInvitations } from '../handlers/invitations.js';
import { createUnit, importUnits } from '../handlers/units.js';
import { closeWave, createWave } from '../handlers/waves.js';
import { changeDraft, changeInput, createVersion, instrumentVersion, publishInstrumentVersion } from '../handlers/instrument.js';
import { InstrumentVersionCreate } from '../instrument_schemas.js';
import { loadInstrumentVersion } from '../instrument_source.js';
import type { VersionChange } from '../../instrument/index.js';
import { formChange } from './instrument_editor.js';
import { VIEWS_DIR } from '../paths.js';
import { spreadsheetCsv } from '../spreadsheet_csv.js';
import { findWave, listWaves } from '../queries/waves.js';
import { InvitationCreate, InvitationEmail, UnitCreate, WaveCreate } from '../schemas.js';
import type { Services } from '../services.js';
import { validate } from '../validation.js';
import { ConsoleViews } from './console_views.js';
import {
  analysisPage,
  comparePage,
  exportsPage,
  instrumentPage,
  instrumentVersionPage,
  overviewPage,
  tracesPage,
  unitsPage,
  waveLive,
  wavePage,
  wavesPage,
} from './pages.js';
import { analysedWave } from './queries/analysed_waves.js';
import { ScaleReports } from './reports/scale_jobs.js';
import { pilotPage } from './reports/scale_pilot.js';
import { draftFromPilot, requestPilot } from '../handlers/pilot.js';
import { ExpertInvite, PanelCreate, PanelDraft } from '../panel_schemas.js';
import { analysePanel, createPanel, draftFromPanel, inviteExperts, panelConsolePage, panelsPage } from '../handlers/panels.js';
import { loadingViews, scaleReport, scaleReportRows, screeChart } from './reports/scale_report.js';
import { unitReport, unitReportRows } from './reports/unit_report.js';
import { researchCharts, researchReport, researchReportRows } from './reports/research_report.js';
import { requestResearch } from '../research/handlers.js';
import { ResearchRequest } from '../research/schemas.js';
import { consoleForm, consolePage, field, fields } from './session.js';

const ID = /^[1-9][0-9]{0,9}$/;

function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !ID.test(raw)) throw new HttpError(404, `Nothing is at ${req.path}.`);
  return Number(raw);
}

/** Where a form sends the admin back to, with a one-sentence notice or error in the query. */
function back(res: Response, path: string, kind: 'notice' | 'error', text: string): void {
  res.redirect(303, `${path}${path.includes('?') ? '&' : '?'}${kind}=${encodeURIComponent(text)}`);
}

/** A form field holding a time typed as UTC in a datetime-local input (`2026-11-24T09:30`), as ISO 8601. */
function utcField(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}

function download(res: Response, filename: string, type: string, body: string): void {
  res.type(type).attachment(filename).send(body);
}

/**
 * The admin console and the reports: HTML pages under /admin for signed-in admins (session
 * cookie from /login; forms carry the session's CSRF token and go through the server's
 * authenticateAdmin), and the console's own CSS/JS under /assets/console. Data is read with the
 * server's queries and changed only through the server's handlers, so validation and the audit
 * log are the API's. Nothing about a unit below the minimum group size is shown beyond
 * "fewer than N".
 */
export function consoleRouter(s: Services): express.Router {
  const views = new ConsoleViews(join(VIEWS_DIR, 'console'));
  const scaleReports = new ScaleReports(s);
  const router = express.Router();
  const page = consolePage(s);

  router.use('/assets/console', express.static(join(VIEWS_DIR, 'assets', 'console'), { maxAge: '1h' }));

  const render = (req: Request, res: Response, view: string, nav: string, title: string, data: Record<string, unknown>, status = 200) => {
    const notice = typeof req.query.notice === 'string' ? req.query.notice : undefined;
    const error = typeof req.query.error === 'string' ? req.query.error : undefined;
    res
      .status(status)
      .type('html')
      .send(views.render(view, { ...data, title, nav: { [nav]: true }, user: res.locals.console, notice, error }));
  };

  /** Runs a form's change; a caller's mistake (4xx) goes back to the form as an error message. */
  const attempt = async (res: Response, path: string, change: () => Promise<string>) => {
    try {
      back(res, path, 'notice', await change());
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, path, 'error', err.message);
      throw err;
    }
  };

  router.get('/admin', page, async (req, res) => {
    render(req, res, 'overview', 'overview', 'Overview', await overviewPage(s));
  });

  router.get('/admin/units', page, async (req, res) => {
    render(req, res, 'units', 'units', 'Units', await unitsPage(s));
  });

  router.post('/admin/units', ...consoleForm(s), async (req, res) => {
    await attempt(res, '/admin/units', async () => {
      const input = validate(UnitCreate, {
        key: field(req, 'key'),
        name: field(req, 'name'),
        ...(field(req, 'parentKey') ? { parentKey: field(req, 'parentKey') } : {}),
        ...(field(req, 'context') ? { context: field(req, 'context') } : {}),
      });
      const unit = await createUnit(s, res.locals.console.actor, input);
      return `Unit "${unit.key}" was created.`;
    });
  });

  // A refused import shows the units page again with every bad line and the pasted text kept, so it can be corrected in place.
  router.post('/admin/units/import', ...consoleForm(s, '5mb'), async (req, res) => {
    const csv = field(req, 'csv');
    try {
      if (!csv) throw new HttpError(400, 'Choose a CSV file or paste its text before importing.');
      const result = await importUnits(s, res.locals.console.actor, csv);
      back(res, '/admin/units', 'notice', `Imported ${result.created} new and ${result.updated} updated unit${result.created + result.updated === 1 ? '' : 's'}.`);
    } catch (err) {
      if (!(err instanceof HttpError && err.status < 500)) throw err;
      render(req, res, 'units', 'units', 'Units', { ...(await unitsPage(s)), importError: err.message, importCsv: csv }, err.status);
    }
  });

  router.get('/admin/instrument', page, async (req, res) => {
    render(req, res, 'instrument', 'instrument', 'Instrument versions', await instrumentPage(s));
  });

  router.get('/admin/instrument/compare', page, async (req, res) => {
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
    render(req, res, 'instrument_compare', 'instrument', 'Compare instrument versions', await comparePage(s, q('from'), q('to')));
  });

  router.get('/admin/instrument/:version', page, async (req, res) => {
    const lang = typeof req.query.lang === 'string' ? req.query.lang : 'en';
    const data = await instrumentVersionPage(s, req.params.version as string, lang);
    render(req, res, 'instrument_version', 'instrument', `Instrument ${data.version}`, data);
  });

  // The draft editor: start a draft from a published version, add or remove changes, publish.
  const versionParam = (req: Request) => req.params.version as string;
  const localesOf = async (version: string) => (await loadInstrumentVersion(s.db, version))?.version.locales ?? ['en'];
  router.post('/admin/instrument', ...consoleForm(s), async (req, res) => {
    const version = field(req, 'version');
    await attempt(res, '/admin/instrument', async () => {
      const input = validate(InstrumentVersionCreate, { from: field(req, 'from'), version, changes: [formChange(req, await localesOf(field(req, 'from')))] });
      await createVersion(s, res.locals.console.actor, input);
      return `Draft ${version} was created.`;
    });
  });
  router.post('/admin/instrument/:version/changes', ...consoleForm(s), async (req, res) => {
    const version = versionParam(req);
    await attempt(res, `/admin/instrument/${encodeURIComponent(version)}`, async () => {
      const current = await instrumentVersion(s, version);
      const changes = [...(current.changes as VersionChange[]).map(changeInput), formChange(req, current.locales)];
      await changeDraft(s, res.locals.console.actor, version, changes);
      return 'The change was added to the draft.';
    });
  });
  router.post('/admin/instrument/:version/changes/:index/remove', ...consoleForm(s), async (req, res) => {
    const version = versionParam(req);
    await attempt(res, `/admin/instrument/${encodeURIComponent(version)}`, async () => {
      const current = await instrumentVersion(s, version);
      const index = Number(req.params.index);
      const changes = (current.changes as VersionChange[]).map(changeInput).filter((_, i) => i !== index);
      if (changes.length === current.changes.length) throw new HttpError(400, `The draft has no change number ${req.params.index}.`);
      if (changes.length === 0) throw new HttpError(400, 'A draft keeps at least one change; add another before removing this one.');
      await changeDraft(s, res.locals.console.actor, version, changes);
      return 'The change was removed from the draft.';
    });
  });
  router.post('/admin/instrument/:version/publish', ...consoleForm(s), async (req, res) => {
    const version = versionParam(req);
    await attempt(res, `/admin/instrument/${encodeURIComponent(version)}`, async () => {
      await publishInstrumentVersion(s, res.locals.console.actor, version);
      return `Version ${version} is published; new waves use it from now on.`;
    });
  });

  router.get('/admin/waves', page, async (req, res) => {
    render(req, res, 'waves', 'waves', 'Waves', await wavesPage(s));
  });

  router.post('/admin/waves', ...consoleForm(s), async (req, res) => {
    let created: number | undefined;
    try {
      const minGroupSize = field(req, 'minGroupSize');
      const reminder = field(req, 'reminder');
      const input = validate(WaveCreate, {
        name: field(req, 'name'),
        opensAt: utcField(field(req, 'opensAt')),
        closesAt: utcField(field(req, 'closesAt')),
        unitKeys: fields(req, 'unitKeys'),
        ...(field(req, 'instrumentVersion') ? { instrumentVersion: field(req, 'instrumentVersion') } : {}),
        ...(fields(req, 'locales').length ? { locales: fields(req, 'locales') } : {}),
        ...(reminder ? { reminders: [utcField(reminder)] } : {}),
        ...(minGroupSize ? { minGroupSize: Number(minGroupSize) } : {}),
      });
      created = (await createWave(s, res.locals.console.actor, input)).id;
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, '/admin/waves', 'error', err.message);
      throw err;
    }
    back(res, `/admin/waves/${created}`, 'notice', 'The wave was created. Issue invitation links for each unit below.');
  });

  router.get('/admin/waves/:id', page, async (req, res) => {
    const data = await wavePage(s, idParam(req));
    render(req, res, 'wave', 'waves', data.wave.name, data);
  });

  router.get('/admin/waves/:id/live', page, async (req, res) => {
    const wave = await findWave(s.db, idParam(req));
    if (!wave) throw new HttpError(404, 'No such wave.');
    res.type('html').send(views.renderPartial('wave_live', { ...(await waveLive(s, wave)), user: res.locals.console }));
  });

  router.post('/admin/waves/:id/invitations', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const input = validate(InvitationCreate, { unitKey: field(req, 'unitKey'), count: Number(field(req, 'count')) });
      const issued = await createInvitations(s, res.locals.console.actor, id, input);
      const csv = spreadsheetCsv([['unitKey', 'url'], ...issued.invitations.map((i) => [input.unitKey, i.url])]);
      download(res, `wave-${id}-${input.unitKey}-links.csv`, 'text/csv; charset=utf-8', csv);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/waves/${id}`, 'error', err.message);
      throw err;
    }
  });

  router.post('/admin/waves/:id/invitations/email', ...consoleForm(s, '1mb'), async (req, res) => {
    const id = idParam(req);
    await attempt(res, `/admin/waves/${id}`, async () => {
      const emails = field(req, 'emails').split(/[\s,;]+/).filter(Boolean);
      const input = validate(InvitationEmail, { unitKey: field(req, 'unitKey'), emails });
      const result = await emailInvitations(s, res.locals.console.actor, id, input);
      const failed = result.failed.length ? ` ${result.failed.length} could not be delivered: ${result.failed.join(', ')}.` : '';
      return `Sent ${result.sent} invitation e-mail${result.sent === 1 ? '' : 's'} for unit "${input.unitKey}".${failed}`;
    });
  });

  router.post('/admin/waves/:id/close', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await attempt(res, `/admin/waves/${id}`, async () => {
      await closeWave(s, res.locals.console.actor, id);
      return 'The wave is closed; it takes no more answers.';
    });
  });

  router.post('/admin/waves/:id/analyses', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await attempt(res, `/admin/waves/${id}`, async () => {
      const analysis = await requestAnalysis(s, res.locals.console.actor, id);
      return `Analysis ${analysis.id} was started; its progress shows below.`;
    });
  });

  router.get('/admin/analyses/:id', page, async (req, res) => {
    const pilotData = await pilotPage(s, idParam(req));
    if (pilotData) return render(req, res, 'scale_report_pilot', 'reports', `Pilot analysis ${pilotData.run.id}`, pilotData);
    const data = await analysisPage(s, idParam(req));
    render(req, res, 'analysis', 'waves', `Analysis ${data.analysis.id}`, data);
  });

  router.get('/admin/waves/:id/units/:key/report', page, async (req, res) => {
    const id = idParam(req);
    const key = req.params.key as string;
    const { report, charts } = await unitReport(s, id, key);
    const base = `wave-${id}-${key}-report`;
    if (req.query.format === 'json') return download(res, `${base}.json`, 'application/json', JSON.stringify(report, null, 2));
    if (req.query.format === 'csv') return download(res, `${base}.csv`, 'text/csv; charset=utf-8', spreadsheetCsv(unitReportRows(report)));
    const analysed = await analysedWave(s.db, id);
    const others = (analysed?.visible ?? []).map((u) => ({ unitKey: u.unitKey, current: u.unitKey === key }));
    render(req, res, 'unit_report', 'reports', `${key} · ${report.wave.name}`, { report, charts, others, path: `/admin/waves/${id}/units/${encodeURIComponent(key)}/report` });
  });

  router.get('/admin/panels', page, async (req, res) => {
    render(req, res, 'panels', 'instrument', 'Expert panels', await panelsPage(s));
  });
  router.post('/admin/panels', ...consoleForm(s), async (req, res) => {
    try {
      const version = field(req, 'instrumentVersion');
      const created = await createPanel(s, res.locals.console.actor, validate(PanelCreate, { name: field(req, 'name'), ...(version ? { instrumentVersion: version } : {}) }));
      back(res, `/admin/panels/${created.id}`, 'notice', `Panel "${created.name}" was created; invite its experts below.`);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, '/admin/panels', 'error', err.message);
      throw err;
    }
  });
  router.get('/admin/panels/:id', page, async (req, res) => {
    const data = await panelConsolePage(s, idParam(req));
    render(req, res, 'panel', 'instrument', `Panel · ${data.panel.name}`, data);
  });
  router.post('/admin/panels/:id/experts', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const issued = await inviteExperts(s, res.locals.console.actor, id, validate(ExpertInvite, { count: Number(field(req, 'count')) }));
      // The links are shown once, on this answer: only their hashes are stored.
      const data = await panelConsolePage(s, id, issued.experts);
      render(req, res, 'panel', 'instrument', `Panel · ${data.panel.name}`, data, 201);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/panels/${id}`, 'error', err.message);
      throw err;
    }
  });
  router.post('/admin/panels/:id/analyses', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await attempt(res, `/admin/panels/${id}`, async () => {
      const run = await analysePanel(s, res.locals.console.actor, id);
      return `Analysis ${run.id} of ${run.experts} complete rating sets is stored.`;
    });
  });
  router.post('/admin/panels/:id/draft', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const draft = await draftFromPanel(s, res.locals.console.actor, id, validate(PanelDraft, { version: field(req, 'version') }).version);
      back(res, `/admin/instrument/${encodeURIComponent(draft.version)}`, 'notice', `Draft ${draft.version} retires ${draft.changes.length} item(s) on the panel's evidence.`);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/panels/${id}`, 'error', err.message);
      throw err;
    }
  });
  router.post('/admin/waves/:id/pilot', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const run = await requestPilot(s, res.locals.console.actor, id);
      back(res, `/admin/analyses/${run.id}`, 'notice', `Pilot analysis ${run.id} was started.`);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/waves/${id}/scale-report`, 'error', err.message);
      throw err;
    }
  });
  router.post('/admin/analyses/:id/draft', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const draft = await draftFromPilot(s, res.locals.console.actor, id, validate(PanelDraft, { version: field(req, 'version') }).version);
      const revise = draft.toRevise.map((r) => r.item).join(', ');
      back(res, `/admin/instrument/${encodeURIComponent(draft.version)}`, 'notice', `Draft ${draft.version} retires ${draft.changes.length} item(s) on the pilot's evidence.${revise ? ` Revise ${revise} here: each needs new wording.` : ''}`);
    } catch (err) {
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/analyses/${id}`, 'error', err.message);
      throw err;
    }
  });

  router.get('/admin/waves/:id/scale-report', page, async (req, res) => {
    const id = idParam(req);
    const wave = await findWave(s.db, id);
    if (!wave) throw new HttpError(404, `No wave has the id ${id}.`);
    const analysed = await analysedWave(s.db, wave);
    if (!analysed) throw new HttpError(404, `Wave "${wave.name}" has no finished analysis yet; start one on the wave's page.`);
    const job = await scaleReports.job(analysed);
    const format = req.query.format;
    if (job.state !== 'done') {
      if (format === 'json' || format === 'csv') throw new HttpError(409, 'The scale-developer analyses are still being computed; try again in a minute.');
      res.status(job.state === 'failed' ? 500 : 202);
      return render(req, res, 'scale_report_pending', 'reports', `Scale report · ${wave.name}`, { wave, job, failed: job.state === 'failed' }, job.state === 'failed' ? 500 : 202);
    }
    const report = scaleReport(analysed, job.analysis, job.finishedAt);
    const base = `wave-${id}-scale-report`;
    if (format === 'json') return download(res, `${base}.json`, 'application/json', JSON.stringify(report, null, 2));
    if (format === 'csv') return download(res, `${base}.csv`, 'text/csv; charset=utf-8', spreadsheetCsv(scaleReportRows(report)));
    const a = report.analysis;
    const efa = 'error' in a.efa || isSkipped(a.efa) ? null : a.efa;
    render(req, res, 'scale_report', 'reports', `Scale report · ${wave.name}`, {
      report,
      scree: await screeChart(report),
      parallel: 'error' in a.parallel || isSkipped(a.parallel) ? null : a.parallel,
      parallelError: 'error' in a.parallel ? a.parallel.error : null,
      parallelSkipped: isSkipped(a.parallel) ? a.parallel.reason : null,
      efa,
      efaError: 'error' in a.efa ? a.efa.error : null,
      efaSkipped: isSkipped(a.efa) ? a.efa.reason : null,
      factors: efa ? Array.from({ length: efa.nfactors }, (_, k) => `F${k + 1}`) : [],
      loadings: efa ? loadingViews(efa.loadings) : [],
      flagged: efa ? loadingViews(efa.loadings).filter((l) => l.verdict !== 'keep' || l.strays) : [],
      cells: report.analysis.reliability.filter((r) => r.kind === 'cell'),
      aggregates: report.analysis.reliability.filter((r) => r.kind !== 'cell'),
    });
  });

  router.get('/admin/reports', page, async (req, res) => {
    const waves = await listWaves(s.db);
    const analysed = [];
    for (const w of [...waves].reverse()) {
      const a = await analysedWave(s.db, w);
      if (a) analysed.push({ wave: w, analysisId: a.analysisId, analysedAt: a.analysedAt, units: a.visible.map((u) => u.unitKey), hidden: a.results.units.length - a.visible.length });
    }
    render(req, res, 'reports', 'reports', 'Reports', { analysed });
  });

  router.route('/admin/research')
    .get(page, async (req, res) => {
      const report = await researchReport(s);
      if ((req.query.format === 'json' || req.query.format === 'csv') && !report.results) throw new HttpError(404, 'No research run has finished yet.');
      if (req.query.format === 'json') return download(res, 'research-report.json', 'application/json', JSON.stringify({ run: report.run, results: report.results }, null, 2));
      if (req.query.format === 'csv') return download(res, 'research-report.csv', 'text/csv; charset=utf-8', spreadsheetCsv(researchReportRows(report)));
      const roles = report.results ? Object.fromEntries(report.results.waves.map((w) => [w.role, w])) : {};
      render(req, res, 'research', 'research', 'Research report', { report, hypotheses: report.hypotheses, charts: await researchCharts(report), wave: roles });
    })
    .post(...consoleForm(s), async (req, res) => {
      await attempt(res, '/admin/research', async () => {
        const number = (name: string) => (field(req, name) === '' ? undefined : Number(field(req, name)));
        const waves = fields(req, 'waves').map(Number);
        const body = validate(ResearchRequest, {
          ...(waves.length > 0 ? { waves } : {}),
          ...(field(req, 'pqMeasure') ? { pqMeasure: field(req, 'pqMeasure') } : {}),
          bootstrap: number('bootstrap'),
          seed: number('seed'),
        });
        const run = await requestResearch(s, res.locals.console.actor, body);
        return `Research run ${run.id} was started; the report below updates when it is done.`;
      });
    });

  router.get('/admin/traces', page, async (req, res) => {
    render(req, res, 'traces', 'traces', 'Trace imports', await tracesPage(s));
  });

  // A refused import shows the page again with every bad line and what was typed kept in the form.
  router.post('/admin/traces/import', ...consoleForm(s, IMPORT_BODY_LIMIT), async (req, res) => {
    const kept = { unitKey: field(req, 'unitKey'), format: field(req, 'format'), source: field(req, 'source'), events: field(req, 'events') };
    const refusedAgain = async (err: unknown) => {
      if (!(err instanceof HttpError && err.status < 500)) throw err;
      render(req, res, 'traces', 'traces', 'Trace imports', { ...(await tracesPage(s)), importError: err.message, kept }, err.status);
    };
    try {
      const unitKey = field(req, 'unitKey');
      const format = validate(TraceFormatQuery, field(req, 'format') || undefined, 'format');
      const text = field(req, 'events');
      if (!text) throw new HttpError(400, 'Choose an events file or paste its text before importing.');
      let body: unknown = text;
      if (format === 'json' || ((format === 'native' || format === 'jira') && /^[[{]/.test(text))) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, `The ${format} import is not valid JSON.`);
        }
      }
      const source = validate(SourceQuery, field(req, 'source') || undefined, 'source');
      const imported = await importTraces(s, res.locals.console.actor, unitKey, format, body, source);
      back(res, '/admin/traces', 'notice', `Imported ${imported.events} events for unit "${imported.unitKey}" (${imported.first ?? '?'} to ${imported.last ?? '?'}).`);
    } catch (err) {
      await refusedAgain(err);
    }
  });

  router.post('/admin/traces/delete', ...consoleForm(s), async (req, res) => {
    await attempt(res, '/admin/traces', async () => {
      const id = Number(field(req, 'id'));
      if (!Number.isInteger(id) || id < 1) throw new HttpError(400, 'id must be a positive integer.');
      const deleted = await deleteTraces(s, res.locals.console.actor, field(req, 'unitKey'), id);
      return `Deleted import ${deleted.id} (${deleted.events} events) of unit "${deleted.unitKey}".`;
    });
  });

  router.get('/admin/exports', page, async (req, res) => {
    render(req, res, 'exports', 'exports', 'Exports', await exportsPage(s));
  });

  return router;
}
