import { createRequire } from 'node:module';

interface CentralF {
  inv(p: number, df1: number, df2: number): number;
}

const { centralF } = createRequire(import.meta.url)('jstat') as { centralF: CentralF };

/**
 * The p-quantile of the F distribution with df1 and df2 degrees of freedom, as R's `qf`
 * (jStat's inverse regularized incomplete beta; agrees with R to about 1e-9 for the
 * degrees of freedom of reliability intervals).
 */
export function fQuantile(p: number, df1: number, df2: number): number {
  return centralF.inv(p, df1, df2);
}
