import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { jStat } = require('jstat') as { jStat: { ibeta(x: number, a: number, b: number): number } };

/**
 * Upper-tail probability of Snedecor's F distribution, P(F(df1, df2) > f), computed as the
 * regularized incomplete beta I_{df2/(df2 + df1·f)}(df2/2, df1/2) so that small p-values keep
 * their precision. Matches R's `pf(f, df1, df2, lower.tail = FALSE)`.
 */
export function fUpperTail(f: number, df1: number, df2: number): number {
  if (!(df1 > 0) || !(df2 > 0) || Number.isNaN(f)) return NaN;
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return jStat.ibeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
}
