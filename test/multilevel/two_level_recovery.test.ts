import { describe, expect, it } from 'vitest';
import { fitTwoLevel, Prng, type TwoLevelData } from '../../analysis/index.js';

// Parameter recovery: data drawn from a known two-level one-factor model (unbalanced clusters);
// the 95% Wald intervals (estimate ± 1.96·SE from the observed information) must cover the
// population values in at least 90% of 50 seeds, pooled over each level's free loadings and
// factor variance (6 + 6 + … intervals per seed).
const WITHIN = { loadings: [1, 0.8, 1.2, 0.9], psi: 1, theta: [0.5, 0.6, 0.4, 0.5] };
const BETWEEN = { loadings: [1, 0.7, 1.1, 0.9], psi: 0.4, theta: [0.1, 0.08, 0.12, 0.1], means: [3, 3.5, 2.8, 3.2] };
const ITEMS = ['i1', 'i2', 'i3', 'i4'];
const MODEL = `
level: 1
  fw =~ i1 + i2 + i3 + i4
level: 2
  fb =~ i1 + i2 + i3 + i4
`;

function simulate(seed: number, clusters = 80): TwoLevelData {
  const rng = new Prng(seed);
  const rows: number[][] = [];
  const labels: string[] = [];
  for (let c = 0; c < clusters; c++) {
    const size = 5 + rng.int(6); // 5 … 10
    const fb = Math.sqrt(BETWEEN.psi) * rng.normal();
    const ub = ITEMS.map((_, k) => BETWEEN.means[k] + BETWEEN.loadings[k] * fb + Math.sqrt(BETWEEN.theta[k]) * rng.normal());
    for (let i = 0; i < size; i++) {
      const fw = Math.sqrt(WITHIN.psi) * rng.normal();
      rows.push(ITEMS.map((_, k) => ub[k] + WITHIN.loadings[k] * fw + Math.sqrt(WITHIN.theta[k]) * rng.normal()));
      labels.push(`u${c}`);
    }
  }
  return { columns: ITEMS, rows, clusters: labels };
}

describe('two-level CFA recovers known within and between loadings', () => {
  it('95% intervals cover the truth in ≥ 90% of 50 seeds at each level', () => {
    const truth = new Map<string, number>();
    ITEMS.forEach((item, k) => {
      if (k > 0) truth.set(`fw=~${item}|1`, WITHIN.loadings[k]);
      if (k > 0) truth.set(`fb=~${item}|2`, BETWEEN.loadings[k]);
    });
    truth.set('fw~~fw|1', WITHIN.psi);
    truth.set('fb~~fb|2', BETWEEN.psi);
    const covered = { 1: 0, 2: 0 };
    const total = { 1: 0, 2: 0 };
    let converged = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const fit = fitTwoLevel(simulate(seed), MODEL);
      if (fit.converged) converged++;
      for (const e of fit.estimates) {
        const t = truth.get(`${e.lhs}${e.op}${e.rhs}|${e.level}`);
        if (t === undefined) continue;
        total[e.level]++;
        if (Math.abs(e.est - t) <= 1.959964 * e.se) covered[e.level]++;
      }
    }
    expect(converged).toBe(50);
    expect(total[1]).toBe(200);
    expect(total[2]).toBe(200);
    expect(covered[1] / total[1], `within coverage ${covered[1]}/${total[1]}`).toBeGreaterThanOrEqual(0.9);
    expect(covered[2] / total[2], `between coverage ${covered[2]}/${total[2]}`).toBeGreaterThanOrEqual(0.9);
  }, 240_000);
});
