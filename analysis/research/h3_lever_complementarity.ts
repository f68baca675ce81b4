import { closedForm } from '../diagnostics.js';
import type { LinearModel } from './design.js';
import { testUnits, type HypothesisOptions } from './hypothesis_context.js';
import { modelReport, num, pText, type HypothesisResult } from './hypothesis_result.js';
import { linearContrast } from './linear_contrast.js';
import { coefficient, regression } from './regression.js';
import type { ThreeWaveData } from './research_panel.js';

const LEVERS = ['accountability', 'communication', 'visibility'] as const;
const PRODUCTS = ['accountability:communication', 'accountability:visibility', 'communication:visibility'] as const;

/** The slope of one lever with another held at −1 SD or +1 SD (the third at its mean). */
export interface SimpleSlope {
  readonly focal: string;
  readonly moderator: string;
  readonly at: '-1SD' | '+1SD';
  readonly est: number;
  readonly se: number;
  readonly t: number;
  readonly p: number;
}

export interface LeverComplementarityResult extends HypothesisResult {
  readonly simpleSlopes: readonly SimpleSlope[];
}

const MODEL: LinearModel = { outcome: 'TC', predictors: [...LEVERS, ...PRODUCTS], centre: LEVERS };

/**
 * H3: the three governance levers are complements. TC ~ accountability + communication +
 * visibility + their three two-way products, the levers mean-centred over the test's units;
 * simple slopes of each product's first lever at −1 SD and +1 SD of the second (Aiken & West,
 * 1991), SE from the classical covariance. Supported when all three products are positive with
 * p < .05. Matches R's `lm` on the centred data.
 */
export function testH3(data: ThreeWaveData, options: HypothesisOptions = {}): LeverComplementarityResult {
  const level = options.level ?? 0.95;
  const { columns, units } = testUnits(data, ['TC', ...LEVERS], 'H3');
  const m = regression(columns, MODEL, { label: 'H3 model levers', level });
  const simpleSlopes: SimpleSlope[] = [];
  for (const product of PRODUCTS) {
    const [focal, moderator] = product.split(':');
    const sd = sampleSd(columns[moderator]);
    for (const [at, w] of [['-1SD', -sd], ['+1SD', sd]] as const) {
      const c = linearContrast(m, { [focal]: 1, [product]: w });
      simpleSlopes.push({ focal, moderator, at, est: c.est, se: c.se, t: c.t, p: c.p });
    }
  }
  const terms = PRODUCTS.map((p) => coefficient(m, p));
  const supported = terms.every((t) => t.est > 0 && t.p < 0.05);
  const reading =
    `In TC on the three levers and their products (n = ${units.length} units, R² = ${num(m.r2)}), ` +
    terms.map((t) => `${t.term.replace(':', ' × ')} b = ${num(t.est)} (${pText(t.p)})`).join(', ') +
    `. H3 is ${supported ? 'supported: every pair of levers is complementary' : 'not supported: not every product is positive with p < .05'}.`;
  return {
    hypothesis: 'H3',
    n: units.length,
    waves: data.waves,
    models: { levers: modelReport(m) },
    simpleSlopes,
    supported,
    reading,
    diagnostics: closedForm(m.diagnostics.warnings),
  };
}

function sampleSd(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}
