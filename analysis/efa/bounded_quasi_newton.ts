/**
 * Minimises a smooth function subject to box constraints lower ≤ x ≤ upper with a projected
 * limited-memory BFGS method: the two-loop recursion (Nocedal, 1980, doi:10.1090/S0025-5718-1980-0572855-7)
 * on the variables that are not held at a bound, and an Armijo backtracking search along the
 * projected path (Bertsekas, 1982, doi:10.1137/0320018). It plays the role of R's
 * `optim(method = "L-BFGS-B")` that psych::fa uses for minres and maximum likelihood, but converges
 * to a tighter tolerance (projected gradient norm), so its answer is the optimum R approaches.
 */
export interface BoundedMinimum {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest absolute projected-gradient component at the end. */
  readonly gradientNorm: number;
}

/** Objective: returns f(x) and writes ∂f/∂x into `gradient`. */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export function minimizeWithinBounds(
  objective: ObjectiveWithGradient,
  start: readonly number[],
  lower: number,
  upper: number,
  { maxIterations = 1000, memory = 10, gradientTolerance = 1e-8, relativeTolerance = 1e-15 } = {},
): BoundedMinimum {
  const n = start.length;
  const clamp = (v: number) => (v < lower ? lower : v > upper ? upper : v);
  let x = Float64Array.from(start, clamp);
  let g = new Float64Array(n);
  let f = objective(x, g);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  let pgNorm = projectedGradientNorm(x, g, lower, upper);
  let stalls = 0;

  while (iterations < maxIterations) {
    if (pgNorm <= gradientTolerance) {
      converged = true;
      break;
    }
    iterations++;
    // free variables: not at a bound with the gradient pushing outward
    let allFree = true;
    for (let i = 0; i < n; i++) {
      free[i] = (x[i] <= lower && g[i] > 0) || (x[i] >= upper && g[i] < 0) ? 0 : 1;
      if (free[i] === 0) allFree = false;
    }
    // two-loop recursion on the free subspace (with every variable free, the same loops without the test)
    for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
    const m = sList.length;
    for (let k = m - 1; k >= 0; k--) {
      let a = 0;
      const s = sList[k];
      if (allFree) for (let i = 0; i < n; i++) a += s[i] * d[i];
      else for (let i = 0; i < n; i++) if (free[i]) a += s[i] * d[i];
      a *= rhoList[k];
      alpha[k] = a;
      const y = yList[k];
      if (allFree) for (let i = 0; i < n; i++) d[i] -= a * y[i];
      else for (let i = 0; i < n; i++) if (free[i]) d[i] -= a * y[i];
    }
    if (m > 0) {
      const s = sList[m - 1];
      const y = yList[m - 1];
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += s[i] * y[i];
        yy += y[i] * y[i];
      }
      const gamma = sy / yy;
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      // first step: move at most 0.1 in any coordinate
      let gmax = 0;
      for (let i = 0; i < n; i++) if (free[i]) gmax = Math.max(gmax, Math.abs(d[i]));
      const scale = gmax > 0 ? Math.min(1, 0.1 / gmax) : 1;
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let k = 0; k < m; k++) {
      let b = 0;
      const y = yList[k];
      if (allFree) for (let i = 0; i < n; i++) b += y[i] * d[i];
      else for (let i = 0; i < n; i++) if (free[i]) b += y[i] * d[i];
      b *= rhoList[k];
      const s = sList[k];
      const c = alpha[k] - b;
      if (allFree) for (let i = 0; i < n; i++) d[i] += s[i] * c;
      else for (let i = 0; i < n; i++) if (free[i]) d[i] += s[i] * c;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * d[i];
    if (!(slope < 0)) {
      // not a descent direction: restart from steepest descent
      sList.length = yList.length = rhoList.length = 0;
      let gmax = 0;
      for (let i = 0; i < n; i++) if (free[i]) gmax = Math.max(gmax, Math.abs(g[i]));
      const scale = gmax > 0 ? Math.min(1, 0.1 / gmax) : 1;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i] * scale : 0;
    }
    // projected backtracking (Armijo) line search
    let t = 1;
    let fNew = Infinity;
    let accepted = false;
    for (let trial = 0; trial < 60; trial++) {
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i] + t * d[i];
        const xi = v < lower ? lower : v > upper ? upper : v; // clamp, inline
        xNew[i] = xi;
        decrease += g[i] * (xi - x[i]);
      }
      fNew = objective(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      t *= trial === 0 ? 0.1 : 0.5;
    }
    if (!accepted) {
      if (sList.length === 0) break; // no progress even along steepest descent
      sList.length = yList.length = rhoList.length = 0;
      continue;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
      yy += y[i] * y[i];
    }
    if (sy > 1e-12 * yy && sy > 0) {
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
      if (sList.length > memory) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    pgNorm = projectedGradientNorm(x, g, lower, upper);
    // f no longer changes in its last digits: the gradient is below what f can resolve
    if (fOld - f <= relativeTolerance * Math.max(Math.abs(f), Math.abs(fOld), 1e-300)) {
      stalls++;
      if (stalls >= 2 || pgNorm <= 100 * gradientTolerance) {
        converged = pgNorm <= Math.sqrt(gradientTolerance);
        break;
      }
    } else stalls = 0;
  }
  if (pgNorm <= gradientTolerance) converged = true;
  return { x, value: f, iterations, converged, gradientNorm: pgNorm };
}

function projectedGradientNorm(x: Float64Array, g: Float64Array, lower: number, upper: number): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    let gi = g[i];
    if (x[i] <= lower && gi > 0) gi = 0;
    if (x[i] >= upper && gi < 0) gi = 0;
    // m = max(m, |gi|) as Math.max and Math.abs give it (a NaN stays), without their two calls per entry
    const a = gi < 0 ? -gi : gi;
    if (a > m || a !== a) m = a;
  }
  return m;
}
