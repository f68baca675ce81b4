/**
 * Comparative fit index: CFI = 1 − max(χ² − df, 0) / max(χ²_b − df_b, χ² − df, 0), with the
 * baseline (independence) model's χ²_b on df_b (Bentler, 1990, doi:10.1037/0033-2909.107.2.238).
 * Matches lavaan::fitMeasures "cfi" (lav_fit_cfi).
 */
export function cfi(chisq: number, df: number, baselineChisq: number, baselineDf: number): number {
  const t1 = Math.max(chisq - df, 0);
  const t2 = Math.max(baselineChisq - baselineDf, chisq - df, 0);
  if (t1 === 0 && t2 === 0) return 1;
  return 1 - t1 / t2;
}
