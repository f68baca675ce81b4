import { InputError } from '../errors.js';
import { Prng } from '../math/random.js';

/**
 * The population model of a unit-wave research panel with each of the SEI model's hypotheses
 * planted at a chosen size (0 plants none). Every parameter is optional; the defaults plant every
 * effect. Predictors are in scale units (1–7 scores), M in SD units.
 */
export interface ResearchPanelSpec {
  /** Units (default 200). */
  readonly units?: number;
  /** Wave labels in order (default 1, 2, 3: T1, T2, T3 of the design). */
  readonly waves?: readonly string[];
  /** H1: a paths SC → TC and RC → TC, b path TC → PQ (defaults 0.35, 0.25, 0.4). */
  readonly indirect?: { readonly aSC?: number; readonly aRC?: number; readonly bTC?: number };
  /** H2: the SC:dynamism and RC:dynamism coefficients in TC (defaults 0.2, 0). */
  readonly moderation?: { readonly SC?: number; readonly RC?: number };
  /** H3: the lever products' coefficients in TC (default 0.25 each). */
  readonly levers?: { readonly AC?: number; readonly AV?: number; readonly CV?: number };
  /** H4: slopes of drift and rework on the previous wave's M (defaults 0.3, 0.3). */
  readonly dominance?: { readonly drift?: number; readonly rework?: number };
  /** H5: effects of coherence-oriented and outcome-only visibility on PQ (defaults 0.3, 0.05). */
  readonly visibility?: { readonly coherence?: number; readonly outcome?: number };
  /** H6: TC:leadershipDensity on PQ and SxA:leadershipDensity on drift (defaults 0.5, −0.4). */
  readonly leadership?: { readonly pq?: number; readonly drift?: number };
  /** H7: PQ falls by curvature·(M − peak)² (defaults 1.5 and 0.5). */
  readonly invertedU?: { readonly curvature?: number; readonly peak?: number };
  /** A treatment (an interface change) for a share of units from a chosen wave on, raising PQ by att. */
  readonly treatment?: { readonly share?: number; readonly wave?: string; readonly att?: number };
  /** Residual SDs (defaults TC 0.5, PQ 0.5, drift 0.15, rework 0.15) and the SD of the unit effect on PQ (0.3). */
  readonly noise?: { readonly TC?: number; readonly PQ?: number; readonly drift?: number; readonly rework?: number; readonly unit?: number };
  /** SD of each predictor's change from one wave to the next (default 0.3). */
  readonly step?: number;
  /** Share of values missing completely at random (default 0). */
  readonly missing?: number;
}

/** What was planted, as the tests recover it. */
export interface ResearchPanelTruth {
  readonly seed: number;
  readonly units: number;
  readonly waves: readonly string[];
  /** a_x · b_TC for x = SC, RC. */
  readonly indirect: { readonly SC: number; readonly RC: number };
  /** Hayes' index a_{x:dynamism} · b_TC. */
  readonly indexOfModeratedMediation: { readonly SC: number; readonly RC: number };
  readonly levers: { readonly AC: number; readonly AV: number; readonly CV: number };
  readonly dominance: { readonly drift: number; readonly rework: number };
  /** b_visCoherence − b_visOutcome. */
  readonly visibilityDifference: number;
  readonly leadership: { readonly pq: number; readonly drift: number };
  readonly invertedU: { readonly curvature: number; readonly peak: number };
  readonly treatment: { readonly share: number; readonly wave: string; readonly att: number; readonly treatedUnits: number };
}

export const RESEARCH_PANEL_COLUMNS = [
  'unit', 'wave', 'SC', 'RC', 'TC', 'accountability', 'communication', 'visibility', 'SxA', 'M', 'drift', 'rework',
  'dynamism', 'visCoherence', 'visOutcome', 'leadershipDensity', 'PQ', 'treated', 'eventWave',
] as const;

export interface SimulatedResearchPanel {
  /** One row per unit and wave, in RESEARCH_PANEL_COLUMNS order; numbers NaN when missing, eventWave '' when untreated. */
  readonly rows: readonly (readonly (string | number)[])[];
  readonly truth: ResearchPanelTruth;
}

