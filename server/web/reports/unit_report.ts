import type { AggregateScores, DiagnosisPublication, WavePublication } from '../../../analysis/index.js';
import {
  CELLS,
  CELL_DEFINITIONS,
  DIMENSION_NAMES,
  DIMENSIONS,
  LEVER_NAMES,
  LEVERS,
  cellDimension,
  cellLever,
  type Cell,
} from '../../../instrument/index.js';
import { SIGNAL_LABELS, breakpointTimelineSpec, cellHeatmapSpec, DIMENSION_LABELS, LEVER_LABELS, misalignmentTrendSpec, renderSvg, scoreBarsSpec } from '../../charts/index.js';
import { checkRuleCommitment, preregistrationSentence } from '../../prereg/rule_commitment.js';
import type { DiagnosisSource } from '../../dynamics/diagnosis_input.js';
import { listTraceImports } from '../../dynamics/queries/traces.js';
import { HttpError } from '../../errors.js';
import { findWave } from '../../queries/waves.js';
import { findUnitsByKeys } from '../../queries/units.js';
import type { Services } from '../../services.js';
import { analysedHistory, type AnalysedWave } from '../queries/analysed_waves.js';
import { finiteOrNull } from '../../../analysis/publication/finite.js';
import type { CrossVersionComparison } from '../../../analysis/index.js';
import { trendAcrossVersions, type TrendAcrossVersions } from './trend_across_versions.js';

/** One aggregate of the unit (a cell, dimension, lever or the whole index) beside the organisation. */
export interface AggregateRow {
  readonly kind: 'index' | 'dimension' | 'lever' | 'cell';
  readonly key: string;
  readonly label: string;
  readonly unit: number | null;
  readonly organisation: number | null;
  readonly difference: number | null;
  /** rwg(j) of the unit's members over the aggregate's items (uniform null), as stored by the run. */
  readonly rwgj: number | null;
  /** Whether rwg(j) reaches the conventional .70. */
  readonly agrees: boolean | null;
}

export interface TrendRow {
  readonly waveId: number;
  readonly wave: string;
  readonly misalignment: number | null;
  readonly drift: number | null;
  readonly dominant: string | null;
  readonly organisationMedian: number | null;
  /** Set on the wave before an instrument-version boundary: its M is on the items shared with this version (its version named). */
  readonly sharedItemsOf?: string;
}

export interface InterventionRow {
  readonly name: string;
  readonly description: string;
  readonly cells: string;
  readonly score: number;
  readonly evidence: readonly string[];
}

/** A run's stored diagnosis (analysis publishDiagnosis) with where its rules came from. */
type StoredDiagnosis = DiagnosisPublication & { readonly rules: DiagnosisSource };

/** Whether trace events of a unit were imported after a run finished. */
async function tracesImportedAfter(s: Services, unitKey: string, analysedAt: string | null): Promise<boolean> {
  if (analysedAt === null) return false;
  const unit = (await findUnitsByKeys(s.db, [unitKey]))[0];
  if (!unit) return false;
  return (await listTraceImports(s.db, unit.id)).some((i) => i.importedAt > analysedAt);
}

/** The stored invariance gate's statement when the run found that means do not compare across its contexts. */
function storedGate(results: unknown): string | null {
  const c = (results as { comparison?: { meansAcrossContexts?: unknown; statement?: unknown; contexts?: readonly unknown[] } | null }).comparison;
  return c && c.meansAcrossContexts === false && (c.contexts?.length ?? 0) > 1 && typeof c.statement === 'string' ? c.statement : null;
}

/** The stored gate across languages' statement when the run found that means do not compare across the wave's languages. */
function storedLanguageGate(results: unknown): string | null {
  const g = (results as { languageComparison?: { meansAcrossLanguages?: unknown; statement?: unknown } | null }).languageComparison;
  return g && g.meansAcrossLanguages === false && typeof g.statement === 'string' ? g.statement : null;
}

