import { noncentralChiSquareCdf as pchisq } from '../math/noncentral_chi_square.js';
import { bisect } from './bisect.js';

/**
 * Root mean square error of approximation, RMSEA = √G · √max((χ²/N)/df − 1/N, 0) for G groups
 * and N observations (Steiger & Lind, 1980; Browne & Cudeck, 1993), with its 90% interval from
 * the non-centrality λ at which the non-central χ²(df, λ) puts χ² at its 95th (lower bound) and
 * 5th (upper bound) percentile: bound = √G · √(λ/(N·df)). Matches lavaan::fitMeasures "rmsea",
 * "rmsea.ci.lower", "rmsea.ci.upper" (lav_fit_rmsea, lav_fit_rmsea_ci; MacCallum, Browne &
 * Sugawara, 1996, doi:10.1037/1082-989X.1.2.130). A robust RMSEA (lavaan's "rmsea.robust") passes
 * the scaling factor ĉ: √G · √max((χ²/N)/df − ĉ/N, 0), bounds √G · √(ĉλ/(N·df)) (Savalei, 2018,
 * doi:10.1080/10705511.2017.1366321).
 */
export function rmsea(chisq: number, df: number, n: number, groups = 1, cHat = 1): { rmsea: number; lower: number; upper: number } {
  if (df <= 0) return { rmsea: 0, lower: 0, upper: 0 };
  const g = Math.sqrt(groups);
  const point = Math.sqrt(Math.max(chisq / n / df - cHat / n, 0)) * g;
  const level = 0.9;
  const upperPerc = 1 - (1 - level) / 2;
  const lowerPerc = (1 - level) / 2;
  const lowerFn = (lam: number) => pchisq(chisq, df, lam) - upperPerc;
  const upperFn = (lam: number) => pchisq(chisq, df, lam) - lowerPerc;
  let lower = 0;
  if (lowerFn(0) >= 0) {
    const lam = bisect(lowerFn, 0, chisq);
    lower = Math.sqrt((cHat * lam) / (n * df)) * g;
  }
  let upper = 0;
  const nr = Math.max(n, chisq * 4);
  if (!(upperFn(nr) > 0 || upperFn(0) < 0)) {
    const lam = bisect(upperFn, 0, nr);
    upper = Math.sqrt((cHat * lam) / (n * df)) * g;
  }
  return { rmsea: point, lower, upper };
}
