/**
 * Tucker–Lewis index (non-normed fit index): TLI = (χ²_b/df_b − χ²/df) / (χ²_b/df_b − 1)
 * (Tucker & Lewis, 1973, doi:10.1007/BF02291170). Matches lavaan::fitMeasures "tli"
 * (lav_fit_nnfi); 1 when the model has no degrees of freedom.
 */
export function tli(chisq: number, df: number, baselineChisq: number, baselineDf: number): number {
  if (df <= 0) return 1;
  const b = baselineChisq / baselineDf;
  return (b - chisq / df) / (b - 1);
}