/**
 * The stored gate across waves: its statement, whether changes since the wave before are
 * justified, and whether drift since the baseline is (every pair since the baseline holds);
 * null verdicts: not checked.
 */
function storedWaveGate(results: unknown): UnitReport['waveGate'] {
  const g = (results as { waveComparison?: { meansAcrossWaves?: unknown; driftJustified?: unknown; statement?: unknown } | null }).waveComparison;
  if (!g || typeof g.statement !== 'string') return null;
  const verdict = (v: unknown) => (typeof v === 'boolean' ? v : null);
  return { statement: g.statement, justified: verdict(g.meansAcrossWaves), driftJustified: verdict(g.driftJustified) };
}

/** Everything the unit report shows, as plain data (also its JSON download). */
export interface UnitReport {
  readonly unit: { readonly key: string; readonly name: string; readonly n: number; readonly rollup: boolean };
  readonly wave: { readonly id: number; readonly name: string; readonly analysisId: number; readonly analysedAt: string | null };
  readonly minGroupSize: number;
  readonly scale: { readonly min: number; readonly max: number };
  /** Published units and roll-ups of the wave. */
  readonly organisationUnits: number;
  /** Respondents of the organisation aggregate, or null when it is suppressed. */
  readonly organisationN: number | null;
  readonly aggregates: readonly AggregateRow[];
  /** The lowest rwg(j) of the three dimensions: aggregation is justified when it reaches .70. */
  readonly lowestDimensionRwgj: number | null;
  /** False when the lowest dimension rwg(j) is below .70: the members disagree too much for the means to speak for the unit. */
  readonly aggregationJustified: boolean | null;
  /** True when the unit is the wave's only published unit: there is nothing to compare it with. */
  readonly onlyUnit: boolean;
  /**
   * The run's invariance gate when the wave's contexts fail scalar invariance (its statement, as
   * stored): the organisation mean, the differences from it and z pool contexts whose means do
   * not compare, so the report marks them. Null when the means compare or one context is present.
   */
  readonly invarianceGate: string | null;
  /**
   * The run's gate across languages when the wave's answers came in languages whose items are
   * not read alike (full scalar invariance fails): the organisation mean and the differences
   * from it pool those languages, so the report marks them. Null otherwise.
   */
  readonly languageGate: string | null;
  /**
   * The run's gate across waves: whether changes since the wave before (trends, score changes)
   * are justified (full scalar invariance across the two waves) and whether drift since the
   * baseline is (every pair of waves since then holds), false when not, null when not checked;
   * null as a whole when the run had no earlier wave.
   */
  readonly waveGate: { readonly statement: string; readonly justified: boolean | null; readonly driftJustified: boolean | null } | null;
  /** The dominant dimension by name (`Translational`). */
  readonly dominantLabel: string | null;
  readonly misalignment: number | null;
  readonly dominant: string | null;
  readonly z: Readonly<Record<string, number | null>>;
  readonly trend: readonly TrendRow[];
  /** Where the trend crosses from an earlier instrument version (shared items only), or why it stops there; null without a version boundary. */
  readonly acrossVersions: TrendAcrossVersions | null;
  /** Drift of the reported wave: M minus M at the unit's baseline. */
  readonly drift: number | null;
  readonly drifting: boolean | null;
  readonly driftCapacity: number;
  readonly weakestCells: readonly { readonly cell: string; readonly definition: string; readonly score: number | null; readonly organisation: number | null; readonly z: number | null }[];
  readonly interventions: readonly InterventionRow[];
  readonly uncoveredCells: readonly string[];
  readonly breakpoints: readonly { readonly signal: string; readonly label: string; readonly cells: string; readonly start: string; readonly end: string; readonly periods: number; readonly peak: number }[];
  readonly breakpointSource: string;
  /** The commitment the breakpoint analysis followed, or how it deviated (issue 18); null without a diagnosis. */
  readonly preregistration: string | null;
  /** The unit's latest performance-quality value per measure (imported outcomes; listed, never used to rank). */
  readonly performance: readonly { readonly measure: string; readonly period: string; readonly value: number }[];
  /** Trace events of the unit were imported after the run: the diagnosis is as of the run, and a re-run would include them. */
  readonly rerun: boolean;
  readonly warnings: readonly string[];
}

