import { Mat, type ModelStructure } from './model_matrices.js';
import type { GroupSample } from './sample_statistics.js';

/**
 * Start values for the free parameters, in the spirit of lavaan's "default" start
 * (lavaan 0.6, lav_start): loadings from the indicators' correlations (a one-factor triad
 * estimate λ_k² ≈ Σ|r_kj r_kl| / Σ|r_jl|, scaled to the marker or to unit latent variance),
 * residual variances as the unexplained part of each observed variance (at least a tenth),
 * latent variances from the marker, latent covariances and regressions 0, intercepts at the
 * sample means, latent means 0, user `start()` values where given. Fixed exogenous
 * covariate moments (fixed.x) are set here to their sample values. Only the estimate's
 * convergence, never its value, depends on these.
 */
export function startValues(model: ModelStructure, samples: readonly GroupSample[]): Float64Array {
  const { p, m } = model;
  // a free parameter shared by several rows (equal labels) starts at the mean of their start values
  const x = new Float64Array(model.nFree);
  const count = new Float64Array(model.nFree);
  const rows = model.table.rows as unknown as { value: number; free: number; exo: boolean; start: number; op: string; lhs: string; rhs: string }[];
  for (let g = 0; g < samples.length; g++) {
    const s = samples[g];
    const sd = Array.from({ length: p }, (_, i) => Math.sqrt(Math.max(s.cov[i * p + i], 1e-12)));
    const r = (i: number, j: number) => s.cov[i * p + j] / (sd[i] * sd[j]);
    const entries = model.entries[g];
    // standardized loading guesses per factor
    const lambda = new Map<string, number>();
    const psi = new Float64Array(m).fill(0.05);
    const communality = new Float64Array(p);
    for (let f = 0; f < m; f++) {
      const ind = entries.filter((e) => e.mat === Mat.Lambda && e.j === f).map((e) => e.i);
      if (ind.length === 0) continue;
      const l = ind.map((k) => {
        const others = ind.filter((j) => j !== k);
        if (others.length === 0) return 0.7;
        if (others.length === 1) return Math.sqrt(Math.min(0.95, Math.max(0.05, Math.abs(r(k, others[0])))));
        let num = 0;
        let den = 0;
        for (let a = 0; a < others.length; a++)
          for (let b = a + 1; b < others.length; b++) {
            num += Math.abs(r(k, others[a]) * r(k, others[b]));
            den += Math.abs(r(others[a], others[b]));
          }
        return Math.sqrt(Math.min(0.95, Math.max(0.05, den > 0 ? num / den : 0.5)));
      });
      const marker = entries.find((e) => e.mat === Mat.Lambda && e.j === f && e.free === 0 && rows[e.row].value !== 0);
      const varFixed = entries.find((e) => e.mat === Mat.Psi && e.i === f && e.j === f && e.free === 0);
      let scale = 1;
      if (marker && !varFixed) {
        const mi = ind.indexOf(marker.i);
        const raw = l[mi] * sd[marker.i];
        scale = raw / rows[marker.row].value;
        psi[f] = scale * scale;
      } else if (varFixed) {
        scale = Math.sqrt(Math.max(rows[varFixed.row].value, 1e-6));
        psi[f] = rows[varFixed.row].value;
      } else psi[f] = 1;
      ind.forEach((k, a) => {
        lambda.set(`${k},${f}`, (l[a] * sd[k]) / (scale || 1));
        communality[k] = Math.max(communality[k], l[a] * l[a]);
      });
    }
    for (const e of entries) {
      const row = rows[e.row];
      let v: number;
      switch (e.mat) {
        case Mat.Lambda:
          v = lambda.get(`${e.i},${e.j}`) ?? 1;
          break;
        case Mat.Theta:
          v = e.i === e.j ? Math.max(0.1, 1 - communality[e.i]) * s.cov[e.i * p + e.i] : 0;
          break;
        case Mat.Psi: {
          const oi = model.phantomOf[e.i];
          const oj = model.phantomOf[e.j];
          if (row.exo) v = s.cov[oi * p + oj];
          else if (e.i === e.j) v = oi >= 0 ? 0.5 * s.cov[oi * p + oi] : psi[e.i];
          else v = 0;
          break;
        }
        case Mat.Beta:
          v = row.op === '=~' ? 1 : 0;
          break;
        case Mat.Nu:
          v = s.mean[e.i];
          break;
        case Mat.Alpha: {
          const o = model.phantomOf[e.i];
          v = row.exo || (o >= 0 && !entries.some((q) => q.mat === Mat.Beta && q.i === e.i)) ? s.mean[o] : 0;
          break;
        }
      }
      if (row.exo) {
        row.value = v;
        continue;
      }
      if (!Number.isNaN(row.start)) v = row.start;
      if (e.free > 0) {
        x[e.free - 1] += v;
        count[e.free - 1]++;
      }
    }
  }
  for (let k = 0; k < x.length; k++) x[k] = count[k] > 0 ? x[k] / count[k] : 0;
  return x;
}
