import { closedForm, type Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import type { Breakpoint, SignalRow } from '../dynamics/evaluate_breakpoints.js';
import type { PerformanceRecord } from '../dynamics/performance_quality.js';
import type { UnitScore } from '../scoring/score_units.js';
import { isCodedLabels, isNumericColumns, type CodedLabels, type NumericColumns } from '../data/columns.js';

/** A rated supplementary scale's items and keying (instrument's `ScaleKeys`). */
export interface SupplementaryKeys {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: Readonly<Record<string, { readonly reverse: boolean }>>;
}

/** Respondent-level inputs beyond the SEI-CI items: supplementary scale scores and interface roles. */
export interface RespondentScales {
  /** Unit and wave of each respondent (as given to `scoreUnits`: strings, null missing, or coded as a CSV reader stores them). */
  readonly unit: readonly (string | null)[] | CodedLabels;
  readonly wave: readonly (string | null)[] | CodedLabels | undefined;
  /** Per panel column (`dynamism`, `visCoherence`, `visOutcome`): each respondent's scale score, NaN when missing. */
  readonly scores: Readonly<Record<string, Float64Array>>;
  /** Per respondent: 1 in an interface role, 0 not, NaN not answered. */
  readonly interfaceRole?: Float64Array;
}

/** Trace-derived dynamics and the wave windows they are counted in. */
export interface TraceSources {
  readonly signals: readonly SignalRow[];
  readonly breakpoints: readonly Breakpoint[];
  /** Each wave's first day (`YYYY-MM-DD`); a wave's window runs to the next wave's first day. */
  readonly waveStarts: Readonly<Record<string, string>>;
}

/** What the panel takes from a unit-wave's SEI-CI scores. */
export type PanelScore = Pick<UnitScore, 'unit' | 'wave' | 'n' | 'cells' | 'dimensions' | 'levers' | 'misalignment' | 'drift'>;

export interface ResearchPanelSources {
  /**
   * `scoreUnits` output (or published unit scores), with the minimum group size already applied:
   * only its unit-waves appear.
   */
  readonly scores: { readonly waves: readonly string[]; readonly units: readonly PanelScore[] };
  readonly respondents?: RespondentScales;
  readonly traces?: TraceSources;
  /** Imported performance quality: records whose period is the wave label, or a date in the wave's window. */
  readonly performance?: { readonly records: readonly PerformanceRecord[]; readonly measure: string };
}

export const RESEARCH_PANEL_DATA_COLUMNS = [
  'unit', 'wave', 'n', 'SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'drift',
  'rework', 'breakpoints', 'dynamism', 'visCoherence', 'visOutcome', 'leadershipDensity', 'PQ',
] as const;

export interface ResearchPanelData {
  readonly columns: readonly string[];
  /** One row per visible unit-wave; numbers NaN when unknown. */
  readonly rows: readonly (readonly (string | number)[])[];
  readonly diagnostics: Diagnostics;
}

/**
 * A respondent's score on a rated supplementary scale: the mean of its answered items after
 * reverse-keying (min + max − x), when at least half of them are answered (the rule of a cell
 * score in shared/CONTRACT.md `score`), else NaN. `answers` holds the answers to `items` (NaN
 * missing), as rows × items or column-stored as a CSV reader fills it.
 */
export function respondentScaleScores(answers: readonly (readonly number[])[] | NumericColumns, items: readonly string[], keys: SupplementaryKeys): Float64Array {
  const idx = Object.keys(keys.items).map((id) => ({ j: items.indexOf(id), reverse: keys.items[id].reverse }));
  const used = idx.filter((x) => x.j >= 0);
  const k = Object.keys(keys.items).length;
  const at: (i: number, j: number) => number = isNumericColumns(answers) ? (i, j) => answers.columns[j][i] : (i, j) => answers[i][j];
  const out = new Float64Array(answers.length);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    let m = 0;
    for (const { j, reverse } of used) {
      const v = at(i, j);
      if (Number.isNaN(v)) continue;
      s += reverse ? keys.scaleMin + keys.scaleMax - v : v;
      m++;
    }
    out[i] = m > 0 && 2 * m >= k ? s / m : NaN;
  }
  return out;
}

/**
 * The unit-wave research panel that `seici hypotheses` and `seici panel` read, from the
 * platform's own outputs: the SEI-CI unit scores (SC, RC, TC, levers, SxA, M, drift), the unit-wave
 * means of the supplementary scales (dynamism and the two visibility types), leadership density
 * (the share of respondents who name an interface role, among those who answered), trace-derived
 * rework (the mean weekly rework rate over the wave's window) and breakpoint counts (breakpoints
 * starting in the window), and imported performance quality. Unit level only: a unit-wave that
 * `scoreUnits` suppressed for its size does not appear, and nothing about a single respondent does.
 */
