import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { requireUniqueUnitWaves, type LongPanel } from './research_panel.js';
import { withinEstimator, type PanelTerm } from './within_estimator.js';

export interface PanelModelResult {
  readonly model: 'fe' | 'did' | 'event';
  readonly n: number;
  readonly units: number;
  readonly waves: number;
  readonly terms: readonly PanelTerm[];
  readonly r2Within: number;
  readonly dfResidual: number;
  readonly diagnostics: Diagnostics;
}

export interface DidResult extends PanelModelResult {
  /** The coefficient of treated × post: the average effect of the treatment on the treated. */
  readonly att: Omit<PanelTerm, 'term'>;
}

export interface PanelModelOptions {
  readonly y: string;
  readonly x?: readonly string[];
}

export interface EventOptions extends PanelModelOptions {
  /** The column naming the wave of each unit's interface change (empty: never treated). */
  readonly eventWave: string;
  /** A 0/1 column marking treated units (default: a unit is treated when it has an event wave). */
  readonly treated?: string;
}

/**
 * Unit fixed effects: the within regression of y on x, clustered by unit
 * (plm `model = "within"` with `vcovHC(method = "arellano", type = "sss")`).
 */
export function fixedEffects(panel: LongPanel, options: PanelModelOptions): PanelModelResult {
  const x = options.x ?? [];
  if (x.length === 0) throw new InputError('--x', '--x must name at least 1 column for --model fe.');
  const rows = completeRows(panel, [options.y, ...x]);
  const fit = withinEstimator(pick(panel.unit, rows), pick(panel.wave, rows), col(panel, options.y, rows), x.map((v) => col(panel, v, rows)), x, 'individual', 'fe model');
  return { model: 'fe', ...fit };
}

/**
 * Two-way fixed-effects difference-in-differences: y ~ treated×post + x with unit and wave
 * effects, clustered by unit (plm `effect = "twoways"`). `post` is 1 from the unit's event wave
 * on; a unit without an event wave is never treated. The first term, `treated:post`, is the ATT
 * under parallel trends (Angrist & Pischke, 2009, Mostly Harmless Econometrics, ch. 5).
 */
export function differenceInDifferences(panel: LongPanel, options: EventOptions): DidResult {
  const x = options.x ?? [];
  const timing = eventTiming(panel, options);
  const d = Float64Array.from(timing.rel, (r) => (Number.isNaN(r) ? 0 : r >= 0 ? 1 : 0));
  const usable = panel.unit.map((_, i) => !timing.unknown[i]);
  const rows = completeRows(panel, [options.y, ...x], usable);
  const fit = withinEstimator(
    pick(panel.unit, rows), pick(panel.wave, rows), col(panel, options.y, rows),
    [Float64Array.from(rows, (i) => d[i]), ...x.map((v) => col(panel, v, rows))],
    ['treated:post', ...x], 'twoways', 'did model',
  );
  const { term: _term, ...att } = fit.terms[0];
  return { model: 'did', ...fit, att };
}

/**
 * An event study: the two-way fixed-effects model with one dummy per wave relative to the unit's
 * event (rel = wave − event wave; rel = −1, the wave before, left out as the reference), in
 * ascending order (`rel-3` … `rel0`, `rel1`, …), then x; clustered by unit as in `did`.
 * Pre-event coefficients near 0 support parallel trends (Freyaldenhoven et al., 2021,
 * doi:10.1257/aer.20180609). Matches plm's twoways within fit with the same dummies.
 */
export function eventStudy(panel: LongPanel, options: EventOptions): PanelModelResult {
  const x = options.x ?? [];
  const timing = eventTiming(panel, options);
  const ks = [...new Set(timing.rel.filter((r) => !Number.isNaN(r)))].filter((k) => k !== -1).sort((a, b) => a - b);
  if (ks.length === 0) throw new InputError('--event-wave', `--event-wave ${options.eventWave}: no unit is treated, so there is no event to study.`);
  const usable = panel.unit.map((_, i) => !timing.unknown[i]);
  const rows = completeRows(panel, [options.y, ...x], usable);
  const dummies = ks.map((k) => Float64Array.from(rows, (i) => (timing.rel[i] === k ? 1 : 0)));
  const names = ks.map((k) => `rel${k}`);
  const fit = withinEstimator(
    pick(panel.unit, rows), pick(panel.wave, rows), col(panel, options.y, rows),
    [...dummies, ...x.map((v) => col(panel, v, rows))], [...names, ...x], 'twoways', 'event model',
  );
  return { model: 'event', ...fit };
}

/**
 * Each row's wave relative to its unit's event (NaN when the unit is not treated), and rows whose
 * treatment status is unknown (a missing `treated` value). Waves compare as numbers when every
 * wave label and event wave is a number (rel is then their difference, as R's arithmetic on
 * them), else by their order of first appearance in the panel (the event wave must then be one of them).
 */
function eventTiming(panel: LongPanel, options: EventOptions): { rel: number[]; unknown: boolean[] } {
  const ev = panel.columns[options.eventWave];
  const source = panel.source ?? 'the panel';
  if (!ev) throw new InputError('--event-wave', `--event-wave names column "${options.eventWave}", which ${source} does not have.`);
  const tr = options.treated === undefined ? undefined : panel.columns[options.treated];
  if (options.treated !== undefined && !tr) throw new InputError('--treated', `--treated names column "${options.treated}", which ${source} does not have.`);
  const waveNumber = panel.wave.map(Number);
  if (waveNumber.some((w) => !Number.isFinite(w))) {
    throw new InputError('--wave', `${source}: the waves must be numbers for --model did and event (wave "${panel.wave[waveNumber.findIndex((w) => !Number.isFinite(w))]}" is not), so that the event wave can be compared with them.`);
  }
  const rel: number[] = [];
  const unknown: boolean[] = [];
  for (let i = 0; i < panel.unit.length; i++) {
    const t = tr ? tr[i] : 1;
    if (tr && !Number.isNaN(t) && t !== 0 && t !== 1) throw new InputError('--treated', `${source}: row ${i + 1}, column ${options.treated}: treated must be 0 or 1; got ${t}.`);
    unknown.push(Number.isNaN(t));
    rel.push(t === 1 && !Number.isNaN(ev[i]) ? waveNumber[i] - ev[i] : NaN);
  }
  return { rel, unknown };
}

function completeRows(panel: LongPanel, vars: readonly string[], usable?: readonly boolean[]): number[] {
  requireUniqueUnitWaves(panel);
  const source = panel.source ?? 'the panel';
  for (const v of vars) {
    if (!panel.columns[v]) throw new InputError(v === vars[0] ? '--y' : '--x', `${v === vars[0] ? '--y' : '--x'} names column "${v}", which ${source} does not have.`);
  }
  const rows: number[] = [];
  for (let i = 0; i < panel.unit.length; i++) {
    if (usable && !usable[i]) continue;
    if (vars.every((v) => Number.isFinite(panel.columns[v][i]))) rows.push(i);
  }
  if (rows.length === 0) throw new InputError('--csv', `${source} has no row with every one of ${vars.join(', ')}.`);
  return rows;
}

function pick<T>(xs: readonly T[], rows: readonly number[]): T[] {
  return rows.map((i) => xs[i]);
}

function col(panel: LongPanel, name: string, rows: readonly number[]): Float64Array {
  const c = panel.columns[name];
  return Float64Array.from(rows, (i) => c[i]);
}
