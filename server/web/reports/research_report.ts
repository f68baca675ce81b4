import type { ResearchClpm, ResearchEstimate, ResearchHypothesis, ResearchPanelModel, ResearchPublication } from '../../../analysis/index.js';
import { renderSvg } from '../../charts/render.js';
import { conditionalIndirectSpec } from '../../charts/conditional_indirect.js';
import { invertedUSpec } from '../../charts/inverted_u.js';
import { eventStudySpec } from '../../charts/event_study.js';
import { effectiveStatus } from '../../handlers/waves.js';
import { findAnalysis, latestDoneAnalysis, type AnalysisRecord } from '../../queries/analyses.js';
import { listWaves } from '../../queries/waves.js';
import { latestResearchRunId, performanceMeasures, runOptions } from '../../research/queries.js';
import { DEFAULT_BOOTSTRAP, DEFAULT_SEED, type ResearchOptions } from '../../research/schemas.js';
import type { Services } from '../../services.js';
import { researchPreregistration, type ReportPreregistration } from '../../prereg/report_commitments.js';

/** A hypothesis as the page shows it: the stored result with its verdict in words. */
export interface HypothesisView extends Omit<ResearchHypothesis, 'result'> {
  readonly verdict: 'supported' | 'not supported' | 'not tested';
  readonly models: readonly { readonly name: string; readonly formula: string; readonly r2: number; readonly terms: readonly Record<string, unknown>[] }[];
  readonly warnings: readonly string[];
}

/** The research page: the latest finished run (if any), the newest run's state, and the start form's choices. */
export interface ResearchReport {
  readonly run: { readonly id: number; readonly finishedAt: string | null; readonly requestedBy: string; readonly options: ResearchOptions } | null;
  readonly results: ResearchPublication | null;
  readonly hypotheses: readonly HypothesisView[];
  /** The panel designs' FE, DiD and event-study models with a title each (empty for runs stored before they joined the run). */
  readonly panelModels: readonly (ResearchPanelModel & { readonly title: string })[];
  /** The CLPM's regression paths (the autoregressive and cross-lagged ones), then its other estimates. */
  readonly clpm: (ResearchClpm & { readonly paths: ResearchClpm['estimates']; readonly others: ResearchClpm['estimates'] }) | null;
  /** The newest run when it is still queued or running, or failed after the one shown. */
  readonly pending: { readonly id: number; readonly status: string; readonly error: string | null } | null;
  /** Closed waves with a publication, newest first (the start form's choices). */
  readonly waves: readonly { readonly id: number; readonly name: string; readonly opensAt: string }[];
  /** The start form's T1, T2, T3 choices, each preselecting one of the latest three. */
  readonly choices: readonly { readonly role: string; readonly options: readonly { readonly id: number; readonly name: string; readonly selected: boolean }[] }[];
  readonly measures: readonly string[];
  readonly defaults: { readonly bootstrap: number; readonly seed: number };
  /** The hypothesis commitments of the run's waves it followed, or how it deviated (issue 18); null without a run. */
  readonly preregistration: ReportPreregistration | null;
}

function hypothesisView(h: ResearchHypothesis): HypothesisView {
  const { result, ...rest } = h;
  return {
    ...rest,
    verdict: h.supported === null ? 'not tested' : h.supported ? 'supported' : 'not supported',
    models: result ? Object.entries(result.models).map(([name, m]) => ({ name, formula: m.formula, r2: m.r2, terms: m.terms as unknown as Record<string, unknown>[] })) : [],
    warnings: result?.diagnostics.warnings ?? [],
  };
}

/** Reads the research page's data: stored runs only, nothing is computed here. */
export async function researchReport(s: Services): Promise<ResearchReport> {
  const doneId = await latestResearchRunId(s.db, true);
  const newestId = await latestResearchRunId(s.db);
  const done: AnalysisRecord | undefined = doneId === undefined ? undefined : await findAnalysis(s.db, doneId);
  const newest = newestId === undefined || newestId === doneId ? undefined : await findAnalysis(s.db, newestId);
  const results = (done?.results ?? null) as ResearchPublication | null;
  const now = s.clock();
  const waves: { id: number; name: string; opensAt: string }[] = [];
  for (const w of [...(await listWaves(s.db))].reverse()) {
    if (effectiveStatus(w, now) === 'closed' && (await latestDoneAnalysis(s.db, w.id))) waves.push({ id: w.id, name: w.name, opensAt: w.opensAt });
  }
  return {
    run: done ? { id: done.id, finishedAt: done.finishedAt, requestedBy: done.requestedBy, options: (await runOptions(s.db, done.id))! } : null,
    results,
    hypotheses: results ? results.hypotheses.map(hypothesisView) : [],
    panelModels: results?.panel
      ? [
          { ...results.panel.fe, title: 'Unit fixed effects' },
          { ...results.panel.did, title: 'Difference-in-differences (two-way fixed effects)' },
          { ...results.panel.event, title: 'Event study (two-way fixed effects)' },
        ]
      : [],
    clpm: results?.panel
      ? { ...results.panel.clpm, paths: results.panel.clpm.estimates.filter((e) => e.op === '~'), others: results.panel.clpm.estimates.filter((e) => e.op !== '~') }
      : null,
    pending: newest ? { id: newest.id, status: newest.status, error: newest.error } : null,
    waves,
    choices: ['T1', 'T2', 'T3'].map((role, k) => ({ role, options: waves.map((w, j) => ({ id: w.id, name: w.name, selected: j === 2 - k })) })),
    measures: await performanceMeasures(s.db),
    defaults: { bootstrap: DEFAULT_BOOTSTRAP, seed: DEFAULT_SEED },
    preregistration: results
      ? await researchPreregistration(
          s,
          results.waves.map((w) => Number(w.label)),
          results.hypotheses.map((h) => ({ hypothesis: h.hypothesis, tested: Boolean(h.result), formulas: h.result ? Object.values(h.result.models).map((m) => m.formula) : [] })),
        )
      : null,
  };
}

