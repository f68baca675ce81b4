import { closedForm } from '../diagnostics.js';
import { bootstrapUnits } from './bootstrap_units.js';
import { designColumns, type LinearModel } from './design.js';
import { testUnits, type HypothesisOptions } from './hypothesis_context.js';
import { ciText, modelReport, num, type HypothesisResult } from './hypothesis_result.js';
import { coefficient, regression } from './regression.js';
import type { ThreeWaveData } from './research_panel.js';
import { weightedCoefficients } from './weighted_least_squares.js';

export interface ModeratedMediationIndex {
  readonly x: string;
  readonly index: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

export type ModeratorLevel = '-1SD' | 'mean' | '+1SD';

export interface ConditionalIndirect {
  readonly x: string;
  readonly dynamism: ModeratorLevel;
  /** The value of the centred moderator: −SD, 0, +SD. */
  readonly at: number;
  readonly est: number;
  readonly ciLower: number;
  readonly ciUpper: number;
}

export interface ModeratedMediationResult extends HypothesisResult {
  readonly moderatedMediation: readonly ModeratedMediationIndex[];
  readonly conditionalIndirect: readonly ConditionalIndirect[];
  readonly bootstrap: { readonly replicates: number; readonly seed: number; readonly valid: number };
}

const A: LinearModel = {
  outcome: 'TC',
  predictors: ['SC', 'RC', 'dynamism', 'SC:dynamism', 'RC:dynamism'],
  centre: ['SC', 'RC', 'dynamism'],
};
const B: LinearModel = { outcome: 'PQ', predictors: ['TC', 'SC', 'RC'] };
const LEVELS: readonly ModeratorLevel[] = ['-1SD', 'mean', '+1SD'];

/**
 * H2: dynamism moderates the indirect effect (first-stage moderated mediation, Hayes' PROCESS
 * model 7). Model a: TC ~ SC + RC + dynamism + SC:dynamism + RC:dynamism with SC, RC and dynamism
 * mean-centred over the test's units; model b as in H1. Hayes' (2015, doi:10.1080/00273171.2014.962683)
 * index of moderated mediation is a_{x:dynamism}·b_TC; the conditional indirect effects are
 * (a_x + a_{x:dynamism}·w)·b_TC at the centred moderator's w = −1 SD, 0, +1 SD (SD with n − 1).
 * Percentile bootstrap intervals over units for all of them, each resample's effects taken at its
 * own mean and SD of dynamism, as recentring and refitting the model on the resample would give. Supported when an
 * index is positive and its interval excludes 0. Matches R's `lm` on the centred data.
 */
export function testH2(data: ThreeWaveData, options: HypothesisOptions = {}): ModeratedMediationResult {
  const { bootstrap = 5000, seed = 1, level = 0.95 } = options;
  const { columns, units } = testUnits(data, ['SC', 'RC', 'TC', 'dynamism', 'PQ'], 'H2');
  const a = regression(columns, A, { label: 'H2 model a', level });
  const b = regression(columns, B, { label: 'H2 model b', level });
  const n = units.length;
  const sd = weightedMoments(columns.dynamism, undefined).sd;
  const bTc = coefficient(b, 'TC').est;
  const da = designColumns(columns, A);
  const db = designColumns(columns, B);
  const xs = ['SC', 'RC'] as const;
  const dyn = da.columns[3]; // dynamism centred at the test units' mean
  const limits = bootstrapUnits(n, 8, (w) => {
    const ca = weightedCoefficients(da.columns, da.y, w);
    const cb = weightedCoefficients(db.columns, db.y, w);
    if (!ca || !cb) return new Array<number>(8).fill(NaN);
    // Centring the resample at its own means leaves the products' coefficients as they are and
    // moves x's slope to the resample's mean of dynamism: a_x + a_{x:dynamism}·(mean − centre).
    const { mean, sd: s } = weightedMoments(dyn, w);
    const out = [ca[4] * cb[1], ca[5] * cb[1]];
    for (const [k] of xs.entries()) for (const at of [-s, 0, s]) out.push((ca[1 + k] + ca[4 + k] * (mean + at)) * cb[1]);
    return out;
  }, { replicates: bootstrap, seed, level });
  const moderatedMediation = xs.map((x, k): ModeratedMediationIndex => ({
    x,
    index: coefficient(a, `${x}:dynamism`).est * bTc,
    ciLower: limits[k].lower,
    ciUpper: limits[k].upper,
  }));
  const conditionalIndirect: ConditionalIndirect[] = [];
  for (const [k, x] of xs.entries()) {
    for (const [j, lv] of LEVELS.entries()) {
      const at = [-sd, 0, sd][j];
      const lim = limits[2 + 3 * k + j];
      conditionalIndirect.push({ x, dynamism: lv, at, est: (coefficient(a, x).est + coefficient(a, `${x}:dynamism`).est * at) * bTc, ciLower: lim.lower, ciUpper: lim.upper });
    }
  }
  const holds = moderatedMediation.map((m) => m.index > 0 && m.ciLower > 0);
  const supported = holds.some(Boolean);
  const describe = (m: ModeratedMediationIndex) => {
    const c = conditionalIndirect.filter((e) => e.x === m.x);
    return `for ${m.x} the index of moderated mediation was ${num(m.index)}, ${ciText(level, m.ciLower, m.ciUpper)}, ` +
      `its indirect effect ${num(c[0].est)} at low dynamism (−1 SD), ${num(c[1].est)} at the mean and ${num(c[2].est)} at high dynamism (+1 SD)`;
  };
  const reading =
    `${capitalise(describe(moderatedMediation[0]))}; ${describe(moderatedMediation[1])} (n = ${n} units). ` +
    (supported
      ? `H2 is supported: dynamism strengthens the indirect effect of ${moderatedMediation.filter((_, k) => holds[k]).map((m) => m.x).join(' and ')}.`
      : 'H2 is not supported: no index is positive with an interval above 0.');
  const valid = Math.min(...limits.map((l) => l.valid));
  return {
    hypothesis: 'H2',
    n,
    waves: data.waves,
    models: { a: modelReport(a), b: modelReport(b) },
    moderatedMediation,
    conditionalIndirect,
    bootstrap: { replicates: bootstrap, seed, valid },
    supported,
    reading,
    diagnostics: closedForm([
      ...a.diagnostics.warnings,
      ...b.diagnostics.warnings,
      ...(valid < bootstrap ? [`${bootstrap - valid} bootstrap resamples could not be fitted and were left out.`] : []),
    ]),
  };
}

/** The mean and SD (n − 1 divisor, n the total weight) of x under frequency weights (all 1 when absent). */
function weightedMoments(x: Float64Array, w: ArrayLike<number> | undefined): { mean: number; sd: number } {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i] : 1;
    sw += wi;
    s += wi * x[i];
  }
  const m = s / sw;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (w ? w[i] : 1) * (x[i] - m) ** 2;
  return { mean: m, sd: Math.sqrt(ss / (sw - 1)) };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
