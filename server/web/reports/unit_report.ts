import {
  diagnoseUnits,
  rwgJ,
  uniformNullVariance,
  unitDrift,
  type DriftAnalysis,
  type UnitWaveScore,
} from '../../../analysis/index.js';
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
  type DimensionName,
  type LeverName,
} from '../../../instrument/index.js';
import { SIGNAL_LABELS, breakpointTimelineSpec, cellHeatmapSpec, DIMENSION_LABELS, LEVER_LABELS, misalignmentTrendSpec, renderSvg, scoreBarsSpec } from '../../charts/index.js';
import { chooseRules, evaluateUnit } from '../../dynamics/handlers/breakpoints.js';
import { preregistrationSentence } from '../../prereg/rule_commitment.js';
import { unitDiagnosis } from '../../dynamics/handlers/diagnosis.js';
import { getUnit } from '../../handlers/units.js';
import { DiagnosisQuery } from '../../dynamics/schemas.js';
import { HttpError } from '../../errors.js';
import { validate } from '../../validation.js';
import { completeAnswerSets } from '../../queries/responses.js';
import { findWave } from '../../queries/waves.js';
import type { Services } from '../../services.js';
import { analysedHistory, type AnalysedWave, type VisibleUnit } from '../queries/analysed_waves.js';

/** One aggregate of the unit (a cell, dimension, lever or the whole index) beside the organisation. */
export interface AggregateRow {
  readonly kind: 'index' | 'dimension' | 'lever' | 'cell';
  readonly key: string;
  readonly label: string;
  readonly unit: number | null;
  readonly organisation: number | null;
  readonly difference: number | null;
  /** rwg(j) of the unit's members over the aggregate's items (uniform null). */
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
}

export interface InterventionRow {
  readonly name: string;
  readonly description: string;
  readonly cells: string;
  readonly score: number;
  readonly evidence: readonly string[];
}

type Diagnosis = Pick<
  Extract<Awaited<ReturnType<typeof unitDiagnosis>>, { interventions: unknown }>,
  'weakestCells' | 'interventions' | 'uncoveredCells' | 'breakpoints' | 'changePoints' | 'rules' | 'warnings' | 'performance'
>;

/**
 * The diagnosis of a unit whose wave locked no breakpoint rules: the breakpoints of its stored
 * events under the rules the server would use without a wave (server/dynamics chooseRules and
 * evaluateUnit), and analysis/dynamics diagnoseUnits over the wave's visible units.
 */
async function unlockedDiagnosis(s: Services, unitKey: string, scores: readonly UnitWaveScore[], wave: string, drift: DriftAnalysis): Promise<Diagnosis> {
  const unit = await getUnit(s, unitKey);
  const choice = await chooseRules(s, unit, {});
  const evaluated = await evaluateUnit(s, unit, choice, 'week', undefined);
  const result = diagnoseUnits({ scores, wave, drift, breakpoints: evaluated.breakpoints, changePoints: evaluated.changePoints, rules: choice.rules });
  const mine = result.units.find((u) => u.unit === unitKey)!;
  const { rules: _rules, ...rules } = choice;
  return { ...mine, rules, warnings: [...evaluated.diagnostics.warnings, ...result.diagnostics.warnings] };
}

/** Everything the unit report shows, as plain data (also its JSON download). */
export interface UnitReport {
  readonly unit: { readonly key: string; readonly n: number };
  readonly wave: { readonly id: number; readonly name: string; readonly analysisId: number; readonly analysedAt: string | null };
  readonly minGroupSize: number;
  readonly scale: { readonly min: number; readonly max: number };
  /** Visible units the organisation's figures are averaged over. */
  readonly organisationUnits: number;
  readonly aggregates: readonly AggregateRow[];
  /** The lowest rwg(j) of the three dimensions: aggregation is justified when it reaches .70. */
  readonly lowestDimensionRwgj: number | null;
  readonly misalignment: number | null;
  readonly dominant: string | null;
  readonly z: Readonly<Record<string, number | null>>;
  readonly trend: readonly TrendRow[];
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
  readonly warnings: readonly string[];
}

export interface UnitReportPage {
  readonly report: UnitReport;
  readonly charts: { readonly heatmap: string; readonly bars: string; readonly trend: string; readonly timeline: string };
}

const DRIFT_CAPACITY = 0.5;

function finite(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function asNumber(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : NaN;
}

function mean(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
}

function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** A stored unit score as analysis/dynamics reads it (stored JSON has null where the analysis had NaN). */
function waveScore(u: VisibleUnit, wave: string): UnitWaveScore {
  return {
    unit: u.unitKey,
    wave,
    n: u.n,
    cells: Object.fromEntries(CELLS.map((c) => [c, asNumber(u.cells?.[c])])) as Record<Cell, number>,
    z: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], asNumber(u.z?.[DIMENSION_NAMES[d]])])) as Record<DimensionName, number>,
    misalignment: asNumber(u.misalignment),
    dominant: u.dominant ?? null,
  };
}

