import { normalCdf } from '../math/normal_distribution.js';

/** The Sobel test of an indirect effect a·b. */
export interface SobelTest {
  readonly est: number;
  readonly se: number;
  readonly z: number;
  /** Two-sided, from the standard normal. */
  readonly p: number;
}

/**
 * Sobel's (1982, doi:10.2307/270723) first-order delta-method test of an indirect effect a·b:
 * SE = √(a²·se_b² + b²·se_a²), z = a·b / SE, p = 2Φ(−|z|). The product is not normal in small
 * samples, which is why the percentile bootstrap decides the hypothesis; Sobel is reported
 * alongside, as PROCESS and `mediation` report it.
 */
export function sobelTest(a: number, seA: number, b: number, seB: number): SobelTest {
  const est = a * b;
  const se = Math.sqrt(a * a * seB * seB + b * b * seA * seA);
  const z = est / se;
  return { est, se, z, p: 2 * normalCdf(-Math.abs(z)) };
}
