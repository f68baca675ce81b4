import {
  CELLS,
  CELL_DEFINITIONS,
  compareVersions,
  DIMENSION_NAMES,
  LEVER_NAMES,
  cellDimension,
  cellLever,
  type Cell,
} from '../../instrument/index.js';
import { DIMENSION_LABELS, LEVER_LABELS, organisationHeatmapSpec, renderSvg, type OrganisationHeatmapUnit } from '../charts/index.js';
import { listTraces } from '../dynamics/handlers/traces.js';
import { TRACE_FORMATS } from '../dynamics/trace_formats.js';
import { HttpError } from '../errors.js';
import { definitionOf, loadInstrumentHistory, loadInstrumentVersion } from '../instrument_source.js';
import { changeLog, revisionNotes, type RevisionNote } from './instrument_editor.js';
import { effectiveStatus } from '../handlers/waves.js';
import type { WavePublication } from '../../analysis/index.js';
import { findAnalysis, listAnalyses, type AnalysisRecord } from '../queries/analyses.js';
import { listInstrumentDocuments, listInstrumentVersions } from '../queries/instruments.js';
import { listUnits, type UnitRecord } from '../queries/units.js';
import { findWave, invitationCount, listWaves, waveUnitKeys, type WaveRecord } from '../queries/waves.js';
import { toLocalInput } from './time_zone.js';
import type { Services } from '../services.js';
import { analysedWave, type AnalysedWave } from './queries/analysed_waves.js';
import { responseRates } from './response_rates.js';
import { wavePreregistration } from '../prereg/report_commitments.js';

/** A unit in the hierarchy, with its children. */
export interface UnitNode {
  readonly unit: UnitRecord;
  readonly attributes: string;
  readonly children: UnitNode[];
}

