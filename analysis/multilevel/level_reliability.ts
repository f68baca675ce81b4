import { oneWayIcc } from '../agreement/icc.js';
import type { Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import type { TwoLevelData, TwoLevelResult } from '../sem/two_level/fit_two_level.js';
import type { LevelEvaluation } from '../sem/two_level/two_level_objective.js';
import type { ModelStructure } from '../sem/model_matrices.js';

/** A scored composite: the mean of its items, reverse-keyed ones turned around. */
export interface Composite {
  readonly name: string;
  readonly items: readonly string[];
  /** Items scored as scaleMin + scaleMax − x (their loadings count with a minus sign). */
  readonly reverse?: readonly string[];
}

/** Level-specific reliability of one composite. */
export interface CompositeReliability {
  readonly name: string;
  readonly items: readonly string[];
  /** ω at level 1: the reliability of the composite's within-unit differences between people. */
  readonly omegaWithin: number;
  /** ω at level 2: the reliability of the composite's unit-level (latent mean) differences. */
  readonly omegaBetween: number;
  /** ICC(2) of the composite score, (MSB − MSW)/MSB: the reliability of observed unit means. */
  readonly icc2: number;
  /** ICC(1) of the composite score. */
  readonly icc1: number;
  /** Respondents and units behind the ICCs. */
  readonly n: number;
  readonly units: number;
}

export interface LevelReliability {
  readonly composites: readonly CompositeReliability[];
  readonly diagnostics: Diagnostics;
}

/**
 * Level-specific ω of composites from a two-level CFA (Geldhof, Preacher & Zyphur, 2014,
 * doi:10.1037/a0032138, eqs. 9–10): at each level ℓ, for the composite's keyed weights s
 * (+1, or −1 for reverse-keyed items),
 *   ω_ℓ = sᵀΛ_ℓΨ_ℓΛ_ℓᵀs / sᵀΣ_ℓs,  Σ_ℓ = Λ_ℓΨ_ℓΛ_ℓᵀ + Θ_ℓ (the level's implied covariance),
 * which for the items of one factor is Geldhof's (Σ sλ)²ψ / ((Σ sλ)²ψ + Σθ); for items spread
 * over correlated factors (an SEI dimension over its three cells) the numerator keeps the
 * factor covariances, and a factor's variance includes what covariates explain. Next to them the ICC(1) and ICC(2) of the composite score (mean of the
 * keyed items, respondents with every item answered) from a one-way ANOVA on the units, as
 * multilevel::ICC1/ICC2. ω_between above 1 or below 0 comes from negative level-2 residual
 * variances and is reported in `diagnostics`. Only the latent variables of each level's model
 * count as true score.
 */
export function levelReliability(
  fit: TwoLevelResult,
  data: TwoLevelData,
  composites: readonly Composite[],
  scale: { readonly min: number; readonly max: number } = { min: NaN, max: NaN },
): LevelReliability {
  const { structure, evaluation } = fit.internal;
  const warnings: string[] = [];
  const out = composites.map((c) => {
    if (c.items.length === 0) throw new InputError('composites', `composite ${c.name} has no items.`);
    const reverse = new Set(c.reverse ?? []);
    const omegaAt = (s: ModelStructure, ev: LevelEvaluation, level: number) => {
      const idx = c.items.map((item) => {
        const i = s.observed.indexOf(item);
        if (i < 0) throw new InputError('composites', `composite ${c.name}: item ${item} is not an observed variable of level ${level} of the model.`);
        return i;
      });
      const w = idx.map((_, k) => (reverse.has(c.items[k]) ? -1 : 1));
      const { p, m } = s;
      const lambda = ev.mats.lambda; // p × m
      let num = 0;
      let den = 0;
      const latent = Array.from({ length: m }, (_, j) => s.phantomOf[j] < 0);
      for (let a = 0; a < idx.length; a++)
        for (let b = 0; b < idx.length; b++) {
          den += w[a] * w[b] * ev.implied.sigma[idx[a] * p + idx[b]];
          // common part: Σ_jk Λ_aj M_jk Λ_bk over the latent variables j, k, M = (I−B)⁻¹Ψ(I−B)⁻ᵀ
          let t = 0;
          for (let j = 0; j < m; j++) {
            if (!latent[j]) continue;
            const la = lambda[idx[a] * m + j];
            if (la === 0) continue;
            for (let k = 0; k < m; k++) if (latent[k]) t += la * ev.implied.latentCov[j * m + k] * lambda[idx[b] * m + k];
          }
          num += w[a] * w[b] * t;
        }
      return num / den;
    };
    const omegaWithin = omegaAt(structure.within, evaluation.levels[0], 1);
    const omegaBetween = omegaAt(structure.between, evaluation.levels[1], 2);
    if (!(omegaBetween >= 0 && omegaBetween <= 1)) warnings.push(`ω between of ${c.name} is ${omegaBetween.toFixed(4)}, outside [0, 1]: a level-2 residual variance is negative.`);
    if (!(omegaWithin >= 0 && omegaWithin <= 1)) warnings.push(`ω within of ${c.name} is ${omegaWithin.toFixed(4)}, outside [0, 1]: a level-1 residual variance is negative.`);
    // ICC of the composite score
    const cols = c.items.map((item) => {
      const j = data.columns.indexOf(item);
      if (j < 0) throw new InputError('composites', `composite ${c.name}: item ${item} is not a column of the data.`);
      return j;
    });
    if (reverse.size > 0 && !(Number.isFinite(scale.min) && Number.isFinite(scale.max))) {
      throw new InputError('scale', `composite ${c.name} has reverse-keyed items; give the scale's min and max.`);
    }
    const scores: number[] = [];
    const unitOf = new Map<string, number[]>();
    data.rows.forEach((row, r) => {
      const u = data.clusters[r];
      if (u === null) return;
      let s = 0;
      for (let k = 0; k < cols.length; k++) {
        const v = row[cols[k]];
        if (Number.isNaN(v)) return;
        s += reverse.has(c.items[k]) ? scale.min + scale.max - v : v;
      }
      if (!unitOf.has(u)) unitOf.set(u, []);
      unitOf.get(u)!.push(scores.length);
      scores.push(s / cols.length);
    });
    const icc = oneWayIcc(scores, [...unitOf.values()]);
    return { name: c.name, items: [...c.items], omegaWithin, omegaBetween, icc2: icc.icc2, icc1: icc.icc1, n: icc.n, units: icc.units };
  });
  return { composites: out, diagnostics: { converged: fit.converged, iterations: 0, warnings } };
}