export function buildResearchPanel(sources: ResearchPanelSources): ResearchPanelData {
  const warnings: string[] = [];
  const { scores, respondents, traces, performance } = sources;
  const key = (u: string, w: string) => `${u}\u0000${w}`;
  // respondent means per unit-wave
  const sums = new Map<string, Map<string, { s: number; m: number }>>();
  if (respondents) {
    const add = (name: string, u: string, w: string, v: number) => {
      if (Number.isNaN(v)) return;
      let byCol = sums.get(key(u, w));
      if (!byCol) sums.set(key(u, w), (byCol = new Map()));
      const acc = byCol.get(name) ?? { s: 0, m: 0 };
      acc.s += v;
      acc.m++;
      byCol.set(name, acc);
    };
    const single = scores.waves.length === 1 ? scores.waves[0] : undefined;
    const unitOf = labelAt(respondents.unit);
    const waveOf = respondents.wave === undefined ? () => single : labelAt(respondents.wave);
    const count = isCodedLabels(respondents.unit) ? respondents.unit.codes.length : respondents.unit.length;
    for (let i = 0; i < count; i++) {
      const u = unitOf(i);
      const w = waveOf(i);
      if (u === null || w === null || w === undefined) continue;
      for (const [name, col] of Object.entries(respondents.scores)) add(name, u, w, col[i]);
      if (respondents.interfaceRole) add('leadershipDensity', u, w, respondents.interfaceRole[i]);
    }
  }
  const windows = traces ? waveWindows(traces.waveStarts, scores.waves) : undefined;
  const inWindow = (date: string, wave: string) => {
    const win = windows?.get(wave);
    return win !== undefined && date >= win.from && (win.to === null || date < win.to);
  };
  const pqByKey = new Map<string, { s: number; m: number }>();
  if (performance) {
    const measures = new Set(performance.records.map((r) => r.measure));
    if (performance.records.length > 0 && !measures.has(performance.measure)) {
      throw new InputError('--pq-measure', `--pq-measure "${performance.measure}" is not a measure of the PQ file (it has ${[...measures].join(', ')}).`);
    }
    for (const r of performance.records) {
      if (r.measure !== performance.measure) continue;
      const waves = scores.waves.includes(r.period) ? [r.period] : scores.waves.filter((w) => /^\d{4}-\d{2}-\d{2}$/.test(r.period) && inWindow(r.period, w));
      for (const w of waves) {
        const acc = pqByKey.get(key(r.unit, w)) ?? { s: 0, m: 0 };
        acc.s += r.value;
        acc.m++;
        pqByKey.set(key(r.unit, w), acc);
      }
    }
  }
  const rows = scores.units.map((s) => {
    const mean = (name: string) => {
      const acc = sums.get(key(s.unit, s.wave))?.get(name);
      return acc && acc.m > 0 ? acc.s / acc.m : NaN;
    };
    let rework = NaN;
    let breakpoints = NaN;
    if (traces) {
      let rs = 0;
      let rm = 0;
      for (const row of traces.signals) {
        if (row.unit === s.unit && row.reworkRate !== null && inWindow(row.period, s.wave)) {
          rs += row.reworkRate;
          rm++;
        }
      }
      rework = rm > 0 ? rs / rm : NaN;
      breakpoints = traces.breakpoints.filter((b) => b.unit === s.unit && inWindow(b.start, s.wave)).length;
    }
    const pq = pqByKey.get(key(s.unit, s.wave));
    return [
      s.unit, s.wave, s.n, s.dimensions.structural, s.dimensions.relational, s.dimensions.translational,
      s.levers.accountability, s.levers.communication, s.levers.visibility, s.cells.SxA, s.misalignment, s.drift ?? NaN,
      rework, breakpoints, mean('dynamism'), mean('visCoherence'), mean('visOutcome'), mean('leadershipDensity'),
      pq ? pq.s / pq.m : NaN,
    ];
  });
  if (performance && pqByKey.size === 0) warnings.push(`no PQ record of measure "${performance.measure}" falls on a visible unit-wave.`);
  return { columns: [...RESEARCH_PANEL_DATA_COLUMNS], rows, diagnostics: closedForm(warnings) };
}

function waveWindows(starts: Readonly<Record<string, string>>, waves: readonly string[]): Map<string, { from: string; to: string | null }> {
  for (const [w, d] of Object.entries(starts)) {
    if (!waves.includes(w)) throw new InputError('--wave-starts', `--wave-starts names wave "${w}", which the responses do not have.`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new InputError('--wave-starts', `--wave-starts: wave "${w}" starts on "${d}", which is not a YYYY-MM-DD date.`);
  }
  const ordered = Object.entries(starts).sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const out = new Map<string, { from: string; to: string | null }>();
  ordered.forEach(([w, d], i) => out.set(w, { from: d, to: i + 1 < ordered.length ? ordered[i + 1][1] : null }));
  return out;
}

/** Observation i's label (null missing), whether the labels are strings or codes. */
function labelAt(labels: readonly (string | null)[] | CodedLabels): (i: number) => string | null {
  if (!isCodedLabels(labels)) return (i) => labels[i];
  const { codes, levels } = labels;
  return (i) => (codes[i] < 0 ? null : levels[codes[i]]);
}
