/** Root of a monotone function on [lo, hi] by bisection (tolerance on the argument). */
export function bisect(f: (v: number) => number, lo: number, hi: number, tol = 1e-10): number {
  let flo = f(lo);
  for (let i = 0; i < 200 && hi - lo > tol * Math.max(1, Math.abs(lo)); i++) {
    const mid = 0.5 * (lo + hi);
    const fm = f(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid;
      flo = fm;
    } else hi = mid;
  }
  return 0.5 * (lo + hi);
}
