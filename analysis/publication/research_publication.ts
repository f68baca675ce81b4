import { InputError } from '../errors.js';
import { DEFAULT_RULES } from '../dynamics/rules.js';
import { tQuantile } from '../math/t_distribution.js';
import { evaluateBreakpoints } from '../dynamics/evaluate_breakpoints.js';
import type { PerformanceRecord } from '../dynamics/performance_quality.js';
import { buildResearchPanel, respondentScaleScores, type PanelScore, type ResearchPanelData, type RespondentScales, type SupplementaryKeys } from '../research/build_research_panel.js';
import type { HypothesisResult } from '../research/hypothesis_result.js';
import type { ModeratedMediationResult } from '../research/h2_moderated_mediation.js';
import type { MediationResult } from '../research/h1_mediation.js';
import type { VisibilityResult } from '../research/h5_visibility.js';
import type { InvertedUResult } from '../research/h7_inverted_u.js';
import type { LongPanel } from '../research/research_panel.js';
import { HYPOTHESES, testHypotheses, type Hypothesis } from '../research/test_hypotheses.js';
import { cellScoreMatrix } from '../scoring/cell_scores.js';
import { resolveItemMap } from '../scoring/item_map.js';
import type { CoordinationEvent } from '../traces/event.js';
import type { Cell } from '../sei_model.js';
import type { PublicationAnswerSet, PublishedUnit, WavePublication } from './publish_wave.js';
import { validRespondents } from './valid_respondents.js';
import { researchPanelDesigns, type InterfaceChange, type ResearchPanelDesigns } from './research_panel_designs.js';

/** One wave of the research design, as stored: its publication and its answer sets. */
export interface ResearchWave {
  /** The wave's label in the panel (the server uses its id). */
  readonly label: string;
  readonly name: string;
  /** The wave's first day, `YYYY-MM-DD`: a wave's window for traces and PQ runs to the next wave's first day. */
  readonly startsOn: string;
  readonly minGroupSize: number;
  /** The wave's stored publication: its published units are the only ones that enter. */
  readonly publication: WavePublication;
  /** Its complete answer sets (the supplementary scales are read from those of published units). */
  readonly answerSets: readonly PublicationAnswerSet[];
}

/** Everything a research run is a function of. */
export interface ResearchPublicationInput {
  readonly scaleMin: number;
  readonly scaleMax: number;
  /** The SEI-CI items (for the valid-respondent rule of the publications). */
  readonly items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean }[];
  /** Keys of the rated supplementary scales, by panel column (`dynamism`, `visCoherence`, `visOutcome`). */
  readonly supplementary: Readonly<Record<string, SupplementaryKeys>>;
  /** The interface-role item and the answer codes that name an interface role (leadership density). */
  readonly interfaceRole: { readonly item: string; readonly codes: readonly number[] } | null;
  /** T1, T2, T3 in time order. */
  readonly waves: readonly [ResearchWave, ResearchWave, ResearchWave];
  /** Coordination events of the organisation's units (rework per wave window). */
  readonly events: readonly CoordinationEvent[];
  /** Imported performance-quality records; `pqMeasure` picks the measure. */
  readonly performance: readonly PerformanceRecord[];
  readonly pqMeasure: string | null;
  readonly bootstrap: number;
  readonly seed: number;
  /** Interface changes recorded per unit (the panel designs' treatment); absent or empty: none recorded. */
  readonly interfaceChanges?: readonly InterfaceChange[];
}

/** A headline number of a hypothesis: an estimate with its interval. */
export interface ResearchEstimate {
  readonly label: string;
  readonly est: number;
  readonly ciLower: number | null;
  readonly ciUpper: number | null;
  readonly p: number | null;
  /** How the interval was formed. */
  readonly interval: 'percentile bootstrap' | 't' | 'delta method' | 'none';
}

/** One hypothesis of the report: its claim, its verdict and reading, or why it could not be tested. */
export interface ResearchHypothesis {
  readonly hypothesis: Hypothesis;
  readonly claim: string;
  readonly supported: boolean | null;
  readonly reading: string | null;
  readonly n: number | null;
  readonly estimates: readonly ResearchEstimate[];
  /** The full test result (models with every term); absent when the test could not run. */
  readonly result?: HypothesisResult;
  /** Why the test could not run (a variable without enough units). */
  readonly error?: string;
}