/** The report's charts as SVG: H7's fitted inverted U, H2's conditional indirect effects and the event study's coefficients. */
export async function researchCharts(r: ResearchReport): Promise<{ invertedU: string | null; conditionalIndirect: string | null; eventStudy: string | null }> {
  const charts = r.results?.charts;
  const h7 = r.results?.hypotheses.find((h) => h.hypothesis === 'H7');
  const h2 = r.results?.hypotheses.find((h) => h.hypothesis === 'H2');
  const event = r.results?.panel?.event;
  return {
    invertedU:
      charts?.invertedU && charts.invertedU.curve.every((p) => Number.isFinite(p.pq))
        ? await renderSvg(invertedUSpec({ title: 'H7 · PQ over misalignment', subtitle: `Fitted quadratic over the observed M (n = ${h7?.n} units); shaded: the turning point's 95% interval`, ...charts.invertedU }))
        : null,
    conditionalIndirect:
      charts?.conditionalIndirect && charts.conditionalIndirect.every((e) => Number.isFinite(e.est) && Number.isFinite(e.ciLower) && Number.isFinite(e.ciUpper))
        ? await renderSvg(conditionalIndirectSpec({ title: 'H2 · Indirect effects by dynamism', subtitle: `Points: estimates; lines: 95% percentile bootstrap intervals (n = ${h2?.n} units)`, effects: charts.conditionalIndirect }))
        : null,
    eventStudy:
      event && !event.error && event.terms.length > 0 && event.terms.every((t) => Number.isFinite(t.est) && Number.isFinite(t.ciLower) && Number.isFinite(t.ciUpper))
        ? await renderSvg(eventStudySpec({ title: 'Event study · PQ around interface changes', subtitle: `Points: estimates; lines: 95% intervals clustered by unit (${event.units} units, ${r.results?.panel?.treatedUnits} with a change)`, terms: event.terms }))
        : null,
  };
}

const cell = (v: unknown) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v === null || v === undefined ? '' : String(v));

/** The CSV download: one row per headline estimate, then one per model term, then the panel designs' terms and CLPM paths (hypothesis `panel`). */
export function researchReportRows(r: ResearchReport): string[][] {
  const rows: string[][] = [['hypothesis', 'kind', 'model', 'term', 'est', 'se', 'seHc3', 't', 'p', 'ciLower', 'ciUpper', 'interval', 'n', 'supported']];
  for (const h of r.hypotheses) {
    const verdict = h.supported === null ? '' : String(h.supported);
    if (h.error) rows.push([h.hypothesis, 'error', '', h.error, '', '', '', '', '', '', '', '', '', '']);
    for (const e of h.estimates as readonly ResearchEstimate[]) rows.push([h.hypothesis, 'estimate', '', e.label, cell(e.est), '', '', '', cell(e.p), cell(e.ciLower), cell(e.ciUpper), e.interval, cell(h.n), verdict]);
    for (const m of h.models) {
      for (const t of m.terms) rows.push([h.hypothesis, 'term', m.name, cell(t.term), cell(t.est), cell(t.se), cell(t.seHc3), cell(t.t), cell(t.p), cell(t.ciLower), cell(t.ciUpper), 't', cell(h.n), verdict]);
    }
  }
  // The panel designs: FE, DiD and event study (clustered SEs in `se`), then the CLPM's paths (ML SEs, z intervals left empty).
  const panel = r.results?.panel;
  if (panel) {
    for (const m of [panel.fe, panel.did, panel.event]) {
      if (m.error) rows.push(['panel', 'error', m.model, m.error, '', '', '', '', '', '', '', '', '', '']);
      for (const t of m.terms) rows.push(['panel', 'term', m.model, t.term, cell(t.est), cell(t.se), '', cell(t.t), cell(t.p), cell(t.ciLower), cell(t.ciUpper), 't, clustered by unit', cell(m.units), '']);
    }
    if (panel.clpm.error) rows.push(['panel', 'error', 'clpm', panel.clpm.error, '', '', '', '', '', '', '', '', '', '']);
    for (const e of panel.clpm.estimates) rows.push(['panel', 'path', 'clpm', `${e.lhs} ${e.op} ${e.rhs}`, cell(e.est), cell(e.se), '', cell(e.z), cell(e.pvalue), '', '', 'ML (lavaan)', cell(panel.clpm.n), '']);
  }
  return rows;
}
