/**
 * Fit indices from a Yuan–Bentler scaled χ² (lavaan 0.6.14's fitMeasures for MLR): the "scaled"
 * ones put T/c and T_b/c_b into the usual formulas; the "robust" ones estimate the population
 * misfit consistently, with T − c·df in place of T − df (Brosseau-Liard, Savalei & Li, 2012,
 * doi:10.1080/00273171.2012.715252; Brosseau-Liard & Savalei, 2014, doi:10.1080/00273171.2014.933697):
 * CFI = 1 − max(T − c·df, 0)/max(T_b − c_b·df_b, T − c·df, 0),
 * TLI = 1 − [(T − c·df)/df]/[(T_b − c_b·df_b)/df_b], RMSEA = √(max(T − c·df, 0)/(N·df))·√G.
 */
export function robustFitIndices(
  chisq: number,
  df: number,
  c: number,
  baseChisq: number,
  baseDf: number,
  cb: number,
  n: number,
  groups: number,
): { cfiScaled: number; tliScaled: number; rmseaScaled: number; cfiRobust: number; tliRobust: number; rmseaRobust: number } {
  const ts = chisq / c;
  const tbs = baseChisq / cb;
  const cfi = (t: number, d: number, tb: number, db: number) => {
    const den = Math.max(tb - db, t - d, 0);
    return den === 0 ? 1 : 1 - Math.max(t - d, 0) / den;
  };
  const tli = (t: number, d: number, tb: number, db: number) => (tb / db - t / d) / (tb / db - 1);
  const rmsea = (excess: number) => Math.sqrt(Math.max(excess, 0) / (n * df)) * Math.sqrt(groups);
  return {
    cfiScaled: cfi(ts, df, tbs, baseDf),
    tliScaled: tli(ts, df, tbs, baseDf),
    rmseaScaled: rmsea(ts - df),
    cfiRobust: cfi(chisq - c * df + df, df, baseChisq - cb * baseDf + baseDf, baseDf),
    tliRobust: 1 - (chisq - c * df) / df / ((baseChisq - cb * baseDf) / baseDf),
    rmseaRobust: rmsea(chisq - c * df),
  };
}
