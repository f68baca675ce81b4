import { fUpperTail } from '../math/f_distribution.js';
import type { Regression } from './regression.js';

export interface NestedFTest {
  /** R² of the larger model minus R² of the smaller. */
  readonly value: number;
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
}

/**
 * The hierarchical-regression F test of the R² gained by adding predictors (Cohen, Cohen, West &
 * Aiken, 2003, §5.5): F = ((RSS₁ − RSS₂)/(p₂ − p₁)) / (RSS₂/(n − p₂)) on the same rows, as R's
 * `anova(step1, step2)`. The smaller model must be nested in the larger one (the caller's models).
 */
export function nestedFTest(smaller: Regression, larger: Regression): NestedFTest {
  const df1 = smaller.dfResidual - larger.dfResidual;
  const df2 = larger.dfResidual;
  const F = ((smaller.rss - larger.rss) / df1) / (larger.rss / df2);
  return { value: larger.r2 - smaller.r2, F, df1, df2, p: fUpperTail(F, df1, df2) };
}