/** The units as a forest: roots are units without a parent (or whose parent is unknown). */
export function unitTree(units: readonly UnitRecord[]): UnitNode[] {
  const nodes = new Map(units.map((u) => [u.key, { unit: u, attributes: describeAttributes(u.attributes), children: [] as UnitNode[] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentKey ? nodes.get(node.unit.parentKey) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function describeAttributes(attributes: Record<string, unknown>): string {
  return Object.entries(attributes)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
}

export async function unitsPage(s: Services) {
  const units = await listUnits(s.db);
  return { units: units.length, contexts: [...new Set(units.map((u) => u.context).filter(Boolean))], tree: unitTree(units), unitOptions: units };
}

/** A wave as the console lists it. */
export interface WaveSummary {
  readonly wave: WaveRecord;
  readonly status: string;
  readonly units: number;
  readonly latestAnalysis: AnalysisRecord | null;
}

async function summary(s: Services, wave: WaveRecord): Promise<WaveSummary> {
  const analyses = await listAnalyses(s.db, wave.id, 'wave');
  const latest = [...analyses].sort((a, b) => b.id - a.id)[0] ?? null;
  return { wave, status: effectiveStatus(wave, s.clock()), units: (await waveUnitKeys(s.db, wave.id)).length, latestAnalysis: latest ? { ...latest, results: null } : null };
}

/** What a wave form shows: the values typed (kept after an error) or the wave's own, in the organisation's zone. */
export interface WaveFormValues {
  readonly name: string;
  readonly opensAt: string;
  readonly closesAt: string;
  readonly reminders: readonly string[];
}

export async function wavesPage(s: Services, typed?: Record<string, unknown>) {
  const waves = await listWaves(s.db);
  const units = await listUnits(s.db);
  const versions = await listInstrumentVersions(s.db);
  const now = s.clock();
  const local = (d: Date) => toLocalInput(d.toISOString(), s.config.timeZone);
  const chosen = typed ? new Set(typed.unitKeys as string[]) : undefined;
  const locales = typed ? new Set(typed.locales as string[]) : new Set(['en']);
  const summaries = await Promise.all([...waves].reverse().map((w) => summary(s, w)));
  return {
    waves: summaries,
    unitOptions: units.map((u) => ({ key: u.key, name: u.name, checked: chosen ? chosen.has(u.key) : !units.some((c) => c.parentKey === u.key) })),
    versions: versions.map((v) => ({ version: v.definition.version, selected: typed?.instrumentVersion === v.definition.version })),
    localeOptions: [
      { code: 'en', name: 'English', checked: locales.has('en') },
      { code: 'de', name: 'Deutsch', checked: locales.has('de') },
    ],
    timeZone: s.config.timeZone,
    mail: s.mailer !== undefined,
    defaults: {
      name: '',
      opensAt: local(now),
      closesAt: local(new Date(now.getTime() + 14 * 86_400_000)),
      reminder: '',
      minGroupSize: s.config.minGroupSize,
      ...(typed ?? {}),
    },
  };
}

export async function overviewPage(s: Services) {
  const waves = await listWaves(s.db);
  const units = await listUnits(s.db);
  const summaries = await Promise.all([...waves].reverse().map((w) => summary(s, w)));
  const open = summaries.filter((w) => w.status === 'open');
  const rates = await Promise.all(open.map(async (w) => ({ wave: w.wave, rates: await responseRates(s, w.wave.id, w.wave.minGroupSize, `Response rates · ${w.wave.name}`) })));
  const analysed = (await Promise.all(waves.map((w) => analysedWave(s.db, w)))).filter((a): a is AnalysedWave => a !== undefined).reverse();
  return {
    counts: { units: units.length, waves: waves.length, open: open.length },
    waves: summaries,
    open: rates,
    analysed: analysed.map((a) => ({ wave: a.wave, analysisId: a.analysisId, analysedAt: a.analysedAt, visible: a.visible.length, units: a.results.units.length })),
  };
}

export async function wavePage(s: Services, id: number, typed?: Partial<WaveFormValues>) {
  const wave = await findWave(s.db, id);
  if (!wave) throw new HttpError(404, `No wave has the id ${id}.`);
  const status = effectiveStatus(wave, s.clock());
  const unitKeys = await waveUnitKeys(s.db, id);
  const analysed = await analysedWave(s.db, wave);
  const tz = s.config.timeZone;
  const local = (t: string) => toLocalInput(t, tz);
  const reminders = typed?.reminders ?? wave.reminders.map(local);
  const units = await listUnits(s.db);
  const names = new Map(units.map((u) => [u.key, u.name]));
  return {
    wave,
    status,
    open: status === 'open',
    closed: status === 'closed',
    scheduled: status === 'scheduled',
    deletable: status === 'scheduled' && (await invitationCount(s.db, id)) === 0,
    timeZone: tz,
    edit: {
      name: typed?.name ?? wave.name,
      opensAt: typed?.opensAt ?? local(wave.opensAt),
      closesAt: typed?.closesAt ?? local(wave.closesAt),
      // Three reminder fields: the wave's reminders first, then empty ones.
      reminders: [0, 1, 2].map((i) => ({ n: i + 1, value: reminders[i] ?? '' })),
    },
    unitKeys,
    waveUnits: unitKeys.map((key) => ({ key, name: names.get(key) ?? key })),
    otherUnits: units.filter((u) => !unitKeys.includes(u.key)).map((u) => ({ key: u.key, name: u.name })),
    mail: s.mailer !== undefined,
    live: await waveLive(s, wave),
    reportUnits: analysed ? analysed.visible.map((u) => ({ unitKey: u.unitKey, name: names.get(u.unitKey) ?? u.unitKey, seiCi: u.seiCi, misalignment: u.misalignment })) : [],
    hiddenUnits: analysed ? analysed.results.units.length - analysed.visible.length : 0,
    analysed: analysed ? { analysisId: analysed.analysisId, analysedAt: analysed.analysedAt } : null,
  };
}

/** The parts of a wave's page that refresh while it is open: response rates and analyses. */
export async function waveLive(s: Services, wave: WaveRecord) {
  const analyses = (await listAnalyses(s.db, wave.id, 'wave')).sort((a, b) => b.id - a.id).map((a) => ({ ...a, results: null, active: a.status === 'queued' || a.status === 'running' }));
  const status = effectiveStatus(wave, s.clock());
  return {
    wave,
    status,
    closed: status === 'closed',
    rates: await responseRates(s, wave.id, wave.minGroupSize, `Response rates · ${wave.name}`),
    analyses,
    busy: analyses.some((a) => a.active),
    refresh: status === 'open' || analyses.some((a) => a.active),
  };
}

/**
 * Where a finished run's results are shown when not on the run's own page: a research run's in
 * the research report, a scale-developer run's in its wave's scale report (their results hold
 * no units); undefined for a wave run (its page lists them) and for a run not finished yet.
 */
export function analysisReportPath(analysis: Pick<AnalysisRecord, 'kind' | 'status' | 'waveId'>): string | undefined {
  if (analysis.status !== 'done') return undefined;
  if (analysis.kind === 'research') return '/admin/research';
  if (analysis.kind === 'scale-developer') return `/admin/waves/${analysis.waveId}/scale-report`;
  return undefined;
}

/** The page of a stored run: its state, and for a wave run the published units (suppressed ones only counted). */
export async function analysisPage(s: Services, id: number) {
  const analysis = await findAnalysis(s.db, id);
  if (!analysis) throw new HttpError(404, `No analysis has the id ${id}.`);
  const wave = (await findWave(s.db, analysis.waveId))!;
  const latest = await analysedWave(s.db, wave);
  let units: unknown[] = [];
  let hidden = 0;
  let warnings: readonly string[] = [];
  if (analysis.kind === 'wave' && analysis.status === 'done' && analysis.results && analysis.pipelineVersion !== null) {
    const results = analysis.results as WavePublication;
    const visible = results.units.filter((u) => !u.suppressed);
    hidden = results.units.length - visible.length;
    units = visible;
    warnings = results.warnings;
  }
  return {
    wave,
    analysis: { ...analysis, results: null },
    units,
    hidden,
    warnings,
    isLatest: latest?.analysisId === id,
    active: analysis.status === 'queued' || analysis.status === 'running',
  };
}

export async function instrumentPage(s: Services) {
  const versions = await listInstrumentVersions(s.db);
  const drafts = (await listInstrumentDocuments(s.db)).filter((d) => d.status === 'draft');
  return {
    drafts,
    versions: versions.map((v) => ({
      version: v.definition.version,
      publishedAt: v.publishedAt,
      items: v.definition.items.length,
      seiItems: v.definition.items.filter((i) => i.cell !== null).length,
      locales: v.definition.locales.join(', '),
    })),
  };
}

export async function instrumentVersionPage(s: Services, version: string, locale: string) {
  const loaded = await loadInstrumentVersion(s.db, version);
  if (!loaded) throw new HttpError(404, `No instrument version "${version}" is stored.`);
  const def = definitionOf(loaded.version);
  const log = changeLog(loaded.version.changes);
  const draft = loaded.status === 'draft';
  // A draft made from a pilot lists the items to revise with the pilot's reasons, until a change answers each.
  const toRevise = draft ? revisionNotes(loaded.revisionRequests ?? [], loaded.version.changes) : new Map<string, RevisionNote>();
  const lang = def.locales.includes(locale) ? locale : def.locales[0];
  const text = (t: Readonly<Record<string, string>>) => t[lang] ?? Object.values(t)[0] ?? '';
  const cells = CELLS.map((cell: Cell) => ({
    cell,
    label: `${DIMENSION_LABELS[cellDimension(cell)]} × ${LEVER_LABELS[cellLever(cell)]}`,
    dimension: DIMENSION_NAMES[cellDimension(cell)],
    lever: LEVER_NAMES[cellLever(cell)],
    definition: CELL_DEFINITIONS[cell],
    items: def.items.filter((i) => i.cell === cell).map((i) => ({ ...i, label: text(i.text), change: log.byItem.get(i.id) ?? null, revision: toRevise.get(i.id) ?? null, draft })),
  }));
  const other = def.items.filter((i) => i.cell === null);
  const scales = [...new Set(other.map((i) => i.scale))].map((scale) => ({ scale, items: other.filter((i) => i.scale === scale).map((i) => ({ ...i, label: text(i.text) })) }));
  return {
    version: def.version,
    scaleMin: def.scaleMin,
    scaleMax: def.scaleMax,
    locale: lang,
    locales: def.locales.map((l) => ({ code: l, current: l === lang })),
    textLocales: def.locales,
    cells,
    scales,
    items: def.items.length,
    status: loaded.status,
    draft,
    basedOn: loaded.version.basedOn,
    publishedAt: loaded.publishedAt,
    retired: log.retired,
    toRevise: [...toRevise.keys()],
    changeCount: loaded.version.changes.length,
    cellIds: CELLS,
  };
}

export async function comparePage(s: Services, from: string, to: string) {
  // Published versions and drafts (a draft is compared with its base while it is edited).
  const history = await loadInstrumentHistory(s.db);
  const published = new Set((await listInstrumentVersions(s.db)).map((v) => v.definition.version));
  const versions = history.map((v) => ({ id: v.id, label: published.has(v.id) ? v.id : `${v.id} (draft)` }));
  const base = { versions, from, to };
  if (!from || !to) return { ...base, comparison: null };
  const stored = (id: string) => history.find((v) => v.id === id);
  const a = stored(from);
  const b = stored(to);
  if (!a || !b) throw new HttpError(404, `Version "${!a ? from : to}" is not stored on this server.`);
  const c = compareVersions(a, b, history);
  const textOf = (v: typeof a, id: string) => v.items.find((i) => i.id === id)?.text.en ?? '';
  return {
    ...base,
    comparison: {
      same: from === to,
      unchanged: c.unchanged.length,
      revised: c.revised.map((r) => ({ ...r, fromText: textOf(a, r.from), toText: textOf(b, r.to) })),
      retired: c.retired.map((id) => ({ id, text: textOf(a, id) })),
      added: c.added.map((id) => ({ id, text: textOf(b, id) })),
      conflicting: c.conflicting,
    },
  };
}

export async function exportsPage(s: Services) {
  const waves = await listWaves(s.db);
  return {
    waves: [...waves].reverse().map((w) => ({ wave: w, status: effectiveStatus(w, s.clock()) })),
  };
}

export async function tracesPage(s: Services) {
  const units = await listUnits(s.db);
  const imports = (await Promise.all(units.map((u) => listTraces(s, u.key)))).flatMap((l) => l.imports);
  return {
    units: units.map((u) => ({ key: u.key, name: u.name })),
    formats: TRACE_FORMATS,
    imports: imports
      .sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : b.id - a.id))
      .map((i) => ({ ...i, typeList: Object.entries(i.types).map(([t, n]) => `${t} ${n}`).join(', ') })),
  };
}

/** The organisation heatmap of each stored publication, by analysis id: a run never changes, so neither does its chart. */
const organisationHeatmaps = new Map<number, Promise<string | null>>();

/**
 * The units × cells heatmap of one stored publication: a row per published unit (by name;
 * roll-ups marked), then the organisation when it is published; suppressed units are not in it.
 * Rendered once per run and kept, since the run is immutable.
 */
export function organisationHeatmap(s: Services, analysed: AnalysedWave, names: ReadonlyMap<string, string>): Promise<string | null> {
  let chart = organisationHeatmaps.get(analysed.analysisId);
  if (!chart) {
    chart = (async () => {
      const k = analysed.results.minGroupSize;
      const rows: OrganisationHeatmapUnit[] = analysed.visible.map((u) => ({ name: `${names.get(u.unitKey) ?? u.unitKey}${u.rollup ? ' (all)' : ''}`, n: u.n, cells: u.cells }));
      const org = analysed.results.organisation;
      if (!org.suppressed && analysed.visible.length > 1) rows.push({ name: 'Organisation', n: org.n, cells: org.cells });
      if (rows.length === 0) return null;
      const instrument = await s.instruments.get(analysed.wave.instrumentVersion);
      if (!instrument) throw new Error(`instrument version ${analysed.wave.instrumentVersion} is not stored`);
      return renderSvg(
        organisationHeatmapSpec({
          title: `Cell scores by unit · ${analysed.wave.name}`,
          minGroupSize: k,
          scaleMin: instrument.definition.scaleMin,
          scaleMax: instrument.definition.scaleMax,
          units: rows,
        }),
      );
    })();
    chart.catch(() => organisationHeatmaps.delete(analysed.analysisId));
    organisationHeatmaps.set(analysed.analysisId, chart);
  }
  return chart;
}

/**
 * What a wave run says, in its own words, about comparing its units: whether units in different
 * contexts may be ranked by their means (the invariance gate), whether means compare across the
 * languages its answers came in, whether changes since the wave before are justified (null: not
 * checked), and, when the wave was answered on another instrument version than the one before
 * it, on which shared items its scores are compared. All read from the stored run; null when the
 * run holds none.
 */
function storedStatements(results: unknown): {
  gate: { statement: string; acrossContexts: boolean } | null;
  languageGate: { statement: string; acrossLanguages: boolean | null } | null;
  waveGate: { statement: string; acrossWaves: boolean | null } | null;
  crossVersion: { statement: string; justified: boolean | null } | null;
} {
  const r = results as {
    comparison?: { statement?: unknown; meansAcrossContexts?: unknown; contexts?: readonly unknown[] } | null;
    languageComparison?: { statement?: unknown; meansAcrossLanguages?: unknown } | null;
    waveComparison?: { statement?: unknown; meansAcrossWaves?: unknown } | null;
    crossVersion?: { statement?: unknown; changesJustified?: unknown } | null;
  };
  const c = r.comparison;
  const gate = c && typeof c.statement === 'string' && (c.contexts?.length ?? 0) > 1 ? { statement: c.statement, acrossContexts: c.meansAcrossContexts === true } : null;
  const verdict = (v: unknown) => (typeof v === 'boolean' ? v : null);
  const l = r.languageComparison;
  const languageGate = l && typeof l.statement === 'string' ? { statement: l.statement, acrossLanguages: verdict(l.meansAcrossLanguages) } : null;
  const w = r.waveComparison;
  const waveGate = w && typeof w.statement === 'string' ? { statement: w.statement, acrossWaves: verdict(w.meansAcrossWaves) } : null;
  const v = r.crossVersion;
  const crossVersion = v && typeof v.statement === 'string' ? { statement: v.statement, justified: verdict(v.changesJustified) } : null;
  return { gate, languageGate, waveGate, crossVersion };
}

/** Every analysed wave, newest first, with its published units by name and its organisation heatmap. */
export async function reportsPage(s: Services) {
  const waves = await listWaves(s.db);
  const names = new Map((await listUnits(s.db)).map((u) => [u.key, u.name]));
  const analysed = [];
  for (const w of [...waves].reverse()) {
    const a = await analysedWave(s.db, w);
    if (!a) continue;
    analysed.push({
      wave: w,
      analysisId: a.analysisId,
      analysedAt: a.analysedAt,
      units: a.visible.map((u) => ({ key: u.unitKey, name: names.get(u.unitKey) ?? u.unitKey, rollup: u.rollup, seiCi: u.seiCi })),
      single: a.visible.length === 1,
      hidden: a.results.units.length - a.visible.length,
      heatmap: await organisationHeatmap(s, a, names),
      preregistration: await wavePreregistration(s, w.id),
      ...storedStatements(a.results),
    });
  }
  return { analysed };
}