export interface UnitReportPage {
  readonly report: UnitReport;
  readonly charts: { readonly heatmap: string; readonly bars: string; readonly trend: string; readonly timeline: string };
}

/**
 * The unit report of one unit (or roll-up) in one published wave: a read-only view of the
 * wave's stored run. Its cells, dimensions, levers and index beside the organisation, rwg(j) of
 * each, misalignment, z, drift and the trend are all read from the run (analysis/publication
 * computed them once, under the publication policy); nothing here computes a statistic. The
 * weakest cells, breakpoints and ranked interventions are the run's stored diagnosis
 * (publishDiagnosis, evaluated on the unit's traces when the run was computed); traces
 * imported since are named, with the offer to re-run.
 * A suppressed unit has no report: 404 with "fewer than k" and nothing more.
 */
export async function unitReport(s: Services, waveId: number, unitKey: string): Promise<UnitReportPage> {
  const wave = await findWave(s.db, waveId);
  if (!wave) throw new HttpError(404, `No wave has the id ${waveId}.`);
  const history = await analysedHistory(s.db, wave);
  const current = history.find((h) => h.wave.id === waveId);
  if (!current) throw new HttpError(404, `Wave "${wave.name}" has no finished analysis yet; it is published when it closes.`);
  const k = current.results.minGroupSize;
  const unit = current.visible.find((u) => u.unitKey === unitKey);
  if (!unit) {
    throw new HttpError(404, `Unit "${unitKey}" has no report in "${wave.name}": it is not in the wave, or its results are suppressed (fewer than ${k} respondents, or withheld so that no smaller group can be derived by subtraction).`);
  }
  const instrument = await s.instruments.get(wave.instrumentVersion);
  if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} is not stored`);
  const scale = { min: instrument.definition.scaleMin, max: instrument.definition.scaleMax };
  const unitName = (await findUnitsByKeys(s.db, [unitKey]))[0]?.name ?? unitKey;

  const org: AggregateScores | null = current.results.organisation.suppressed ? null : current.results.organisation;
  const row = (kind: AggregateRow['kind'], key: string, label: string, value: unknown, organisation: unknown, rwgj: unknown): AggregateRow => {
    const v = finiteOrNull(value);
    const o = finiteOrNull(organisation);
    const r = finiteOrNull(rwgj);
    return { kind, key, label, unit: v, organisation: o, difference: v !== null && o !== null ? v - o : null, rwgj: r, agrees: r === null ? null : r >= 0.7 };
  };
  const a = unit.agreement;
  const aggregates: AggregateRow[] = [
    row('index', 'seiCi', 'SEI Coherence Index', unit.seiCi, org?.seiCi, a.index),
    ...DIMENSIONS.map((d) => row('dimension', DIMENSION_NAMES[d], DIMENSION_LABELS[d], unit.dimensions[DIMENSION_NAMES[d]], org?.dimensions[DIMENSION_NAMES[d]], a.dimensions[DIMENSION_NAMES[d]])),
    ...LEVERS.map((l) => row('lever', LEVER_NAMES[l], LEVER_LABELS[l], unit.levers[LEVER_NAMES[l]], org?.levers[LEVER_NAMES[l]], a.levers[LEVER_NAMES[l]])),
    ...CELLS.map((c) => row('cell', c, `${DIMENSION_LABELS[cellDimension(c)]} × ${LEVER_LABELS[cellLever(c)]}`, unit.cells[c], org?.cells[c], a.cells[c])),
  ];

  const waveById = new Map(history.map((h) => [String(h.wave.id), h]));
  const trend: TrendRow[] = unit.trend.flatMap((t) => {
    const h = waveById.get(t.wave);
    return h ? [{ waveId: h.wave.id, wave: h.wave.name, misalignment: finiteOrNull(t.misalignment), drift: finiteOrNull(t.change), dominant: t.dominant, organisationMedian: finiteOrNull(t.organisationMedian) }] : [];
  });
  // Across the version boundary: the first wave of this version stored its comparison with the
  // earlier wave on the shared items (crossVersionComparison); its trend points are read from there.
  const first = history[0];
  const acrossVersions = unit.rollup ? null : trendAcrossVersions((first.results as WavePublication & { crossVersion?: CrossVersionComparison | null }).crossVersion, { id: first.wave.id, name: first.wave.name }, unitKey);
  if (acrossVersions?.comparable) {
    trend.unshift({ waveId: acrossVersions.earlierWave.id, wave: acrossVersions.earlierWave.name, misalignment: acrossVersions.earlier!.misalignment, drift: null, dominant: null, organisationMedian: null, sharedItemsOf: acrossVersions.earlierWave.version });
  }
  const warnings: string[] = [...current.results.warnings];
  if (unit.rollup) warnings.push(`"${unitName}" is reported over all its descendants' respondents (a roll-up); z, misalignment and drift are given for each unit it covers.`);

  // Weakest cells, breakpoints and ranked interventions: stored by the wave's run (analysis
  // publishDiagnosis over the published units and their traces), read here as they are.
  const stored = (current.results as WavePublication & { diagnosis?: StoredDiagnosis | null }).diagnosis ?? null;
  const diagnosis = !unit.rollup && stored ? (stored.units[unitKey] ?? null) : null;
  if (!unit.rollup) {
    if (!stored) warnings.push('This analysis was stored without a diagnosis; re-run the wave\'s analysis to add weakest cells, breakpoints and interventions.');
    else if (!diagnosis && stored.skipped && current.visible.length > 1) warnings.push(`No diagnosis: ${stored.skipped}`);
  }
  const rerun = !unit.rollup && (await tracesImportedAfter(s, unitKey, current.analysedAt));
  if (rerun) warnings.push(`Trace events of "${unitName}" were imported after this analysis ran; the diagnosis is as of the run (${current.analysedAt?.slice(0, 10)}). Re-run the wave's analysis to include them.`);
  const waveNames = new Map(history.map((h) => [String(h.wave.id), h.wave.name]));
  const named = (text: string) => text.replace(/ in (\d+)\b/g, (m, id: string) => (waveNames.has(id) ? ` in "${waveNames.get(id)}"` : m));
  const weakestCells = (diagnosis?.weakestCells ?? []).map((c) => ({ cell: c.cell, definition: CELL_DEFINITIONS[c.cell], score: finiteOrNull(c.score), organisation: finiteOrNull(c.organisationMean), z: finiteOrNull(c.z) }));
  const interventions: InterventionRow[] = (diagnosis?.interventions ?? []).map((iv) => ({
    name: iv.name,
    description: iv.description,
    cells: iv.cells.map((c) => c.replace('x', '×')).join(', '),
    score: iv.score,
    evidence: iv.evidence.map(named),
  }));
  const breakpoints = (diagnosis?.breakpoints ?? []).map((b) => ({ signal: b.signal, label: SIGNAL_LABELS[b.signal] ?? b.signal, cells: b.cells.map((c) => c.replace('x', '×')).join(', '), start: b.start, end: b.end, periods: b.periods, peak: b.peak }));
  const rules = diagnosis ? stored!.rules : undefined;
  const breakpointSource = !diagnosis
    ? unit.rollup ? 'Breakpoints are diagnosed per unit, not for roll-ups.' : 'Breakpoints could not be evaluated.'
    : `Rules ${rules!.version}${rules!.lockedBy ? `, locked when "${rules!.lockedBy.waveName}" opened on ${rules!.lockedBy.lockedAt.slice(0, 10)}` : ' (locked by no wave)'}; ${diagnosis.changePoints.length === 0 ? 'no shift' : diagnosis.changePoints.length === 1 ? '1 shift' : `${diagnosis.changePoints.length} shifts`} found by the change-point detector beyond the rules; evaluated when the analysis ran.`;
  // The registry is checked as the report is read (not a statistic): a commitment or a broken chain found since the run counts.
  const registry = rules?.used ? await checkRuleCommitment(s, waveId, rules.used) : null;
  const preregistration = rules ? preregistrationSentence(registry ? { ...rules, ...registry } : rules) : null;
  if (diagnosis) warnings.push(...[...rules!.warnings, ...stored!.warnings].filter((w) => !warnings.includes(w)));

  const dims = Object.values(a.dimensions).map(finiteOrNull);
  const lowest = dims.every((x) => x !== null) ? Math.min(...(dims as number[])) : null;
  const dominantDimension = DIMENSIONS.find((d) => DIMENSION_NAMES[d] === unit.dominant);
  const report: UnitReport = {
    unit: { key: unit.unitKey, name: unitName, n: unit.n, rollup: unit.rollup },
    wave: { id: wave.id, name: wave.name, analysisId: current.analysisId, analysedAt: current.analysedAt },
    minGroupSize: k,
    scale,
    organisationUnits: current.visible.length,
    organisationN: org ? org.n : null,
    aggregates,
    lowestDimensionRwgj: lowest,
    aggregationJustified: lowest === null ? null : lowest >= 0.7,
    onlyUnit: current.visible.length === 1,
    invarianceGate: storedGate(current.results),
    languageGate: storedLanguageGate(current.results),
    waveGate: storedWaveGate(current.results),
    dominantLabel: dominantDimension ? DIMENSION_LABELS[dominantDimension] : null,
    misalignment: finiteOrNull(unit.misalignment),
    dominant: unit.dominant ?? null,
    z: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], finiteOrNull(unit.z?.[DIMENSION_NAMES[d]])])),
    trend,
    acrossVersions,
    drift: finiteOrNull(unit.drift),
    drifting: unit.drifting,
    driftCapacity: current.results.driftCapacity,
    weakestCells,
    interventions,
    uncoveredCells: (diagnosis?.uncoveredCells ?? []).map((c) => c.replace('x', '×')),
    breakpoints,
    breakpointSource,
    preregistration,
    performance: Object.entries(diagnosis?.performance ?? {}).map(([measure, p]) => ({ measure, period: p.period, value: p.value })),
    rerun,
    warnings,
  };

  const cellsOf = (pick: (c: Cell) => number | null) => Object.fromEntries(CELLS.map((c) => [c, pick(c)])) as Record<Cell, number | null>;
  const title = `${unitName} · ${wave.name}`;
  const [heatmap, bars, trendChart, timeline] = await Promise.all([
    renderSvg(
      cellHeatmapSpec({
        title: `Cell scores · ${title}`,
        subtitle: `n = ${unit.n}; scale ${scale.min}–${scale.max}; outlined: weakest cells; difference from the organisation${org ? ` (n = ${org.n})` : ' (suppressed)'}`,
        n: unit.n,
        minGroupSize: k,
        scaleMin: scale.min,
        scaleMax: scale.max,
        cells: cellsOf((c) => finiteOrNull(unit.cells[c])),
        organisation: cellsOf((c) => finiteOrNull(org?.cells[c])),
        highlight: weakestCells.map((c) => c.cell as Cell),
      }),
    ),
    renderSvg(
      scoreBarsSpec({
        title: `Dimensions and levers · ${title}`,
        n: unit.n,
        minGroupSize: k,
        scaleMin: scale.min,
        scaleMax: scale.max,
        unit: { dimensions: unit.dimensions, levers: unit.levers },
        organisation: {
          dimensions: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], finiteOrNull(org?.dimensions[DIMENSION_NAMES[d]])])),
          levers: Object.fromEntries(LEVERS.map((l) => [LEVER_NAMES[l], finiteOrNull(org?.levers[LEVER_NAMES[l]])])),
        },
        rwgj: a.dimensions,
      }),
    ),
    renderSvg(
      misalignmentTrendSpec({
        title: `Misalignment and drift · ${unitName}`,
        minGroupSize: k,
        waves: trend.map((t) => {
          if (t.sharedItemsOf !== undefined) return { wave: t.wave, n: acrossVersions!.earlier!.n, misalignment: null, drift: null, sharedMisalignment: t.misalignment };
          const shared = acrossVersions?.comparable && t.waveId === acrossVersions.boundaryWave.id ? { sharedMisalignment: acrossVersions.atBoundary!.misalignment } : {};
          return { wave: t.wave, n: nIn(waveById.get(String(t.waveId))!, unitKey) ?? unit.n, misalignment: t.misalignment, drift: t.drift, organisationMisalignment: t.organisationMedian, ...shared };
        }),
        expectedOptimum: current.results.driftCapacity,
        ...(acrossVersions?.comparable ? { versionBoundary: { wave: acrossVersions.boundaryWave.name, label: `${acrossVersions.boundaryWave.version} from here · ${acrossVersions.sharedItems} shared items` } } : {}),
      }),
    ),
    renderSvg(
      breakpointTimelineSpec({
        title: `Breakpoints · ${unitName}`,
        subtitle: 'Coordination signals over their pre-registered thresholds for the persistence window',
        breakpoints: (diagnosis?.breakpoints ?? []).map((b) => ({ ...b, unit: unitKey })),
        waves: history.map((h) => ({ name: h.wave.name, date: h.wave.opensAt.slice(0, 10) })),
      }),
    ),
  ]);
  return { report, charts: { heatmap, bars, trend: trendChart, timeline } };
}