/**
 * rwg(j) of one unit's members over each aggregate's items: the uniform null with A scale
 * points, the members who answered every item of the aggregate (as `seici score` does for the
 * dimensions), and analysis/agreement's rwgJ. Reverse keying does not change item variances.
 */
async function unitAgreement(s: Services, waveId: number, unitKey: string, items: readonly { id: string; cell: Cell }[], scalePoints: number) {
  const sets = (await completeAnswerSets(s.db, waveId)).filter((set) => set.unitKey === unitKey);
  const nullVar = uniformNullVariance(scalePoints);
  const rwgOf = (ids: readonly string[]): number | null => {
    const rows = sets.map((set) => ids.map((id) => set.answers[id])).filter((row): row is number[] => row.every((v) => typeof v === 'number'));
    if (rows.length < 2) return null;
    return finite(rwgJ(rows, rows.map((_, r) => r), ids.map((_, j) => j), nullVar));
  };
  const idsWhere = (keep: (cell: Cell) => boolean) => items.filter((i) => keep(i.cell)).map((i) => i.id);
  return {
    index: rwgOf(items.map((i) => i.id)),
    cells: Object.fromEntries(CELLS.map((c) => [c, rwgOf(idsWhere((x) => x === c))])) as Record<Cell, number | null>,
    dimensions: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], rwgOf(idsWhere((x) => cellDimension(x) === d))])) as Record<DimensionName, number | null>,
    levers: Object.fromEntries(LEVERS.map((l) => [LEVER_NAMES[l], rwgOf(idsWhere((x) => cellLever(x) === l))])) as Record<LeverName, number | null>,
  };
}

/**
 * The unit report of one unit in one analysed wave: the nine cells, dimensions, levers and the
 * index beside the organisation (the mean over the wave's visible units) with rwg(j) for each,
 * misalignment M and drift over the analysed waves (analysis/dynamics unitDrift), and the
 * weakest cells, breakpoints and the exemplar interventions ranked by the server's unit diagnosis
 * (server/dynamics unitDiagnosis, on analysis/dynamics diagnoseUnits).
 * A unit below the minimum group size has no report: 404 with "fewer than N" and nothing more.
 */