/**
 * Simulates the unit-wave panel the research commands read, with the hypotheses planted:
 * - wave 1: SC, RC (correlation .3), the three levers, dynamism and both visibility scales are
 *   normal (mean 4.5, SD 0.8; dynamism and visibility mean 4), leadership density uniform on
 *   [0, 1], SxA = SC + N(0, 0.4²), M uniform on [0.05, 1.25]; every later wave adds an
 *   independent N(0, step²) change to each (M kept positive);
 * - TC_w = 4 + aSC·sc + aRC·rc + m_SC·sc·dyn + m_RC·rc·dyn + 0.1(a + c + v) + γ_AC·a·c + γ_AV·a·v
 *   + γ_CV·c·v + e, lower case the wave's centred predictors (dyn at 4, levers at 4.5);
 * - PQ_w responds to the design's lag, the predictors of wave L = max(1, w − 2):
 *   PQ_w = 4 + u + 0.1·w + b_TC·tc_L + β_coh·visCoherence_L + β_out·visOutcome_L
 *   + λ_pq·tc_L·(LD_L − .5) − q·(M_L − peak)² + att·treated·post_w + e, u the unit effect;
 * - drift_1 = 0 and drift_w = δ·M_{w−1} + κ·sxa_{w−1}·(LD_{w−1} − .5) + e; rework_w = 0.5 +
 *   ρ·M_{max(1, w−1)} + e.
 * Regressions of the three-wave design therefore recover the planted coefficients without bias
 * (every omitted term is independent of the included ones or has mean zero given them), and the
 * two-way FE DiD recovers att (treatment assigned at random). Deterministic for a seed
 * (the simulation's xoshiro128** generator).
 */
