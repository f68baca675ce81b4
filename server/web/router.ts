import { join } from 'node:path';
import { isSkipped } from '../../analysis/index.js';
import express, { type Request, type Response } from 'express';
import { deleteTraces, importTraces } from '../dynamics/handlers/traces.js';
import { IMPORT_BODY_LIMIT } from '../dynamics/router.js';
import { SourceQuery, TraceFormatQuery } from '../dynamics/schemas.js';
import { HttpError, fromInputError } from '../errors.js';
import { requestAnalysis } from '../handlers/analyses.js';
import { createInvitations, emailInvitations } from '../handlers/invitations.js';
import { createUnit, importUnits } from '../handlers/units.js';
import { addUnitsToWave, closeWave, createWave, deleteWave, updateWave } from '../handlers/waves.js';
import { changeDraft, changeInput, createVersion, instrumentVersion, publishInstrumentVersion } from '../handlers/instrument.js';
import { InstrumentVersionCreate } from '../instrument_schemas.js';
import { loadInstrumentVersion } from '../instrument_source.js';
import type { VersionChange } from '../../instrument/index.js';
import { formChange } from './instrument_editor.js';
import { VIEWS_DIR } from '../paths.js';
import { spreadsheetCsv } from '../spreadsheet_csv.js';
import { findWave } from '../queries/waves.js';
import { listUnits } from '../queries/units.js';
import { InvitationCreate, InvitationEmail, TokenCreate, UnitCreate, WaveCreate, WaveUnitsAdd, WaveUpdate } from '../schemas.js';
import type { Services } from '../services.js';
import { validate } from '../validation.js';
import { ConsoleViews } from './console_views.js';
import {
  analysisPage,
  analysisReportPath,
  comparePage,
  exportsPage,
  instrumentPage,
  instrumentVersionPage,
  overviewPage,
  reportsPage,
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
import { loadingViews, scaleReport, scaleReportPreregistration, scaleReportRows, screeChart } from './reports/scale_report.js';
import { unitReport, unitReportRows } from './reports/unit_report.js';
import { researchCharts, researchReport, researchReportRows } from './reports/research_report.js';
import { requestResearch } from '../research/handlers.js';
import { ResearchRequest } from '../research/schemas.js';
import { consoleForm, consolePage, field, fields } from './session.js';
import { accessPage, auditPage, auditQuery, ruleBody, rulesPage, ruleVersionPage, typedRuleForm, type RuleForm } from './admin_pages.js';
import { createRuleVersion, deleteRuleVersion, editRuleVersion } from '../dynamics/handlers/rules.js';
import { RuleSetBody } from '../dynamics/schemas.js';
import { Reply } from '../routes/api_route.js';
import { createAdminToken, revokeToken } from '../handlers/admin.js';
import { revokeSession } from '../handlers/sessions.js';
import { fromLocalInput } from './time_zone.js';

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
  const views = new ConsoleViews(join(VIEWS_DIR, 'console'), s.config.timeZone);
  /** A refused wave form's message in the form's words: its labels for the API's field names, times in the organisation's zone. */
  const formMessage = (message: string) =>
    message
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g, (t) => views.formatTime(t))
      .replace(/\bopensAt\b/g, 'Opens')
      .replace(/\bclosesAt\b/g, 'Closes')
      .replace(/\breminders\b/g, 'Reminders')
      .replace(/\bunitKeys\b/g, 'Units');
  /** A time typed in a datetime-local field, in the organisation's zone, as ISO 8601 UTC. */
  const utcField = (value: string) => fromLocalInput(value, s.config.timeZone);
  const scaleReports = new ScaleReports(s);
  const router = express.Router();
  const page = consolePage(s);

  // The console's CSS and JS keep fixed URLs, so a browser must ask again each time (no-cache)
  // and gets 304 by ETag while the file is unchanged: an upgraded server never serves stale assets.
  router.use('/assets/console', express.static(join(VIEWS_DIR, 'assets', 'console'), { etag: true, lastModified: false, cacheControl: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));

  const render = (req: Request, res: Response, view: string, nav: string, title: string, data: Record<string, unknown>, status = 200) => {
    const notice = typeof req.query.notice === 'string' ? req.query.notice : undefined;
    const error = typeof req.query.error === 'string' ? req.query.error : undefined;
    res
      .status(status)
      .type('html')
      .send(views.render(view, { ...data, title, nav: { [nav]: true }, user: res.locals.console, notice, error: error ?? data.formError }));
  };

  /** Runs a form's change; a caller's mistake (4xx) goes back to the form as an error message. */
  const attempt = async (res: Response, path: string, change: () => Promise<string>) => {
    try {
      back(res, path, 'notice', await change());
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    const typed = {
      name: field(req, 'name'),
      opensAt: field(req, 'opensAt'),
      closesAt: field(req, 'closesAt'),
      reminder: field(req, 'reminder'),
      minGroupSize: field(req, 'minGroupSize'),
      instrumentVersion: field(req, 'instrumentVersion'),
      unitKeys: fields(req, 'unitKeys'),
      locales: fields(req, 'locales'),
    };
    let created: number | undefined;
    try {
      const input = validate(WaveCreate, {
        name: typed.name,
        opensAt: utcField(typed.opensAt),
        closesAt: utcField(typed.closesAt),
        unitKeys: typed.unitKeys,
        ...(typed.instrumentVersion ? { instrumentVersion: typed.instrumentVersion } : {}),
        ...(typed.locales.length ? { locales: typed.locales } : {}),
        ...(typed.reminder ? { reminders: [utcField(typed.reminder)] } : {}),
        ...(typed.minGroupSize ? { minGroupSize: Number(typed.minGroupSize) } : {}),
      });
      created = (await createWave(s, res.locals.console.actor, input)).id;
    } catch (thrown) {
      const err = fromInputError(thrown);
      // The form comes back with everything typed and the error above it.
      if (err instanceof HttpError && err.status < 500) return render(req, res, 'waves', 'waves', 'Waves', { ...(await wavesPage(s, typed)), formError: formMessage(err.message) }, err.status);
      throw err;
    }
    back(res, `/admin/waves/${created}`, 'notice', 'The wave was created. Issue invitation links for each unit below.');
  });

  /** Re-renders a wave's page with the typed values and the error when a change is refused; else back with a notice. */
  const waveChange = async (req: Request, res: Response, id: number, typed: Parameters<typeof wavePage>[2], change: () => Promise<string>) => {
    let notice: string;
    try {
      notice = await change();
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) {
        const data = await wavePage(s, id, typed);
        return render(req, res, 'wave', 'waves', data.wave.name, { ...data, formError: formMessage(err.message) }, err.status);
      }
      throw err;
    }
    back(res, `/admin/waves/${id}`, 'notice', notice);
  };

  router.post('/admin/waves/:id/edit', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    const typed = { name: field(req, 'name'), opensAt: field(req, 'opensAt'), closesAt: field(req, 'closesAt'), reminders: fields(req, 'reminders') };
    await waveChange(req, res, id, typed, async () => {
      const wave = await findWave(s.db, id);
      if (!wave) throw new HttpError(404, `No wave has the id ${id}.`);
      const input = validate(WaveUpdate, {
        name: typed.name,
        // A wave that has opened shows its opening time without a field; the stored one stands.
        ...(typed.opensAt ? { opensAt: utcField(typed.opensAt) } : {}),
        closesAt: utcField(typed.closesAt),
        reminders: typed.reminders.map(utcField),
      });
      await updateWave(s, res.locals.console.actor, id, input);
      const reminders = input.reminders?.length ?? 0;
      return `The wave was saved.${reminders > 0 && !s.mailer ? ' Its reminders will not be sent: this server has no SMTP_HOST configured.' : ''}`;
    });
  });

  router.post('/admin/waves/:id/extend', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await waveChange(req, res, id, undefined, async () => {
      const wave = await findWave(s.db, id);
      if (!wave) throw new HttpError(404, `No wave has the id ${id}.`);
      const days = Number(field(req, 'days'));
      if (!Number.isInteger(days) || days < 1 || days > 90) throw new HttpError(400, 'days must be a whole number from 1 to 90.');
      const closesAt = new Date(Date.parse(wave.closesAt) + days * 86_400_000).toISOString();
      const updated = await updateWave(s, res.locals.console.actor, id, validate(WaveUpdate, { closesAt }));
      return `The wave now closes ${days} day${days === 1 ? '' : 's'} later, on ${views.formatTime(updated.closesAt)}.`;
    });
  });

  router.post('/admin/waves/:id/units', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await waveChange(req, res, id, undefined, async () => {
      const input = validate(WaveUnitsAdd, { unitKeys: fields(req, 'unitKeys') }, 'unitKeys');
      const result = await addUnitsToWave(s, res.locals.console.actor, id, input);
      return result.added === 0 ? 'The wave surveys those units already.' : `Added ${result.added} unit${result.added === 1 ? '' : 's'} to the wave; issue their invitation links below.`;
    });
  });

  router.post('/admin/waves/:id/delete', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const wave = await findWave(s.db, id);
      await deleteWave(s, res.locals.console.actor, id);
      back(res, '/admin/waves', 'notice', `The draft "${wave?.name ?? id}" was deleted.`);
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/waves/${id}`, 'error', err.message);
      throw err;
    }
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
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    const elsewhere = analysisReportPath(data.analysis);
    if (elsewhere) return res.redirect(303, elsewhere);
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
    const names = new Map((await listUnits(s.db)).map((u) => [u.key, u.name]));
    const others = (analysed?.visible ?? []).map((u) => ({ unitKey: u.unitKey, name: names.get(u.unitKey) ?? u.unitKey, current: u.unitKey === key }));
    render(req, res, 'unit_report', 'reports', `${report.unit.name} · ${report.wave.name}`, { report, charts, others, path: `/admin/waves/${id}/units/${encodeURIComponent(key)}/report` });
  });

  router.get('/admin/panels', page, async (req, res) => {
    render(req, res, 'panels', 'instrument', 'Expert panels', await panelsPage(s));
  });
  router.post('/admin/panels', ...consoleForm(s), async (req, res) => {
    try {
      const version = field(req, 'instrumentVersion');
      const created = await createPanel(s, res.locals.console.actor, validate(PanelCreate, { name: field(req, 'name'), ...(version ? { instrumentVersion: version } : {}) }));
      back(res, `/admin/panels/${created.id}`, 'notice', `Panel "${created.name}" was created; invite its experts below.`);
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/panels/${id}`, 'error', err.message);
      throw err;
    }
  });
  router.post('/admin/waves/:id/pilot', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    try {
      const run = await requestPilot(s, res.locals.console.actor, id);
      back(res, `/admin/analyses/${run.id}`, 'notice', `Pilot analysis ${run.id} was started.`);
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    } catch (thrown) {
      const err = fromInputError(thrown);
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
    const report = { ...scaleReport(analysed, job.analysis, job.finishedAt), preregistration: await scaleReportPreregistration(s, wave) };
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
    render(req, res, 'reports', 'reports', 'Reports', await reportsPage(s));
  });

  router.route('/admin/research')
    .get(page, async (req, res) => {
      const report = await researchReport(s);
      if ((req.query.format === 'json' || req.query.format === 'csv') && !report.results) throw new HttpError(404, 'No research run has finished yet.');
      if (req.query.format === 'json') return download(res, 'research-report.json', 'application/json', JSON.stringify({ run: report.run, results: report.results, preregistration: report.preregistration }, null, 2));
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
    const refusedAgain = async (thrown: unknown) => {
      const err = fromInputError(thrown);
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
    } catch (thrown) {
      const err = fromInputError(thrown);
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

  // Breakpoint rules (server/dynamics): every version, one version's rules, editing a version no
  // wave has locked, and saving changed rules as a new version.
  router.get('/admin/rules', page, async (req, res) => {
    render(req, res, 'rules', 'rules', 'Breakpoint rules', await rulesPage(s));
  });
  router.get('/admin/rules/:version', page, async (req, res) => {
    const data = await ruleVersionPage(s, req.params.version as string);
    render(req, res, 'rule_version', 'rules', `Breakpoint rules ${data.rule.version}`, data);
  });
  const ruleChange = async (req: Request, res: Response, from: string, asNew: boolean, change: (form: RuleForm) => Promise<string>) => {
    const form = typedRuleForm((name) => field(req, name));
    let target: string;
    try {
      target = await change(form);
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) {
        const data = await ruleVersionPage(s, from, { form, asNew });
        return render(req, res, 'rule_version', 'rules', `Breakpoint rules ${data.rule.version}`, { ...data, formError: err.message, [asNew ? 'newError' : 'editError']: true }, err.status);
      }
      throw err;
    }
    back(res, `/admin/rules/${encodeURIComponent(target)}`, 'notice', asNew ? `Version ${target} was saved; it is in force for the next wave that opens.` : `Version ${target} was changed.`);
  };
  router.post('/admin/rules', ...consoleForm(s), async (req, res) => {
    await ruleChange(req, res, field(req, 'from'), true, async (form) => {
      const created = await createRuleVersion(s, res.locals.console.actor, validate(RuleSetBody, ruleBody(form), 'rules'));
      return created instanceof Reply ? (created.body as { version: string }).version : created.version;
    });
  });
  router.post('/admin/rules/:version/edit', ...consoleForm(s), async (req, res) => {
    const version = req.params.version as string;
    await ruleChange(req, res, version, false, async (form) => {
      await editRuleVersion(s, res.locals.console.actor, version, validate(RuleSetBody, { ...ruleBody(form), version }, 'rules'));
      return version;
    });
  });
  router.post('/admin/rules/:version/delete', ...consoleForm(s), async (req, res) => {
    const version = req.params.version as string;
    try {
      await deleteRuleVersion(s, res.locals.console.actor, version);
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) return back(res, `/admin/rules/${encodeURIComponent(version)}`, 'error', err.message);
      throw err;
    }
    back(res, '/admin/rules', 'notice', `Version ${version} was deleted.`);
  });

  // Admin tokens and console sessions.
  router.get('/admin/access', page, async (req, res) => {
    render(req, res, 'access', 'access', 'Tokens and sessions', await accessPage(s, res.locals.console.sessionId));
  });
  router.post('/admin/access/tokens', ...consoleForm(s), async (req, res) => {
    const name = field(req, 'name');
    try {
      const { name: tokenName } = validate(TokenCreate, { name }, 'name');
      const token = await createAdminToken(s, res.locals.console.actor, tokenName);
      // Shown once, on this page only: never in a redirect's address.
      render(req, res, 'access', 'access', 'Tokens and sessions', await accessPage(s, res.locals.console.sessionId, { name: token.name, token: token.token }), 201);
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) {
        return render(req, res, 'access', 'access', 'Tokens and sessions', { ...(await accessPage(s, res.locals.console.sessionId, undefined, name)), formError: err.message }, err.status);
      }
      throw err;
    }
  });
  router.post('/admin/access/tokens/:id/revoke', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await attempt(res, '/admin/access', async () => {
      const token = await revokeToken(s, res.locals.console.actor, id);
      return `Token "${token.name}" was revoked; the sessions opened with it have ended.`;
    });
  });
  router.post('/admin/access/sessions/:id/end', ...consoleForm(s), async (req, res) => {
    const id = idParam(req);
    await attempt(res, '/admin/access', async () => {
      await revokeSession(s, res.locals.console.actor, id);
      return `Session ${id} was ended.`;
    });
  });

  router.get('/admin/audit', page, async (req, res) => {
    const query = auditQuery(req.query as Record<string, unknown>);
    try {
      render(req, res, 'audit', 'audit', 'Audit log', await auditPage(s, query));
    } catch (thrown) {
      const err = fromInputError(thrown);
      if (err instanceof HttpError && err.status < 500) {
        return render(req, res, 'audit', 'audit', 'Audit log', { query, entries: [], timeZone: s.config.timeZone, formError: err.message }, err.status);
      }
      throw err;
    }
  });

  router.get('/admin/exports', page, async (req, res) => {
    render(req, res, 'exports', 'exports', 'Exports', await exportsPage(s));
  });

  return router;
}