/** The stored research run: everything the research report, its downloads and the API show. */
export interface ResearchPublication {
  readonly pipelineVersion: 1;
  readonly kind: 'research';
  readonly waves: readonly { readonly label: string; readonly name: string; readonly role: 'T1' | 'T2' | 'T3'; readonly startsOn: string; readonly units: number }[];
  /** The largest minimum group size of the three waves. */
  readonly minGroupSize: number;
  readonly design: {
    /** Units in the panel (published in at least one wave). */
    readonly units: number;
    /** Units published in all three waves. */
    readonly unitsInAllWaves: number;
    /** Per variable: the wave it is taken from and the units that have it. */
    readonly variables: readonly { readonly name: string; readonly role: 'T1' | 'T2' | 'T3'; readonly units: number }[];
  };
  readonly options: { readonly bootstrap: number; readonly seed: number; readonly level: number; readonly pqMeasure: string | null };
  readonly hypotheses: readonly ResearchHypothesis[];
  /**
   * The panel designs on all three waves: unit FE, DiD and event study around interface changes,
   * and the CLPM (absent from runs stored before they joined the run).
   */
  readonly panel?: ResearchPanelDesigns;
  /** H7's fitted curve over the observed range of M, and H2's conditional indirect effects (the report's charts). */
  readonly charts: {
    readonly invertedU: { readonly curve: readonly { readonly m: number; readonly pq: number }[]; readonly turningPoint: { readonly est: number; readonly ciLower: number; readonly ciUpper: number } } | null;
    readonly conditionalIndirect: ModeratedMediationResult['conditionalIndirect'] | null;
  };
  readonly warnings: readonly string[];
  readonly seconds: number;
}

const CLAIMS: Readonly<Record<Hypothesis, string>> = {
  H1: 'Translational coherence (TC) mediates the effects of structural (SC) and relational coherence (RC) on performance quality (PQ).',
  H2: 'Environmental dynamism moderates that indirect effect.',
  H3: 'The three governance levers are complementary: their products raise TC.',
  H4: 'Dominance (misalignment M) predicts later drift and rework.',
  H5: 'Coherence-oriented visibility beats outcome-only dashboards on PQ, holding SC constant.',
  H6: 'Leadership density in interface roles strengthens TC → PQ and dampens drift.',
  H7: 'Performance quality is an inverted U in misalignment M.',
};

