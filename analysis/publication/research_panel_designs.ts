import { InputError } from '../errors.js';
import { crossLaggedPanel } from '../research/cross_lagged_panel.js';
import { differenceInDifferences, eventStudy, fixedEffects, type PanelModelResult } from '../research/panel_models.js';
import type { LongPanel } from '../research/research_panel.js';
import type { PanelTerm } from '../research/within_estimator.js';

/** An interface change recorded for a unit (a new handover, a new interface role, a new tool between teams), dated `YYYY-MM-DD`. */
export interface InterfaceChange {
  readonly unit: string;
  readonly on: string;
}

/** A panel model of the run: what was fitted, and its clustered terms; or why it could not be. */
export interface ResearchPanelModel {
  readonly model: 'fe' | 'did' | 'event';
  /** The model in words, with its plm call. */
  readonly specification: string;
  readonly y: string;
  readonly x: readonly string[];
  readonly n: number | null;
  readonly units: number | null;
  readonly dfResidual: number | null;
  readonly r2Within: number | null;
  /** Slopes clustered by unit, each with its t interval on the residual df. */
  readonly terms: readonly (PanelTerm & { readonly ciLower: number; readonly ciUpper: number })[];
  readonly error?: string;
}

/** The cross-lagged panel model of the run, slimmed to what the report and the bundle show. */
export interface ResearchClpm {
  readonly x: string;
  readonly y: string;
  readonly syntax: string | null;
  readonly n: number | null;
  readonly converged: boolean | null;
  readonly fit: { readonly chisq: number; readonly df: number; readonly pvalue: number; readonly cfi: number; readonly tli: number; readonly rmsea: number; readonly srmr: number } | null;
  readonly estimates: readonly { readonly lhs: string; readonly op: string; readonly rhs: string; readonly est: number; readonly se: number; readonly z: number | null; readonly pvalue: number | null }[];
  readonly error?: string;
}

/** The panel designs of a research run (issue 12): unit FE, two-way FE DiD and event study around interface changes, and the CLPM. */
export interface ResearchPanelDesigns {
  /** Units whose first interface change falls in the design, by the wave it first affects (2 or 3); wave 1 is left out (see eventWaves). */
  readonly treatedUnits: number;
  /** Units of the panel with a recorded change that precedes T1 (always treated: no wave before it), left out of DiD and event study. */
  readonly alwaysTreated: number;
  /** Per unit with a change inside the design: the wave position (1, 2, 3) it first affects. */
  readonly eventWaves: Readonly<Record<string, number>>;
  readonly fe: ResearchPanelModel;
  readonly did: ResearchPanelModel;
  readonly event: ResearchPanelModel;
  readonly clpm: ResearchClpm;
}

/** The outcome of the panel designs and the regressor of the fixed-effects model and the CLPM. */
export const PANEL_OUTCOME = 'PQ';
export const PANEL_REGRESSOR = 'TC';

/**
 * Which wave (position 1, 2, 3) an interface change first affects: the first wave whose first day
 * is on or after the change (a change during a wave's window reaches the answers of the next
 * wave), or none when it comes after T3 opened. A unit's earliest change counts.
 */
export function eventWavePositions(changes: readonly InterfaceChange[], startsOn: readonly string[], units: ReadonlySet<string>): { eventWaves: Record<string, number>; alwaysTreated: Set<string> } {
  const first = new Map<string, string>();
  for (const c of changes) {
    if (!units.has(c.unit)) continue;
    const seen = first.get(c.unit);
    if (seen === undefined || c.on < seen) first.set(c.unit, c.on);
  }
  const eventWaves: Record<string, number> = {};
  const alwaysTreated = new Set<string>();
  for (const [unit, on] of [...first].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const k = startsOn.findIndex((s) => on <= s);
    if (k === 0) alwaysTreated.add(unit);
    else if (k > 0) eventWaves[unit] = k + 1;
  }
  return { eventWaves, alwaysTreated };
}

/**
 * The run's panel designs on its unit-wave panel (waves relabelled by position 1, 2, 3):
 * - `fe`: PQ ~ TC with unit fixed effects (plm `model = "within"`);
 * - `did`: PQ ~ treated×post with unit and wave effects (plm `effect = "twoways"`), post from the
 *   wave a unit's first interface change reaches; units without a change are the controls;
 * - `event`: the same with one dummy per wave relative to the change (rel = −1 left out);
 * each clustered by unit as `vcovHC(method = "arellano", type = "sss")`, with t intervals on
 * the residual df; and the CLPM of TC and PQ over the three waves (lavaan syntax, SEM engine).
 * A unit whose change precedes T1 has no untreated wave and is left out of DiD and event study.
 * A design that cannot be fitted (no treated unit, too few units) gives its reason; the others stand.
 */
