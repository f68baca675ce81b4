import { describe, expect, it } from 'vitest';
import {
  bootstrapInterval,
  centreRows,
  covariance,
  omegaFromLoadings,
  oneFactorOmega,
  quantileType7,
  resampledCovariance,
  scaleReliability,
  seededUniform,
} from '../../analysis/index.js';

/** The mean of the values drawn as a resample's counts say. */
function resampledMean(values: readonly number[]) {
  return (counts: Uint32Array) => {
    let s = 0;
    let k = 0;
    for (let i = 0; i < values.length; i++) {
      s += counts[i] * values[i];
      k += counts[i];
    }
    return s / k;
  };
}
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES } from '../helpers/cli.js';
import { OPTIMISER, caseData, caseOptions, expectNear, referenceCases } from './references.js';

// The same resamples refitted with lavaan: test/fixtures/r/reliability-bootstrap.R
const bootReference = JSON.parse(readFileSync(resolve(FIXTURES, 'r/reliability-bootstrap.json'), 'utf8'));

describe('omega total equals lavaan one-factor ML (test/fixtures/r/reliability-references.R)', () => {
  for (const c of referenceCases.filter((x) => x.expected.omegaTotal !== undefined)) {
    it(c.name, () => {
      const r = scaleReliability(caseData(c), { ...caseOptions(c), bootstrap: 0 });
      expectNear(r.omegaTotal, c.expected.omegaTotal!, OPTIMISER, `${c.name} omegaTotal`);
      expect(r.omegaTotalCi).toBeUndefined();
      // loadings and residual variances, the factor's sign aligned with lavaan's
      const loadings = c.items.map((it) => r.omegaModel!.loadings[it]);
      const want = c.expected.omegaLoadings!;
      const sign = Math.sign(loadings.reduce((s, v, j) => s + v * want[j], 0));
      for (const [j, it] of c.items.entries()) {
        expectNear(sign * loadings[j], want[j], OPTIMISER, `${c.name} loading ${it}`);
        expectNear(
          r.omegaModel!.residualVariances[it],
          c.expected.omegaResidualVariances![j],
          OPTIMISER,
          `${c.name} residual variance ${it}`,
        );
      }
    });
  }

  it('is left out under pairwise deletion', () => {
    const c = referenceCases.find((x) => x.missing === 'pairwise')!;
    const r = scaleReliability(caseData(c), caseOptions(c));
    expect(r.omegaTotal).toBeUndefined();
    expect(r.omegaTotalCi).toBeUndefined();
  });
});

