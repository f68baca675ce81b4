import { inverse, multiply, multiplyTransposeB } from './dense.js';
import type { GroupMatrices } from './model_matrices.js';

/**
 * Model-implied moments of one group and the pieces their derivatives need:
 * A = (I−B)⁻¹, M = AΨAᵀ (total latent covariance), ΛA, ΛM, Aα,
 * Σ = ΛMΛᵀ + Θ and μ = ν + ΛAα.
 */
export interface ImpliedMoments {
  readonly sigma: Float64Array;
  readonly mu: Float64Array;
  readonly a: Float64Array;
  readonly latentCov: Float64Array;
  readonly lambdaA: Float64Array;
  readonly lambdaM: Float64Array;
  readonly aAlpha: Float64Array;
}

/**
 * Σ(θ) and μ(θ) of the LISREL all-y model (Jöreskog & Sörbom; lavaan's
 * computeSigmaHat/computeMuHat): Σ = Λ(I−B)⁻¹Ψ(I−B)⁻ᵀΛᵀ + Θ, μ = ν + Λ(I−B)⁻¹α.
 * Null when I − B is singular (a non-recursive model at an impossible point).
 */
export function impliedMoments(mats: GroupMatrices, p: number, m: number): ImpliedMoments | null {
  let a: Float64Array;
  let recursiveFree = true;
  for (let i = 0; i < m * m; i++) if (mats.beta[i] !== 0) recursiveFree = false;
  if (recursiveFree) {
    a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) a[i * m + i] = 1;
  } else {
    const iMinusB = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) iMinusB[i * m + j] = (i === j ? 1 : 0) - mats.beta[i * m + j];
    const inv = inverse(iMinusB, m);
    if (!inv) return null;
    a = inv;
  }
  const aPsi = multiply(a, mats.psi, m, m, m);
  const latentCov = multiplyTransposeB(aPsi, a, m, m, m);
  const lambdaA = multiply(mats.lambda, a, p, m, m);
  const lambdaM = multiply(mats.lambda, latentCov, p, m, m);
  const sigma = multiplyTransposeB(lambdaM, mats.lambda, p, m, p);
  for (let i = 0; i < p * p; i++) sigma[i] += mats.theta[i];
  // symmetrise against rounding
  for (let i = 0; i < p; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (sigma[i * p + j] + sigma[j * p + i]);
      sigma[i * p + j] = v;
      sigma[j * p + i] = v;
    }
  const aAlpha = multiply(a, mats.alpha, m, m, 1);
  const mu = multiply(mats.lambda, aAlpha, p, m, 1);
  for (let i = 0; i < p; i++) mu[i] += mats.nu[i];
  return { sigma, mu, a, latentCov, lambdaA, lambdaM, aAlpha };
}
