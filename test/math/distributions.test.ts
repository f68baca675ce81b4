import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chiSquareDensity,
  chiSquareQuantile,
  chiSquareTails,
  fQuantile,
  fTails,
  noncentralChiSquareCdf,
  normalCdf,
  normalQuantile,
  normalTwoSided,
  normalUpperTail,
  tQuantile,
  tTails,
  tTwoSided,
} from '../../analysis/math/index.js';
import { FIXTURES } from '../helpers/cli.js';

// R 4.2.2's pnorm, qnorm, pchisq, qchisq, pf, qf, pt, qt with 17 digits: test/fixtures/r/distributions.R
const ref = JSON.parse(readFileSync(resolve(FIXTURES, 'r/distributions.json'), 'utf8'));

/** Every listed value within `tol` relative to R's (both 0 counts as equal). */
function expectRelative(rows: any[], tol: number, compute: (r: any) => Record<string, number>) {
  for (const r of rows) {
    for (const [k, got] of Object.entries(compute(r))) {
      const want = r[k] as number;
      const err = got === want ? 0 : Math.abs(got - want) / Math.abs(want);
      expect(err, `${k} at ${JSON.stringify(r)}: got ${got}`).toBeLessThanOrEqual(tol);
    }
  }
}

describe('normal distribution (R: pnorm, qnorm)', () => {
  it('Φ and its upper tail to 5e-15 relative out to |x| = 9, 5e-14 in the far tail', () => {
    const near = ref.pnorm.filter((r: any) => Math.abs(r.x) <= 9);
    expectRelative(near, 5e-15, (r) => ({ lower: normalCdf(r.x), upper: normalUpperTail(r.x) }));
    expectRelative(ref.pnorm, 5e-14, (r) => ({ lower: normalCdf(r.x), upper: normalUpperTail(r.x) }));
  });

  it('Φ⁻¹ to 1e-15 relative', () => {
    expectRelative(ref.qnorm, 1e-15, (r) => ({ q: normalQuantile(r.p) }));
  });

  it('two-sided p-values keep their accuracy where 1 − Φ would lose it', () => {
    expect(normalTwoSided(-9) / (2 * ref.pnorm.find((r: any) => r.x === 9).upper)).toBeCloseTo(1, 14);
    expect(normalTwoSided(1.959963984540054)).toBeCloseTo(0.05, 15);
  });
});

describe('χ² distribution (R: pchisq, qchisq)', () => {
  it('both tails to 1e-13 relative for df from 0.5 to 2500 down to 1e-30, 3e-13 to 1e-276', () => {
    const compute = (r: any) => chiSquareTails(r.x, r.df);
    expectRelative(ref.pchisq.filter((r: any) => r.lower > 1e-30 && r.upper > 1e-30), 1e-13, compute);
    expectRelative(ref.pchisq, 3e-13, compute);
  });

  it('quantiles to 1e-14 relative, p from 1e-10 to 1 − 1e-10', () => {
    expectRelative(ref.qchisq, 1e-14, (r) => ({ q: chiSquareQuantile(r.p, r.df) }));
  });

  it('the density integrates to the distribution function', () => {
    // Simpson's rule of dchisq over [1, 6] for 3 df against P(6) − P(1)
    const n = 2000;
    const h = 5 / n;
    let s = chiSquareDensity(1, 3) + chiSquareDensity(6, 3);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * chiSquareDensity(1 + i * h, 3);
    expect(Math.abs((s * h) / 3 - (chiSquareTails(6, 3).lower - chiSquareTails(1, 3).lower))).toBeLessThan(1e-12);
  });

  it('non-central: P(X ≤ x) to 1e-10 relative (RMSEA intervals)', () => {
    expectRelative(ref.pchisqNcp, 1e-10, (r) => ({ lower: noncentralChiSquareCdf(r.x, r.df, r.ncp) }));
  });
});

describe('F distribution (R: pf, qf)', () => {
  it('both tails to 1e-13 relative down to 1e-30, 3e-13 beyond', () => {
    const compute = (r: any) => fTails(r.f, r.df1, r.df2);
    expectRelative(ref.pf.filter((r: any) => r.lower > 1e-30 && r.upper > 1e-30), 1e-13, compute);
    expectRelative(ref.pf, 3e-13, compute);
  });

  it('quantiles to 1e-13 relative, and where R\'s own qf misses its p the quantile is exact on pf', () => {
    // R 4.2.2's qf is imprecise in the lower tail for small df1 (its qbeta): qf(0.001, 1, 5000) is
    // 1.5709544776e-6, yet pf of it is 0.0010000000766. Where R's quantile misses its own pf by more
    // than 2e-14, ours must be right on pf instead (and near R's).
    const off = (r: any) => Math.abs(r.p - fTails(r.q, r.df1, r.df2).lower) / r.p > 2e-14;
    const rOff = ref.qf.filter(off);
    // (R's own qt agrees with us: qt(0.75, 5000)^2 = 0.45500262017383941, qf(0.5, 1, 5000) = 0.45500262017439397)
    expect(Math.abs(fQuantile(0.5, 1, 5000) / tQuantile(0.75, 5000) ** 2 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(fQuantile(0.5, 1, 5000) / 0.45500262017383941 - 1)).toBeLessThan(1e-14);
    expect(rOff.length).toBeLessThan(ref.qf.length / 3);
    // the closed form of F(1, 2): P(F ≤ f) = √(f/(2 + f)), so the 0.001-quantile is 2e-6/(1 − 1e-6)
    expect(Math.abs(fQuantile(0.001, 1, 2) / (2e-6 / (1 - 1e-6)) - 1)).toBeLessThan(1e-14);
    expectRelative(ref.qf.filter((r: any) => !off(r)), 1e-13, (r) => ({ q: fQuantile(r.p, r.df1, r.df2) }));
    for (const r of rOff) {
      const q = fQuantile(r.p, r.df1, r.df2);
      expect(Math.abs(fTails(q, r.df1, r.df2).lower - r.p) / r.p).toBeLessThan(1e-13);
      expect(Math.abs(q - r.q) / r.q).toBeLessThan(1e-6);
    }
  });
});

describe('t distribution (R: pt, qt)', () => {
  it('both tails to 3e-14 relative up to 100 df, 3e-13 at 10,000 df', () => {
    const compute = (r: any) => tTails(r.t, r.df);
    expectRelative(ref.pt.filter((r: any) => r.df <= 100), 3e-14, compute);
    expectRelative(ref.pt, 3e-13, compute);
  });

  it('quantiles to 1e-14 relative, p from 1e-8 to 0.9995', () => {
    expectRelative(ref.qt, 1e-14, (r) => ({ q: tQuantile(r.p, r.df) }));
  });

  it('two-sided p-values', () => {
    const r = ref.pt.find((x: any) => x.t === -1.96 && x.df === 30);
    expect(tTwoSided(1.96, 30) / (2 * r.lower)).toBeCloseTo(1, 14);
  });
});
