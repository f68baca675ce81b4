import { describe, expect, it } from 'vitest';
import { exploratoryFactorAnalysis } from '../../analysis/efa/exploratory_factor_analysis.js';
import { answerValues, MISSING_BYTE } from '../../analysis/data/columns.js';
import { Prng } from '../../analysis/math/random.js';

/** 12 seven-point items on 3 factors, n respondents, as one-byte columns (the reader's compact storage). */
function ratings(n: number, seed: number): Uint8Array[] {
  const rng = new Prng(seed);
  const columns = Array.from({ length: 12 }, () => new Uint8Array(n));
  for (let i = 0; i < n; i++) {
    const f = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < 12; j++) {
      const x = 0.75 * f[j % 3] + 0.6 * rng.normal();
      columns[j][i] = Math.min(7, Math.max(1, Math.round(4 + 1.3 * x)));
    }
  }
  return columns;
}

const items = Array.from({ length: 12 }, (_, j) => `q${j + 1}`);
const widened = (columns: Uint8Array[], n: number) => ({ length: n, columns: columns.map((c) => answerValues(c, n)) });

describe('EFA of one-byte rating columns', () => {
  it('equals the analysis of the same answers as Float64 columns, to the last bit (no missing answers)', () => {
    const columns = ratings(700, 3);
    for (const method of ['minres', 'ml'] as const) {
      const bytes = exploratoryFactorAnalysis({ length: 700, columns }, { items, nfactors: 3, method });
      expect(bytes).toEqual(exploratoryFactorAnalysis(widened(columns, 700), { items, nfactors: 3, method }));
    }
  });

  it('with missing answers, listwise and pairwise, equals the Float64 analysis (the general path)', () => {
    const columns = ratings(600, 5);
    for (let i = 0; i < 600; i += 37) columns[i % 12][i] = MISSING_BYTE;
    for (const missing of ['listwise', 'pairwise'] as const) {
      const bytes = exploratoryFactorAnalysis({ length: 600, columns }, { items, nfactors: 3, missing });
      expect(bytes.n).toBe(missing === 'listwise' ? 600 - 17 : 600);
      expect(bytes).toEqual(exploratoryFactorAnalysis(widened(columns, 600), { items, nfactors: 3, missing }));
    }
  });

  it('an item without variance is an input error naming it, as for Float64 columns', () => {
    const columns = ratings(300, 7);
    columns[4].fill(3);
    const message = /item q5 has no variance in the rows used/;
    expect(() => exploratoryFactorAnalysis({ length: 300, columns }, { items, nfactors: 3 })).toThrow(message);
    expect(() => exploratoryFactorAnalysis(widened(columns, 300), { items, nfactors: 3 })).toThrow(message);
  });
});
