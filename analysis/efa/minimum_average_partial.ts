import { symmetricEigen } from './symmetric_eigen.js';

/** Velicer's MAP: the average squared partial correlation after removing m components. */
export interface MinimumAveragePartial {
  /** map[m − 1]: average squared off-diagonal partial correlation after partialling m components. */
  readonly values: number[];
  /** The m with the smallest average (the number of factors MAP suggests). */
  readonly nfactors: number;
}

/**
 * Velicer's (1976, doi:10.1007/BF02293557) minimum average partial test: for m = 1, …, `maxFactors`
 * the first m principal components C_m of R are partialled out, R*_m = R − C_m C_m′ rescaled to unit
 * diagonal, and the mean of its squared off-diagonal elements is recorded; the suggested number of
 * factors is the m with the smallest mean. Matches the `map` of psych::VSS 2.2.9 (which starts at
 * m = 1 and stops at min(n, p − 1)).
 */
export function minimumAveragePartial(r: readonly (readonly number[])[], maxFactors = 8): MinimumAveragePartial {
  const p = r.length;
  const top = Math.min(maxFactors, p - 1);
  const { values, vectors } = symmetricEigen(r);
  const partial = r.map((row) => row.slice());
  const out: number[] = [];
  for (let m = 1; m <= top; m++) {
    const s = Math.sqrt(values[m - 1]);
    for (let i = 0; i < p; i++) {
      const ci = vectors[i * p + m - 1] * s;
      for (let j = 0; j < p; j++) partial[i][j] -= ci * vectors[j * p + m - 1] * s;
    }
    let sum = 0;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        if (i === j) continue;
        const v = partial[i][j] / Math.sqrt(partial[i][i] * partial[j][j]);
        sum += v * v;
      }
    }
    out.push(sum / (p * (p - 1)));
  }
  let best = 0;
  for (let m = 1; m < out.length; m++) if (out[m] < out[best]) best = m;
  return { values: out, nfactors: best + 1 };
}