export function simulateResearchPanel(spec: ResearchPanelSpec = {}, seed = 1): SimulatedResearchPanel {
  if (!Number.isInteger(seed)) throw new InputError('seed', `seed must be a whole number; got ${seed}.`);
  const nUnits = spec.units ?? 200;
  if (!Number.isInteger(nUnits) || nUnits < 4) throw new InputError('units', `units must be a whole number of at least 4; got ${nUnits}.`);
  const waves = [...(spec.waves ?? ['1', '2', '3'])];
  if (waves.length < 1 || new Set(waves).size !== waves.length) throw new InputError('waves', 'waves must name at least one wave, each once.');
  const aSC = spec.indirect?.aSC ?? 0.35;
  const aRC = spec.indirect?.aRC ?? 0.25;
  const bTC = spec.indirect?.bTC ?? 0.4;
  const mSC = spec.moderation?.SC ?? 0.2;
  const mRC = spec.moderation?.RC ?? 0;
  const gAC = spec.levers?.AC ?? 0.25;
  const gAV = spec.levers?.AV ?? 0.25;
  const gCV = spec.levers?.CV ?? 0.25;
  const dDrift = spec.dominance?.drift ?? 0.3;
  const dRework = spec.dominance?.rework ?? 0.3;
  const vCoh = spec.visibility?.coherence ?? 0.3;
  const vOut = spec.visibility?.outcome ?? 0.05;
  const lPq = spec.leadership?.pq ?? 0.5;
  const lDrift = spec.leadership?.drift ?? -0.4;
  const curvature = spec.invertedU?.curvature ?? 1.5;
  const peak = spec.invertedU?.peak ?? 0.5;
  const share = spec.treatment?.share ?? 0.5;
  const eventWave = spec.treatment?.wave ?? waves[Math.min(2, waves.length - 1)];
  const att = spec.treatment?.att ?? 0.4;
  const sTC = spec.noise?.TC ?? 0.5;
  const sPQ = spec.noise?.PQ ?? 0.5;
  const sDrift = spec.noise?.drift ?? 0.15;
  const sRework = spec.noise?.rework ?? 0.15;
  const sUnit = spec.noise?.unit ?? 0.3;
  const step = spec.step ?? 0.3;
  const missing = spec.missing ?? 0;
  const eventIndex = waves.indexOf(eventWave);
  if (eventIndex < 0) throw new InputError('treatment.wave', `treatment.wave "${eventWave}" is not one of the waves (${waves.join(', ')}).`);
  if (!(share >= 0 && share <= 1)) throw new InputError('treatment.share', `treatment.share must be between 0 and 1; got ${share}.`);
  if (!(missing >= 0 && missing < 1)) throw new InputError('missing', `missing must be at least 0 and below 1; got ${missing}.`);

  const rng = new Prng(seed);
  const normal = (m: number, s: number) => m + s * rng.normal();
  // treated units: a random subset of round(share · units)
  const order = Array.from({ length: nUnits }, (_, i) => i);
  for (let i = nUnits - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTreated = Math.round(share * nUnits);
  const treated = new Uint8Array(nUnits);
  for (let k = 0; k < nTreated; k++) treated[order[k]] = 1;

  const rows: (string | number)[][] = [];
  const width = String(nUnits).length;
  for (let u = 0; u < nUnits; u++) {
    const unit = `u${String(u + 1).padStart(width, '0')}`;
    const unitEffect = normal(0, sUnit);
    const z1 = rng.normal();
    const z2 = 0.3 * z1 + Math.sqrt(1 - 0.09) * rng.normal();
    const first = {
      SC: 4.5 + 0.8 * z1, RC: 4.5 + 0.8 * z2, A: normal(4.5, 0.8), C: normal(4.5, 0.8), V: normal(4.5, 0.8),
      dyn: normal(4, 0.8), coh: normal(4, 0.8), out: normal(4, 0.8), LD: rng.uniform(), M: 0.05 + 1.2 * rng.uniform(), sxaNoise: normal(0, 0.4),
    };
    const path = [first];
    for (let w = 1; w < waves.length; w++) {
      const p = path[w - 1];
      path.push({
        SC: p.SC + normal(0, step), RC: p.RC + normal(0, step), A: p.A + normal(0, step), C: p.C + normal(0, step), V: p.V + normal(0, step),
        dyn: p.dyn + normal(0, step), coh: p.coh + normal(0, step), out: p.out + normal(0, step),
        LD: Math.min(1, Math.max(0, p.LD + normal(0, step / 4))), M: Math.abs(p.M + normal(0, step / 2)), sxaNoise: p.sxaNoise,
      });
    }
    const tc = path.map((p) => {
      const sc = p.SC - 4.5, rc = p.RC - 4.5, dyn = p.dyn - 4, a = p.A - 4.5, c = p.C - 4.5, v = p.V - 4.5;
      return 4 + aSC * sc + aRC * rc + mSC * sc * dyn + mRC * rc * dyn + 0.1 * (a + c + v) + gAC * a * c + gAV * a * v + gCV * c * v + normal(0, sTC);
    });
    const sxa = path.map((p) => p.SC + p.sxaNoise);
    for (let w = 0; w < waves.length; w++) {
      const p = path[w];
      const L = Math.max(0, w - 2);
      const q = path[L];
      const post = treated[u] === 1 && w >= eventIndex ? 1 : 0;
      const pq = 4 + unitEffect + 0.1 * (w + 1) + bTC * (tc[L] - 4) + vCoh * (q.coh - 4) + vOut * (q.out - 4) +
        lPq * (tc[L] - 4) * (q.LD - 0.5) - curvature * (q.M - peak) ** 2 + att * post + normal(0, sPQ);
      const prev = path[Math.max(0, w - 1)];
      const drift = w === 0 ? 0 : dDrift * prev.M + lDrift * (sxa[w - 1] - 4.5) * (prev.LD - 0.5) + normal(0, sDrift);
      const rework = 0.5 + dRework * prev.M + normal(0, sRework);
      const values = [p.SC, p.RC, tc[w], p.A, p.C, p.V, sxa[w], p.M, drift, rework, p.dyn, p.coh, p.out, p.LD, pq].map((x) =>
        missing > 0 && rng.uniform() < missing ? NaN : x,
      );
      rows.push([unit, waves[w], ...values, treated[u], treated[u] ? eventWave : '']);
    }
  }
  return {
    rows,
    truth: {
      seed,
      units: nUnits,
      waves,
      indirect: { SC: aSC * bTC, RC: aRC * bTC },
      indexOfModeratedMediation: { SC: mSC * bTC, RC: mRC * bTC },
      levers: { AC: gAC, AV: gAV, CV: gCV },
      dominance: { drift: dDrift, rework: dRework },
      visibilityDifference: vCoh - vOut,
      leadership: { pq: lPq, drift: lDrift },
      invertedU: { curvature, peak },
      treatment: { share, wave: eventWave, att, treatedUnits: nTreated },
    },
  };
}

/** The panel as CSV text (header first; missing values empty). */
export function researchPanelCsv(panel: SimulatedResearchPanel): string {
  const lines = [RESEARCH_PANEL_COLUMNS.join(',')];
  for (const r of panel.rows) lines.push(r.map((v) => (typeof v === 'number' ? (Number.isNaN(v) ? '' : String(Math.round(v * 1e6) / 1e6)) : v)).join(','));
  return lines.join('\n') + '\n';
}