export function researchPanelDesigns(panel: LongPanel, labels: readonly string[], changes: readonly InterfaceChange[], startsOn: readonly string[], tCritical: (df: number) => number): ResearchPanelDesigns {
  const position = new Map(labels.map((l, k) => [l, String(k + 1)]));
  const units = new Set(panel.unit);
  const { eventWaves, alwaysTreated } = eventWavePositions(changes, startsOn, units);
  const eventWave = Float64Array.from(panel.unit, (u) => eventWaves[u] ?? NaN);
  const treated = Float64Array.from(panel.unit, (u) => (alwaysTreated.has(u) ? NaN : eventWaves[u] !== undefined ? 1 : 0));
  const long: LongPanel = {
    unit: panel.unit,
    wave: panel.wave.map((w) => position.get(w)!),
    columns: { ...panel.columns, eventWave, treated },
    source: 'the research panel',
  };
  const y = PANEL_OUTCOME;
  const x = PANEL_REGRESSOR;
  const fit = (model: ResearchPanelModel['model'], xs: string[], specification: string, run: () => PanelModelResult): ResearchPanelModel => {
    try {
      const r = run();
      const crit = r.dfResidual > 0 ? tCritical(r.dfResidual) : NaN;
      return {
        model, specification, y, x: xs, n: r.n, units: r.units, dfResidual: r.dfResidual, r2Within: r.r2Within,
        terms: r.terms.map((t) => ({ ...t, ciLower: t.est - crit * t.se, ciUpper: t.est + crit * t.se })),
      };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return { model, specification, y, x: xs, n: null, units: null, dfResidual: null, r2Within: null, terms: [], error: reason(err, model) };
    }
  };
  const options = { y, eventWave: 'eventWave', treated: 'treated' };
  const noChange = Object.keys(eventWaves).length === 0;
  const untreated = () => {
    throw new InputError('interfaceChanges', 'no unit of the panel has an interface change recorded before T2 or T3 opened, so there is no treated unit to compare.');
  };
  const did = fit('did', [], DID_SPEC, noChange ? untreated : () => differenceInDifferences(long, options));
  const event = fit('event', [], EVENT_SPEC, noChange ? untreated : () => eventStudy(long, options));
  let clpm: ResearchClpm;
  try {
    const r = crossLaggedPanel(long, x, y);
    clpm = {
      x, y, syntax: r.syntax, n: r.n, converged: r.converged,
      fit: { chisq: r.fit.chisq, df: r.fit.df, pvalue: r.fit.pvalue, cfi: r.fit.cfi, tli: r.fit.tli, rmsea: r.fit.rmsea, srmr: r.fit.srmr },
      estimates: r.estimates.map((e) => ({ lhs: e.lhs, op: e.op, rhs: e.rhs, est: e.est, se: e.se, z: e.z, pvalue: e.pvalue })),
    };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    clpm = { x, y, syntax: null, n: null, converged: null, fit: null, estimates: [], error: reason(err, 'clpm') };
  }
  return {
    treatedUnits: Object.keys(eventWaves).length,
    alwaysTreated: alwaysTreated.size,
    eventWaves,
    fe: fit('fe', [x], FE_SPEC, () => fixedEffects(long, { y, x: [x] })),
    did,
    event,
    clpm,
  };
}

const FE_SPEC = 'PQ ~ TC with unit fixed effects: plm(model = "within"), SEs clustered by unit';
const DID_SPEC = 'PQ ~ treated:post with unit and wave effects: plm(model = "within", effect = "twoways"), SEs clustered by unit';
const EVENT_SPEC = 'PQ ~ one dummy per wave relative to the interface change (rel-1 left out), unit and wave effects, SEs clustered by unit';

/** The input error in the report's words: the CLI's flag names mean nothing on the console. */
function reason(err: InputError, model: string): string {
  const text = err.message.replace(/--event-wave eventWave: /, '');
  return `The ${model} model could not be fitted: ${text.replace(/^./, (c) => c.toLowerCase())}`;
}