const VARIABLE_ROLES: readonly (readonly [string, 'T1' | 'T2' | 'T3'])[] = [
  ...['SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'dynamism', 'visCoherence', 'visOutcome', 'leadershipDensity'].map((v) => [v, 'T1'] as const),
  ['drift', 'T2'], ['rework', 'T2'], ['PQ', 'T3'],
];

const ROLES = ['T1', 'T2', 'T3'] as const;
const LEVEL = 0.95;
/** Points of H7's fitted curve. */
const CURVE_POINTS = 41;

/**
 * The research run of the SEI model's hypotheses H1–H7 (shared/CONTRACT.md "hypotheses") on the
 * organisation's own three-wave panel, built only from what is already published or unit-level:
 * - SC, RC, TC, the levers, SxA, M and drift of each unit-wave are the stored wave publications'
 *   published (non-suppressed, non-roll-up) units, so a unit below the minimum group size, or
 *   one suppressed for any other reason, never enters;
 * - dynamism, the two visibility scales and leadership density are unit-wave means over the valid
 *   respondents of those units (the publications' sample), and a mean that fewer than the wave's
 *   minimum group size of respondents gave a score to is left out (the publication policy);
 * - rework is the unit's mean weekly rework rate over the wave's window (its first day to the next
 *   wave's), from its coordination traces; PQ the mean of the chosen measure's records dated in
 *   the window (or labelled with the wave).
 * Each hypothesis runs on its own complete units; one that cannot (a variable without enough
 * units) is reported with the reason and the others stand. No respondent-level value is stored.
 */
export function publishResearch(input: ResearchPublicationInput): ResearchPublication {
  const started = Date.now();
  const { labels, published, panelUnits, panel, warnings } = researchRunPanel(input);
  const long = longPanel(panel.columns, panel.rows);

  const hypotheses = HYPOTHESES.map((h): ResearchHypothesis => {
    try {
      const result = testHypotheses(long, { tests: [h], waves: labels, bootstrap: input.bootstrap, seed: input.seed, level: LEVEL })[h];
      return { hypothesis: h, claim: CLAIMS[h], supported: result.supported, reading: result.reading, n: result.n, estimates: estimates(h, result), result };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return { hypothesis: h, claim: CLAIMS[h], supported: null, reading: null, n: null, estimates: [], error: err.message.replace(/^./, (c) => c.toUpperCase()) };
    }
  });

  const panelDesigns = researchPanelDesigns(long, labels, input.interfaceChanges ?? [], input.waves.map((w) => w.startsOn), tCritical);

  const h2 = hypotheses.find((h) => h.hypothesis === 'H2')?.result as ModeratedMediationResult | undefined;
  const h7 = hypotheses.find((h) => h.hypothesis === 'H7')?.result as InvertedUResult | undefined;
  const byVariable = VARIABLE_ROLES.map(([name, role]) => {
    const col = long.columns[name];
    const wave = labels[ROLES.indexOf(role)];
    let units = 0;
    for (let r = 0; r < long.unit.length; r++) if (long.wave[r] === wave && Number.isFinite(col[r])) units++;
    return { name, role, units };
  });
  return {
    pipelineVersion: 1,
    kind: 'research',
    waves: input.waves.map((w, k) => ({ label: w.label, name: w.name, role: ROLES[k], startsOn: w.startsOn, units: published[k].size })),
    minGroupSize: Math.max(...input.waves.map((w) => w.minGroupSize)),
    design: {
      units: panelUnits.size,
      unitsInAllWaves: [...panelUnits].filter((u) => published.every((set) => set.has(u))).length,
      variables: byVariable,
    },
    options: { bootstrap: input.bootstrap, seed: input.seed, level: LEVEL, pqMeasure: input.pqMeasure },
    hypotheses,
    panel: panelDesigns,
    charts: {
      invertedU: h7 ? { curve: quadraticCurve(h7), turningPoint: { est: h7.turningPoint.est, ciLower: h7.turningPoint.ciLower, ciUpper: h7.turningPoint.ciUpper } } : null,
      conditionalIndirect: h2 ? h2.conditionalIndirect : null,
    },
    warnings,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The unit-wave panel a research run tests its hypotheses on, with what it was built from. */
export interface ResearchRunPanel {
  /** T1, T2, T3 labels. */
  readonly labels: readonly [string, string, string];
  /** Per wave (T1, T2, T3): the units its publication published as units. */
  readonly published: readonly Set<string>[];
  /** Units published in at least one of the three waves. */
  readonly panelUnits: ReadonlySet<string>;
  /** One row per published unit-wave, RESEARCH_PANEL_DATA_COLUMNS (numbers NaN when unknown), in the order the tests read them. */
  readonly panel: ResearchPanelData;
  readonly warnings: string[];
}

/**
 * The research panel of a run (see publishResearch): the published units' scores of the three
 * waves, the supplementary means over their valid respondents (blanked below the minimum group
 * size), rework from the traces and PQ. Unit level only; what a reproducibility bundle ships.
 */
export function researchRunPanel(input: ResearchPublicationInput): ResearchRunPanel {
  const warnings: string[] = [];
  const labels = input.waves.map((w) => w.label);
  if (new Set(labels).size !== 3) throw new InputError('waves', 'the research design needs three different waves.');

  const scores: PanelScore[] = [];
  const published = input.waves.map(() => new Set<string>());
  input.waves.forEach((w, k) => {
    for (const u of w.publication.units) {
      if (u.suppressed || u.rollup) continue;
      const p = u as PublishedUnit;
      published[k].add(p.unitKey);
      scores.push({
        unit: p.unitKey, wave: w.label, n: p.n, cells: p.cells, dimensions: p.dimensions, levers: p.levers,
        misalignment: p.misalignment ?? NaN, ...(p.drift === null ? {} : { drift: p.drift }),
      });
    }
  });

  const respondents = supplementaryScores(input, published, warnings);
  const waveStarts = Object.fromEntries(input.waves.map((w) => [w.label, w.startsOn]));
  const panelUnits = new Set(scores.map((s) => s.unit));
  const events = input.events.filter((e) => panelUnits.has(e.unit));
  const signals = events.length > 0 ? evaluateBreakpoints(events, { period: 'week', rules: DEFAULT_RULES, changePoints: false }).signals : [];
  const measures = [...new Set(input.performance.map((r) => r.measure))];
  if (input.pqMeasure !== null && input.performance.length > 0 && !measures.includes(input.pqMeasure)) {
    throw new InputError('pqMeasure', `pqMeasure "${input.pqMeasure}" is not an imported PQ measure (there are ${measures.join(', ')}).`);
  }
  const panel = buildResearchPanel({
    scores: { waves: labels, units: scores },
    respondents,
    traces: { signals, breakpoints: [], waveStarts },
    ...(input.pqMeasure === null ? {} : { performance: { records: input.performance.filter((r) => panelUnits.has(r.unit)), measure: input.pqMeasure } }),
  });
  warnings.push(...panel.diagnostics.warnings);
  if (input.pqMeasure === null) warnings.push('no performance-quality measure was imported, so the hypotheses on PQ (H1, H2, H5, H6, H7) cannot be tested.');
  return { labels: [labels[0], labels[1], labels[2]], published, panelUnits, panel, warnings };
}

/**
 * Each respondent's supplementary scale scores and interface role, for the valid respondents of
 * the published units of each wave; a unit-wave mean that fewer than the wave's minimum group
 * size scored is blanked (NaN) before it can be formed.
 */
function supplementaryScores(input: ResearchPublicationInput, published: readonly Set<string>[], warnings: string[]): RespondentScales {
  const ids = input.items.map((i) => i.id);
  const resolved = resolveItemMap(
    { scaleMin: input.scaleMin, scaleMax: input.scaleMax, items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])) },
    ids,
  );
  const unit: string[] = [];
  const wave: string[] = [];
  const extraIds = [...new Set([...Object.values(input.supplementary).flatMap((k) => Object.keys(k.items)), ...(input.interfaceRole ? [input.interfaceRole.item] : [])])];
  const extra: number[][] = [];
  input.waves.forEach((w, k) => {
    const kept = w.answerSets.filter((set) => published[k].has(set.unitKey));
    const value = (set: PublicationAnswerSet, id: string) => (typeof set.answers[id] === 'number' ? (set.answers[id] as number) : NaN);
    const sei = kept.map((set) => ids.map((id) => value(set, id)));
    const valid = validRespondents(cellScoreMatrix(sei, resolved), sei.length);
    kept.forEach((set, r) => {
      if (!valid[r]) return;
      unit.push(set.unitKey);
      wave.push(w.label);
      extra.push(extraIds.map((id) => value(set, id)));
    });
  });
  const scores: Record<string, Float64Array> = {};
  for (const [column, keys] of Object.entries(input.supplementary)) {
    const items = Object.keys(keys.items);
    scores[column] = respondentScaleScores(extra.map((row) => items.map((id) => row[extraIds.indexOf(id)])), items, keys);
  }
  let interfaceRole: Float64Array | undefined;
  if (input.interfaceRole) {
    const j = extraIds.indexOf(input.interfaceRole.item);
    const codes = new Set(input.interfaceRole.codes);
    interfaceRole = Float64Array.from(extra, (row) => (Number.isNaN(row[j]) ? NaN : codes.has(row[j]) ? 1 : 0));
  }
  const minimum = new Map(input.waves.map((w) => [w.label, w.minGroupSize]));
  let blanked = 0;
  for (const column of [...Object.values(scores), ...(interfaceRole ? [interfaceRole] : [])]) {
    const counts = new Map<string, number>();
    for (let r = 0; r < unit.length; r++) if (!Number.isNaN(column[r])) counts.set(`${unit[r]}\u0000${wave[r]}`, (counts.get(`${unit[r]}\u0000${wave[r]}`) ?? 0) + 1);
    const small = new Set([...counts].filter(([key, n]) => n < minimum.get(key.split('\u0000')[1])!).map(([key]) => key));
    blanked += small.size;
    for (let r = 0; r < unit.length; r++) if (small.has(`${unit[r]}\u0000${wave[r]}`)) column[r] = NaN;
  }
  if (blanked > 0) warnings.push(`${blanked} unit-wave supplementary mean${blanked === 1 ? ' was' : 's were'} left out: fewer respondents than the minimum group size answered the scale.`);
  return { unit, wave, scores, ...(interfaceRole ? { interfaceRole } : {}) };
}

