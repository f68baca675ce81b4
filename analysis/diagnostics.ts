/**
 * What every analysis result reports about its own numerics: whether an iterative
 * step converged, how many iterations it took, and warnings such as Heywood cases,
 * smoothed non-positive-definite matrices or dropped items.
 */
export interface Diagnostics {
  readonly converged: boolean;
  readonly iterations: number;
  readonly warnings: readonly string[];
}

/** Diagnostics of a closed-form computation, with optional warnings. */
export function closedForm(warnings: readonly string[] = []): Diagnostics {
  return { converged: true, iterations: 0, warnings };
}