export async function unitReport(s: Services, waveId: number, unitKey: string): Promise<UnitReportPage> {
  const wave = await findWave(s.db, waveId);
  if (!wave) throw new HttpError(404, `No wave has the id ${waveId}.`);
  const history = await analysedHistory(s.db, wave);
  const current = history.find((h) => h.wave.id === waveId);
  if (!current) throw new HttpError(404, `Wave "${wave.name}" has no finished analysis yet; start one on the wave's page.`);
  const unit = current.visible.find((u) => u.unitKey === unitKey);
  if (!unit) {
    throw new HttpError(404, `Unit "${unitKey}" has no report in "${wave.name}": it is not in the wave, or it had fewer than ${wave.minGroupSize} respondents.`);
  }
  const instrument = await s.instruments.get(wave.instrumentVersion);
  if (!instrument) throw new Error(`instrument version ${wave.instrumentVersion} is not stored`);
  const scale = { min: instrument.definition.scaleMin, max: instrument.definition.scaleMax };
  const items = instrument.definition.items.flatMap((i) => (i.cell !== null && (CELLS as readonly string[]).includes(i.cell) ? [{ id: i.id, cell: i.cell as Cell }] : []));
  const rwg = await unitAgreement(s, waveId, unitKey, items, scale.max - scale.min + 1);

  const org = current.visible;
  const orgCell = (c: Cell) => mean(org.map((u) => finite(u.cells?.[c])));
  const orgDim = (d: DimensionName) => mean(org.map((u) => finite(u.dimensions?.[d])));
  const orgLever = (l: LeverName) => mean(org.map((u) => finite(u.levers?.[l])));
  const row = (kind: AggregateRow['kind'], key: string, label: string, value: unknown, organisation: number | null, rwgj: number | null): AggregateRow => {
    const v = finite(value);
    return { kind, key, label, unit: v, organisation, difference: v !== null && organisation !== null ? v - organisation : null, rwgj, agrees: rwgj === null ? null : rwgj >= 0.7 };
  };
  const aggregates: AggregateRow[] = [
    row('index', 'seiCi', 'SEI Coherence Index', unit.seiCi, mean(org.map((u) => finite(u.seiCi))), rwg.index),
    ...DIMENSIONS.map((d) => row('dimension', DIMENSION_NAMES[d], DIMENSION_LABELS[d], unit.dimensions?.[DIMENSION_NAMES[d]], orgDim(DIMENSION_NAMES[d]), rwg.dimensions[DIMENSION_NAMES[d]])),
    ...LEVERS.map((l) => row('lever', LEVER_NAMES[l], LEVER_LABELS[l], unit.levers?.[LEVER_NAMES[l]], orgLever(LEVER_NAMES[l]), rwg.levers[LEVER_NAMES[l]])),
    ...CELLS.map((c) => row('cell', c, `${DIMENSION_LABELS[cellDimension(c)]} × ${LEVER_LABELS[cellLever(c)]}`, unit.cells?.[c], orgCell(c), rwg.cells[c])),
  ];

  const label = (h: AnalysedWave) => String(h.wave.id);
  const scores = history.flatMap((h) => h.visible.map((u) => waveScore(u, label(h))));
  const warnings: string[] = [...current.results.warnings];
  const drift = unitDrift(scores, { capacity: DRIFT_CAPACITY, waves: history.map(label), baselineWave: label(history[0]) });
  warnings.push(...drift.diagnostics.warnings.filter((w) => w.includes(unitKey)));
  const unitDriftResult = drift.units.find((d) => d.unit === unitKey) ?? null;
  const trend: TrendRow[] = history.flatMap((h) => {
    const u = h.visible.find((v) => v.unitKey === unitKey);
    if (!u) return [];
    const entry = unitDriftResult?.history.find((e) => e.wave === label(h));
    return [
      {
        waveId: h.wave.id,
        wave: h.wave.name,
        misalignment: finite(u.misalignment),
        drift: entry ? finite(entry.change) : finite(u.drift),
        dominant: u.dominant ?? null,
        organisationMedian: median(h.visible.map((v) => finite(v.misalignment))),
      },
    ];
  });

  // Weakest cells, breakpoints and ranked interventions: the server's unit diagnosis (the same as
  // GET /api/v1/units/:key/diagnosis), with breakpoints from the unit's stored trace events under
  // the rules the wave locked when it opened.
  let diagnosis: Diagnosis | null = null;
  try {
    const d = await unitDiagnosis(s, unitKey, validate(DiagnosisQuery, { wave: waveId, capacity: DRIFT_CAPACITY }));
    if ('interventions' in d) diagnosis = d;
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 409) throw err;
    // The wave locked no breakpoint rules (it never opened through the scheduler): diagnose with
    // the rules in force now, and say that they were not pre-registered by this wave.
    diagnosis = await unlockedDiagnosis(s, unitKey, scores.filter((x) => x.wave === label(current)), label(current), drift);
    warnings.push(`${err.message} Breakpoints use the rules in force now instead.`);
  }
  const waveNames = new Map(history.map((h) => [label(h), h.wave.name]));
  const named = (text: string) => text.replace(/ in (\d+)\b/g, (m, id: string) => (waveNames.has(id) ? ` in "${waveNames.get(id)}"` : m));
  const weakestCells = (diagnosis?.weakestCells ?? []).map((c) => ({ cell: c.cell, definition: CELL_DEFINITIONS[c.cell], score: finite(c.score), organisation: finite(c.organisationMean), z: finite(c.z) }));
  const interventions: InterventionRow[] = (diagnosis?.interventions ?? []).map((iv) => ({
    name: iv.name,
    description: iv.description,
    cells: iv.cells.map((c) => c.replace('x', '×')).join(', '),
    score: iv.score,
    evidence: iv.evidence.map(named),
  }));
  const breakpoints = (diagnosis?.breakpoints ?? []).map((b) => ({ signal: b.signal, label: SIGNAL_LABELS[b.signal] ?? b.signal, cells: b.cells.map((c) => c.replace('x', '×')).join(', '), start: b.start, end: b.end, periods: b.periods, peak: b.peak }));
  const rules = diagnosis?.rules;
  const breakpointSource = !diagnosis
    ? 'Breakpoints could not be evaluated.'
    : `Rules ${rules!.version}${rules!.lockedBy ? `, locked when "${rules!.lockedBy.waveName}" opened on ${rules!.lockedBy.lockedAt.slice(0, 10)}` : ' (locked by no wave)'}; ${diagnosis.changePoints.length} shift(s) found by the change-point detector beyond the rules.`;
  const preregistration = rules ? preregistrationSentence(rules) : null;
  if (diagnosis) warnings.push(...diagnosis.warnings.filter((w) => !warnings.includes(w)));

  const report: UnitReport = {
    unit: { key: unit.unitKey, n: unit.n },
    wave: { id: wave.id, name: wave.name, analysisId: current.analysisId, analysedAt: current.analysedAt },
    minGroupSize: wave.minGroupSize,
    scale,
    organisationUnits: org.length,
    aggregates,
    lowestDimensionRwgj: (() => {
      const v = Object.values(rwg.dimensions).filter((x): x is number => x !== null);
      return v.length === 3 ? Math.min(...v) : null;
    })(),
    misalignment: finite(unit.misalignment),
    dominant: unit.dominant ?? null,
    z: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], finite(unit.z?.[DIMENSION_NAMES[d]])])),
    trend,
    drift: trend.at(-1)?.drift ?? null,
    drifting: unitDriftResult ? unitDriftResult.drifting : null,
    driftCapacity: DRIFT_CAPACITY,
    weakestCells,
    interventions,
    uncoveredCells: (diagnosis?.uncoveredCells ?? []).map((c) => c.replace('x', '×')),
    breakpoints,
    breakpointSource,
    preregistration,
    performance: Object.entries(diagnosis?.performance ?? {}).map(([measure, p]) => ({ measure, period: p.period, value: p.value })),
    warnings,
  };

  const cellsOf = (pick: (c: Cell) => number | null) => Object.fromEntries(CELLS.map((c) => [c, pick(c)])) as Record<Cell, number | null>;
  const title = `${unit.unitKey} · ${wave.name}`;
  const [heatmap, bars, trendChart, timeline] = await Promise.all([
    renderSvg(
      cellHeatmapSpec({
        title: `Cell scores · ${title}`,
        subtitle: `n = ${unit.n}; scale ${scale.min}–${scale.max}; outlined: weakest cells; difference from the organisation mean of ${org.length} units`,
        n: unit.n,
        minGroupSize: wave.minGroupSize,
        scaleMin: scale.min,
        scaleMax: scale.max,
        cells: cellsOf((c) => finite(unit.cells?.[c])),
        organisation: cellsOf(orgCell),
        highlight: weakestCells.map((c) => c.cell as Cell),
      }),
    ),
    renderSvg(
      scoreBarsSpec({
        title: `Dimensions and levers · ${title}`,
        n: unit.n,
        minGroupSize: wave.minGroupSize,
        scaleMin: scale.min,
        scaleMax: scale.max,
        unit: { dimensions: unit.dimensions ?? {}, levers: unit.levers ?? {} },
        organisation: {
          dimensions: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], orgDim(DIMENSION_NAMES[d])])),
          levers: Object.fromEntries(LEVERS.map((l) => [LEVER_NAMES[l], orgLever(LEVER_NAMES[l])])),
        },
        rwgj: rwg.dimensions,
      }),
    ),
    renderSvg(
      misalignmentTrendSpec({
        title: `Misalignment and drift · ${unit.unitKey}`,
        minGroupSize: wave.minGroupSize,
        waves: history.flatMap((h) => {
          const t = trend.find((r) => r.waveId === h.wave.id);
          return t ? [{ wave: h.wave.name, n: h.visible.find((v) => v.unitKey === unitKey)!.n, misalignment: t.misalignment, drift: t.drift, organisationMisalignment: t.organisationMedian }] : [];
        }),
        expectedOptimum: DRIFT_CAPACITY,
      }),
    ),
    renderSvg(
      breakpointTimelineSpec({
        title: `Breakpoints · ${unit.unitKey}`,
        subtitle: 'Coordination signals over their pre-registered thresholds for the persistence window',
        breakpoints: (diagnosis?.breakpoints ?? []).map((b) => ({ ...b, unit: unitKey })),
        waves: history.map((h) => ({ name: h.wave.name, date: h.wave.opensAt.slice(0, 10) })),
      }),
    ),
  ]);
  return { report, charts: { heatmap, bars, trend: trendChart, timeline } };
}

