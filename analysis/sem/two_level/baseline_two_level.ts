import { exogenousObserved, type ParameterRow, type ParameterTable } from '../parameter_table.js';
import type { TwoLevelMoments } from './two_level_loglik.js';
import type { TwoLevelStructure } from './two_level_objective.js';
import type { TwoLevelTable } from './two_level_table.js';

/**
 * The independence (baseline) model of a two-level model, as lavaan builds it for CFI and TLI
 * (lavaan 0.6.14, lav_partable_independence with two levels): at each level the variances of
 * that level's observed variables free and no covariances; means free at level 2 and, at
 * level 1, only for within-only variables; fixed covariates keep their variances, covariances
 * and means, at the saturated model's values (`h1`).
 */
export function baselineTwoLevelTable(model: TwoLevelTable, h1: TwoLevelMoments, structure: TwoLevelStructure): TwoLevelTable {
  const { pz, py } = structure;
  const pv = pz + py;
  let nFree = 0;
  const level = (t: ParameterTable, l: 0 | 1): ParameterTable => {
    const xs = exogenousObserved(t);
    const rows: ParameterRow[] = [];
    const pos = (v: string) => (l === 0 ? t.observed.indexOf(v) : structure.betweenPosition[t.observed.indexOf(v)]);
    const cov = (a: string, b: string) => (l === 0 ? h1.sigmaW[pos(a) * py + pos(b)] : h1.sigmaB[pos(a) * pv + pos(b)]);
    const mean = (v: string) => (l === 0 ? h1.muY[pos(v)] : pos(v) < pz ? h1.muZ[pos(v)] : NaN);
    const row = (lhs: string, op: '~~' | '~1', rhs: string, fixed: number | null): ParameterRow => ({
      lhs,
      op,
      rhs,
      group: 0,
      free: fixed === null ? ++nFree : 0,
      value: fixed === null ? NaN : fixed,
      start: NaN,
      label: '',
      user: false,
      exo: false,
    });
    for (const v of t.observed) rows.push(row(v, '~~', v, xs.includes(v) ? cov(v, v) : null));
    for (let a = 0; a < xs.length; a++) for (let b = a + 1; b < xs.length; b++) rows.push(row(xs[a], '~~', xs[b], cov(xs[a], xs[b])));
    for (const v of t.observed) {
      if (xs.includes(v)) rows.push(row(v, '~1', '', mean(v)));
      else if (l === 1 || model.withinOnly.includes(v)) rows.push(row(v, '~1', '', null));
      else rows.push(row(v, '~1', '', 0));
    }
    return { ...t, rows, latent: [], defined: [], nFree: 0 };
  };
  const l1 = level(model.levels[0], 0);
  const l2 = level(model.levels[1], 1);
  return { ...model, levels: [{ ...l1, nFree }, { ...l2, nFree }], nFree };
}