describe('one-factor omega: invariants and recovery', () => {
  it('omegaFromLoadings is the common share of the sum score variance', () => {
    expect(omegaFromLoadings([1, 1], [1, 1])).toBeCloseTo(4 / 6, 12);
  });

  it('equals alpha for parallel items and recovers the loadings of an exact one-factor covariance matrix', () => {
    const lambda = [0.9, 1.4, 0.6, 1.1, 0.8];
    const theta = [0.5, 0.8, 0.4, 0.9, 0.3];
    const cov = lambda.map((a, i) => lambda.map((b, j) => a * b + (i === j ? theta[i] : 0)));
    const fit = oneFactorOmega(cov);
    expect(fit.diagnostics.converged).toBe(true);
    for (const [j, l] of lambda.entries()) {
      expect(Math.abs(fit.loadings[j] - l)).toBeLessThan(1e-4);
      expect(Math.abs(fit.residualVariances[j] - theta[j])).toBeLessThan(1e-4);
    }
    expect(Math.abs(fit.omegaTotal - omegaFromLoadings(lambda, theta))).toBeLessThan(1e-5);
  });

  it('reports a Heywood case (lavaan would give a negative residual variance here) in diagnostics', () => {
    // λ_a² = r_ab r_ac / r_bc = 1.28 > 1: no proper one-factor solution exists
    const fit = oneFactorOmega([
      [1, 0.8, 0.8],
      [0.8, 1, 0.5],
      [0.8, 0.5, 1],
    ]);
    expect(fit.diagnostics.warnings.join(' ')).toMatch(/Heywood/);
    expect(fit.residualVariances[0]).toBeLessThan(0.01);
  });

  it('recovers the population omega from simulated congeneric data, and its bootstrap interval covers it', () => {
    const lambda = [0.8, 0.6, 0.9, 0.5, 0.7, 0.65];
    const theta = [0.6, 0.7, 0.4, 0.9, 0.5, 0.55];
    const truth = omegaFromLoadings(lambda, theta);
    const random = seededUniform(42);
    const normal = () => {
      const u = Math.max(random(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    };
    const data = Array.from({ length: 3000 }, () => {
      const f = normal();
      return lambda.map((l, j) => 3 + l * f + Math.sqrt(theta[j]) * normal());
    });
    const items = lambda.map((_, j) => `y${j + 1}`);
    const r = scaleReliability(data, { items, bootstrap: 300, seed: 7 });
    expect(Math.abs(r.omegaTotal! - truth)).toBeLessThan(0.01);
    expect(r.omegaTotalCi!.lower).toBeLessThan(truth);
    expect(r.omegaTotalCi!.upper).toBeGreaterThan(truth);
    expect(r.omegaTotalCi!.upper - r.omegaTotalCi!.lower).toBeLessThan(0.03);
    // congeneric (unequal loadings): alpha is a lower bound to omega
    expect(r.alpha).toBeLessThan(r.omegaTotal!);
  });
});

describe('omega bootstrap equals lavaan refitted on the same resamples (test/fixtures/r/reliability-bootstrap.R)', () => {
  it('seededUniform is the stream the R script re-implements', () => {
    const u = seededUniform(1);
    for (const [i, want] of bootReference.uniformsSeed1.entries()) expectNear(u(), want, 1e-15, `uniform ${i + 1}`);
  });

  it('bfi agreeableness, 200 resamples, seed 5', () => {
    const c = bootReference.case;
    const r = scaleReliability(caseData(c), { items: c.items, reverse: c.reverse, bootstrap: c.replicates, seed: c.seed, level: c.level });
    expect(r.n).toBe(c.n);
    expectNear(r.omegaTotal, c.omegaTotal, OPTIMISER, 'omegaTotal');
    expect(r.omegaTotalCi!.valid).toBe(c.replicates);
    expectNear(r.omegaTotalCi!.lower, c.lower, OPTIMISER, 'bootstrap lower limit');
    expectNear(r.omegaTotalCi!.upper, c.upper, OPTIMISER, 'bootstrap upper limit');
  });
});

describe('seeded percentile bootstrap', () => {
  it('is reproducible for a seed and changes with the seed', () => {
    const rows = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 10 + i / 20);
    const mean = (s: number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const a = bootstrapInterval(rows.length, resampledMean(rows), { replicates: 400, seed: 3 });
    const b = bootstrapInterval(rows.length, resampledMean(rows), { replicates: 400, seed: 3 });
    const c = bootstrapInterval(rows.length, resampledMean(rows), { replicates: 400, seed: 4 });
    expect(b).toEqual(a);
    expect(c.lower).not.toBe(a.lower);
    expect(a.lower).toBeLessThan(mean(rows));
    expect(a.upper).toBeGreaterThan(mean(rows));
  });

  it('brackets the mean like the normal-theory interval on a large sample', () => {
    const random = seededUniform(11);
    const rows = Array.from({ length: 400 }, () => random());
    const mean = (s: number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const m = mean(rows);
    const sd = Math.sqrt(rows.reduce((s, v) => s + (v - m) ** 2, 0) / (rows.length - 1));
    const se = sd / Math.sqrt(rows.length);
    const ci = bootstrapInterval(rows.length, resampledMean(rows), { replicates: 2000, seed: 5 });
    expect(Math.abs(ci.lower - (m - 1.96 * se))).toBeLessThan(0.25 * se);
    expect(Math.abs(ci.upper - (m + 1.96 * se))).toBeLessThan(0.25 * se);
  });

  it('leaves out resamples whose statistic is not finite and says how many were valid', () => {
    // NaN whenever row 0 was drawn
    const ci = bootstrapInterval(4, (counts) => (counts[0] > 0 ? NaN : 1), { replicates: 100, seed: 2 });
    expect(ci.valid).toBeLessThan(100);
    expect(ci.valid).toBeGreaterThan(0);
  });

  it('resampledCovariance equals the N-divisor covariance of the rows drawn', () => {
    const random = seededUniform(8);
    const data = Array.from({ length: 50 }, () => [random() * 5, random() * 3 + 2, random()]);
    const counts = new Uint32Array(50);
    for (let i = 0; i < 50; i++) counts[Math.floor(random() * 50)]++;
    const drawn = data.flatMap((row, i) => Array.from({ length: counts[i] }, () => row));
    const want = covariance(drawn, { divisor: 'n' }).cov;
    const got = resampledCovariance(centreRows(data), counts);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(got[a][b]).toBeCloseTo(want[a][b], 12);
  });

  it('quantileType7 matches R quantile(type = 7)', () => {
    // R: quantile(c(1, 2, 4, 8, 16), c(0.025, 0.5, 0.975)) = 1.1, 4, 15.2
    const s = [1, 2, 4, 8, 16];
    expect(quantileType7(s, 0.025)).toBeCloseTo(1.1, 12);
    expect(quantileType7(s, 0.5)).toBeCloseTo(4, 12);
    expect(quantileType7(s, 0.975)).toBeCloseTo(15.2, 12);
  });

  it('seededUniform stays in [0, 1)', () => {
    const u = seededUniform(0);
    for (let i = 0; i < 10000; i++) {
      const v = u();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});