function longPanel(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): LongPanel {
  const numeric: Record<string, Float64Array> = {};
  columns.forEach((c, j) => {
    if (c !== 'unit' && c !== 'wave') numeric[c] = Float64Array.from(rows, (r) => r[j] as number);
  });
  return { unit: rows.map((r) => r[0] as string), wave: rows.map((r) => r[1] as string), columns: numeric, source: 'the research panel' };
}

/** The coefficient of `term` in `model` with its t interval and p. */
function term(result: HypothesisResult, model: string, name: string, label: string): ResearchEstimate {
  const t = result.models[model].terms.find((x) => x.term === name)!;
  return { label, est: t.est, ciLower: t.ciLower, ciUpper: t.ciUpper, p: t.p, interval: 't' };
}

/** The numbers each hypothesis's verdict rests on (shared/CONTRACT.md's rule for `supported`). */
function estimates(h: Hypothesis, result: HypothesisResult): ResearchEstimate[] {
  switch (h) {
    case 'H1':
      return (result as MediationResult).indirect.map((e) => ({ label: `Indirect effect of ${e.x} on PQ through TC`, est: e.est, ciLower: e.ciLower, ciUpper: e.ciUpper, p: e.sobelP, interval: 'percentile bootstrap' }));
    case 'H2':
      return (result as ModeratedMediationResult).moderatedMediation.map((e) => ({ label: `Index of moderated mediation, ${e.x} × dynamism`, est: e.index, ciLower: e.ciLower, ciUpper: e.ciUpper, p: null, interval: 'percentile bootstrap' }));
    case 'H3':
      return [['accountability:communication', 'Accountability × communication'], ['accountability:visibility', 'Accountability × visibility'], ['communication:visibility', 'Communication × visibility']].map(([name, label]) => term(result, 'levers', name, `${label} on TC`));
    case 'H4':
      return [term(result, 'drift', 'M', 'Slope of drift (T2) on M (T1)'), term(result, 'rework', 'M', 'Slope of rework (T2) on M (T1)')];
    case 'H5': {
      const v = result as VisibilityResult;
      const crit = v.difference.df > 0 ? tCritical(v.difference.df) : NaN;
      return [
        { label: 'Coherence-oriented minus outcome-only visibility, on PQ', est: v.difference.est, ciLower: v.difference.est - crit * v.difference.se, ciUpper: v.difference.est + crit * v.difference.se, p: v.difference.p, interval: 't' },
        { label: 'ΔR² of coherence-oriented visibility', est: v.deltaR2.value, ciLower: null, ciUpper: null, p: v.deltaR2.p, interval: 'none' },
      ];
    }
    case 'H6':
      return [term(result, 'pq', 'TC:leadershipDensity', 'TC × leadership density on PQ'), term(result, 'drift', 'SxA:leadershipDensity', 'S×A × leadership density on drift')];
    case 'H7': {
      const r = result as InvertedUResult;
      return [
        term(result, 'quadratic', 'M^2', 'Curvature (b for M²)'),
        { label: 'Turning point of M', est: r.turningPoint.est, ciLower: r.turningPoint.ciLower, ciUpper: r.turningPoint.ciUpper, p: null, interval: 'delta method' },
      ];
    }
  }
}

/** H7's fitted PQ = b₀ + b₁M + b₂M² at evenly spaced M over the observed range. */
function quadraticCurve(r: InvertedUResult): { m: number; pq: number }[] {
  const coef = (name: string) => r.models.quadratic.terms.find((t) => t.term === name)!.est;
  const [b0, b1, b2] = [coef('(Intercept)'), coef('M'), coef('M^2')];
  const { lower, upper } = r.lindMehlum;
  return Array.from({ length: CURVE_POINTS }, (_, i) => {
    const m = lower + ((upper - lower) * i) / (CURVE_POINTS - 1);
    return { m, pq: b0 + b1 * m + b2 * m * m };
  });
}

function tCritical(df: number): number {
  return tQuantile(1 - (1 - LEVEL) / 2, df);
}
