import type { ItemRetention } from '../efa/item_retention.js';

/** An item's retention verdict after the guard against improper (Heywood) estimates. */
export interface GuardedRetention extends ItemRetention {
  /** True when a loading or the communality lies beyond ±1. */
  readonly heywood: boolean;
}

/**
 * The guards a published EFA passes before a scale developer sees it (issue 10, "small samples
 * are said, not computed"):
 * - an item with a loading beyond ±1 or a communality above 1 (a Heywood case: an improper
 *   solution, Dillon, Kumar & Mulani, 1987, doi:10.1037/0033-2909.101.1.126) is never marked
 *   keep: a keep becomes revise, with the reason said first;
 * - Bartlett's χ² = −(n − 1 − (2p + 5)/6)·ln|R| is negative only when n − 1 < (2p + 5)/6 or the
 *   correlation matrix was smoothed (|R| > 1); it is then no test, so it is not reported (null)
 *   and a warning says why.
 */
export function guardEfa(
  loadings: Readonly<Record<string, readonly number[]>>,
  retention: readonly ItemRetention[],
  bartlett: { readonly chisq: number; readonly df: number; readonly p: number },
): { retention: GuardedRetention[]; bartlett: { chisq: number; df: number; p: number } | null; warnings: string[] } {
  const guarded = retention.map((r) => {
    const heywood = (loadings[r.item] ?? []).some((l) => Math.abs(l) > 1) || r.communality > 1;
    return {
      ...r,
      heywood,
      verdict: heywood && r.verdict === 'keep' ? ('revise' as const) : r.verdict,
      reason: heywood ? `Heywood case: a loading or the communality lies beyond ±1, so the estimate is improper; ${r.reason}` : r.reason,
    };
  });
  const negative = !(bartlett.chisq >= 0);
  return {
    retention: guarded,
    bartlett: negative ? null : { ...bartlett },
    warnings: negative ? ['Bartlett\'s χ² came out negative (the sample is too small for the number of items), so the test is not reported.'] : [],
  };
}
