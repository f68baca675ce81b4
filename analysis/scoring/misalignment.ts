import type { DimensionName } from '../sei_model.js';

/**
 * The misalignment M of a unit-wave: the standard deviation (n − 1 divisor) of its three
 * baseline-standardized dimension scores, M = SD(z_S, z_R, z_T) (shared/DESIGN.md; CONTRACT
 * `score` step 5). NaN when any z is missing.
 */
export function misalignment(z: readonly [number, number, number]): number {
  const m = (z[0] + z[1] + z[2]) / 3;
  return Math.sqrt(((z[0] - m) ** 2 + (z[1] - m) ** 2 + (z[2] - m) ** 2) / 2);
}

/** The dominant dimension: the one with the largest z (the first on ties); null when none is observed. */
export function dominantDimension(names: readonly DimensionName[], z: readonly number[]): DimensionName | null {
  let best = -1;
  for (let i = 0; i < z.length; i++) if (!Number.isNaN(z[i]) && (best < 0 || z[i] > z[best])) best = i;
  return best < 0 ? null : names[best];
}
