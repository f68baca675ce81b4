import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jStat } = require('jstat') as { jStat: { lowRegGamma(a: number, x: number): number } };

/**
 * Upper-tail probability of the chi-square distribution, P(χ²(df) > x) = 1 − P(df/2, x/2) with P
 * the regularized lower incomplete gamma function. Matches R's `pchisq(x, df, lower.tail = FALSE)`
 * to about 1e-12 absolute (tiny p-values lose relative precision).
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return Math.max(0, 1 - jStat.lowRegGamma(df / 2, x / 2));
}