/** A unit's respondent count as published in a wave's own run (null when not published there). */
function nIn(h: AnalysedWave, unitKey: string): number | null {
  return h.visible.find((v) => v.unitKey === unitKey)?.n ?? null;
}

/** The unit report as rows for its CSV download: one row per aggregate, then the trend and the interventions. */
export function unitReportRows(r: UnitReport): string[][] {
  const n = (x: number | null) => (x === null ? '' : String(x));
  const rows: string[][] = [['section', 'key', 'label', 'unit', 'organisation', 'difference', 'rwgj', 'detail']];
  for (const a of r.aggregates) rows.push([a.kind, a.key, a.label, n(a.unit), n(a.organisation), n(a.difference), n(a.rwgj), '']);
  rows.push(['misalignment', 'M', 'Misalignment M', n(r.misalignment), '', '', '', r.dominant ? `dominant: ${r.dominant}` : '']);
  for (const t of r.trend) rows.push(['trend', String(t.waveId), t.wave, n(t.misalignment), n(t.organisationMedian), n(t.drift), '', t.sharedItemsOf ? `version ${t.sharedItemsOf}, on the shared items` : (t.dominant ?? '')]);
  if (r.acrossVersions) {
    const v = r.acrossVersions;
    rows.push(['trend_across_versions', String(v.boundaryWave.id), v.boundaryWave.name, n(v.atBoundary?.misalignment ?? null), '', n(v.drift), '', v.statement]);
  }
  for (const b of r.breakpoints) rows.push(['breakpoint', b.signal, b.label, String(b.peak), '', '', '', `${b.start} to ${b.end}, ${b.periods} periods, cells ${b.cells}`]);
  for (const c of r.weakestCells) rows.push(['weakest_cell', c.cell, c.definition, n(c.score), n(c.organisation), n(c.z), '', 'z vs organisation']);
  for (const iv of r.interventions) rows.push(['intervention', iv.cells, iv.name, String(iv.score), '', '', '', iv.evidence.join(' ')]);
  return rows;
}
