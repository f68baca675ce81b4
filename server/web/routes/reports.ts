import { isSkipped } from '../../../analysis/index.js';
import { HttpError } from '../../errors.js';
import { draftFromPilot, requestPilot } from '../../handlers/pilot.js';
import { PanelDraft } from '../../panel_schemas.js';
import { listUnits } from '../../queries/units.js';
import { findWave } from '../../queries/waves.js';
import { requestResearch } from '../../research/handlers.js';
import { ResearchRequest } from '../../research/schemas.js';
import { Reply } from '../../routes/api_route.js';
import { spreadsheetCsv } from '../../spreadsheet_csv.js';
import { validate } from '../../validation.js';
import { analysisPage, analysisReportPath } from '../pages.js';
import { Page, Redirect, backWithError, notice, page, type PageRoute } from '../page_route.js';
import { analysedWave } from '../queries/analysed_waves.js';
import { researchCharts, researchReport, researchReportRows } from '../reports/research_report.js';
import { pilotPage } from '../reports/scale_pilot.js';
import { loadingViews, scaleReport, scaleReportPreregistration, scaleReportRows, screeChart } from '../reports/scale_report.js';
import { unitReport, unitReportRows } from '../reports/unit_report.js';

/** A report as a file: `?format=json` or `?format=csv` of a report page. */
const json = (filename: string, value: unknown) => new Reply(200, JSON.stringify(value, null, 2), 'application/json', filename);
const csv = (filename: string, rows: Parameters<typeof spreadsheetCsv>[0]) => new Reply(200, spreadsheetCsv(rows), 'text/csv; charset=utf-8', filename);

/** The reports: a stored run's page, a unit's report, the scale-developer and pilot reports, the research report; each page's JSON and CSV. */
export const reportRoutes: readonly PageRoute[] = [
  page({
    kind: 'page', path: '/admin/analyses/:id',
    run: async ({ s, id }) => {
      const pilotData = await pilotPage(s, id);
      if (pilotData) return new Page('scale_report_pilot', 'reports', `Pilot analysis ${pilotData.run.id}`, pilotData);
      const data = await analysisPage(s, id);
      const elsewhere = analysisReportPath(data.analysis);
      if (elsewhere) return new Redirect(elsewhere);
      return new Page('analysis', 'waves', `Analysis ${data.analysis.id}`, data);
    },
  }),
  page({
    kind: 'form', path: '/admin/waves/:id/pilot', refused: backWithError(({ id }) => `/admin/waves/${id}/scale-report`),
    run: async ({ s, user, id }) => {
      const run = await requestPilot(s, user.actor, id);
      return notice(`/admin/analyses/${run.id}`, `Pilot analysis ${run.id} was started.`);
    },
  }),
  page({
    kind: 'form', path: '/admin/analyses/:id/draft', body: PanelDraft, refused: backWithError(({ id }) => `/admin/analyses/${id}`),
    run: async ({ s, user, id, body }) => {
      const draft = await draftFromPilot(s, user.actor, id, body.version);
      const revise = draft.toRevise.map((r) => r.item).join(', ');
      const retired = draft.changes.length > 0 ? `Draft ${draft.version} retires ${draft.changes.length} item(s) on the pilot's evidence.` : `Draft ${draft.version} was made to revise items; it retires none.`;
      return notice(
        `/admin/instrument/${encodeURIComponent(draft.version)}`,
        `${retired}${revise ? ` Revise ${revise} here: each needs new wording, and the pilot's reasons are shown beside it.` : ''}`,
      );
    },
  }),
  page({
    kind: 'page', path: '/admin/waves/:id/units/:key/report',
    run: async ({ s, id, params, query }) => {
      const key = params.key;
      const { report, charts } = await unitReport(s, id, key);
      const base = `wave-${id}-${key}-report`;
      if (query.format === 'json') return json(`${base}.json`, report);
      if (query.format === 'csv') return csv(`${base}.csv`, unitReportRows(report));
      const analysed = await analysedWave(s.db, id);
      const names = new Map((await listUnits(s.db)).map((u) => [u.key, u.name]));
      const others = (analysed?.visible ?? []).map((u) => ({ unitKey: u.unitKey, name: names.get(u.unitKey) ?? u.unitKey, current: u.unitKey === key }));
      return new Page('unit_report', 'reports', `${report.unit.name} · ${report.wave.name}`, { report, charts, others, path: `/admin/waves/${id}/units/${encodeURIComponent(key)}/report` });
    },
  }),
  page({
    kind: 'page', path: '/admin/waves/:id/scale-report',
    run: async ({ s, kit, id, query }) => {
      const wave = await findWave(s.db, id);
      if (!wave) throw new HttpError(404, `No wave has the id ${id}.`);
      const analysed = await analysedWave(s.db, wave);
      if (!analysed) throw new HttpError(404, `Wave "${wave.name}" has no finished analysis yet; start one on the wave's page.`);
      const job = await kit.scaleReports.job(analysed);
      const format = query.format;
      if (job.state !== 'done') {
        if (format === 'json' || format === 'csv') throw new HttpError(409, 'The scale-developer analyses are still being computed; try again in a minute.');
        const failed = job.state === 'failed';
        return new Page('scale_report_pending', 'reports', `Scale report · ${wave.name}`, { wave, job, failed }, failed ? 500 : 202);
      }
      const report = { ...scaleReport(analysed, job.analysis, job.finishedAt), preregistration: await scaleReportPreregistration(s, wave) };
      const base = `wave-${id}-scale-report`;
      if (format === 'json') return json(`${base}.json`, report);
      if (format === 'csv') return csv(`${base}.csv`, scaleReportRows(report));
      const a = report.analysis;
      const efa = 'error' in a.efa || isSkipped(a.efa) ? null : a.efa;
      return new Page('scale_report', 'reports', `Scale report · ${wave.name}`, {
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
    },
  }),
  page({
    kind: 'page', path: '/admin/research',
    run: async ({ s, query }) => {
      const report = await researchReport(s);
      if ((query.format === 'json' || query.format === 'csv') && !report.results) throw new HttpError(404, 'No research run has finished yet.');
      if (query.format === 'json') return json('research-report.json', { run: report.run, results: report.results, preregistration: report.preregistration });
      if (query.format === 'csv') return csv('research-report.csv', researchReportRows(report));
      const roles = report.results ? Object.fromEntries(report.results.waves.map((w) => [w.role, w])) : {};
      return new Page('research', 'research', 'Research report', { report, hypotheses: report.hypotheses, charts: await researchCharts(report), wave: roles });
    },
  }),
  page({
    kind: 'form', path: '/admin/research', refused: backWithError(() => '/admin/research'),
    run: async ({ s, user, field, fields }) => {
      const number = (name: string) => (field(name) === '' ? undefined : Number(field(name)));
      const waves = fields('waves').map(Number);
      const body = validate(ResearchRequest, {
        ...(waves.length > 0 ? { waves } : {}),
        ...(field('pqMeasure') ? { pqMeasure: field('pqMeasure') } : {}),
        bootstrap: number('bootstrap'),
        seed: number('seed'),
      });
      const run = await requestResearch(s, user.actor, body);
      return notice('/admin/research', `Research run ${run.id} was started; the report below updates when it is done.`);
    },
  }),
];
