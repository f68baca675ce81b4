/**
 * Log-likelihood of the model and the information criteria built on it:
 * logL = logL_h1 − χ²/2 (the saturated model's log-likelihood less half the likelihood-ratio
 * statistic), AIC = −2 logL + 2q (Akaike, 1974, doi:10.1109/TAC.1974.1100705),
 * BIC = −2 logL + q ln N (Schwarz, 1978, doi:10.1214/aos/1176344136) for q free parameters.
 * Matches lavaan::fitMeasures "logl", "aic", "bic".
 */
export function informationCriteria(saturatedLogl: number, chisq: number, nFree: number, n: number): { logl: number; aic: number; bic: number } {
  const logl = saturatedLogl - chisq / 2;
  return { logl, aic: -2 * logl + 2 * nFree, bic: -2 * logl + nFree * Math.log(n) };
}