/** The unit report as rows for its CSV download: one row per aggregate, then the trend and the interventions. */
export function unitReportRows(r: UnitReport): string[][] {
  const n = (x: number | null) => (x === null ? '' : String(x));
  const rows: string[][] = [['section', 'key', 'label', 'unit', 'organisation', 'difference', 'rwgj', 'detail']];
  for (const a of r.aggregates) rows.push([a.kind, a.key, a.label, n(a.unit), n(a.organisation), n(a.difference), n(a.rwgj), '']);
  rows.push(['misalignment', 'M', 'Misalignment M', n(r.misalignment), '', '', '', r.dominant ? `dominant: ${r.dominant}` : '']);
  for (const t of r.trend) rows.push(['trend', String(t.waveId), t.wave, n(t.misalignment), n(t.organisationMedian), n(t.drift), '', t.dominant ?? '']);
  for (const b of r.breakpoints) rows.push(['breakpoint', b.signal, b.label, String(b.peak), '', '', '', `${b.start} to ${b.end}, ${b.periods} periods, cells ${b.cells}`]);
  for (const c of r.weakestCells) rows.push(['weakest_cell', c.cell, c.definition, n(c.score), n(c.organisation), n(c.z), '', 'z vs organisation']);
  for (const iv of r.interventions) rows.push(['intervention', iv.cells, iv.name, String(iv.score), '', '', '', iv.evidence.join(' ')]);
  return rows;
}
