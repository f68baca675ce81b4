import { InputError } from '../errors.js';
import { CELLS, DIMENSIONS, DIMENSION_NAMES, type Cell, type DimensionName } from '../sei_model.js';
import type { ItemMap } from '../scoring/item_map.js';
import { Prng } from '../math/random.js';
import { choleskyRows } from '../math/cholesky.js';
import { panelItemIds, resolvePanelSpec, type PanelSpec, type ResolvedPanelSpec } from './panel_spec.js';

/** What the generator put into the panel, for tests to recover. */
export interface PanelTruth {
  readonly seed: number;
  readonly spec: ResolvedPanelSpec;
  /** `loadsOn` is the cell whose factor the item measures: its own, or another for a misplaced item. */
  readonly items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean; readonly loading: number; readonly loadsOn: Cell }[];
  /**
   * The ICC(1) a respondent's cell score should show: (icc1·λ̄² + itemIcc·Σ(1 − λ²)/k²) /
   * (λ̄² + Σ(1 − λ²)/k² + 1/(12·spread²·k)), the last term the rounding to whole scale points
   * (Sheppard). Approximate: it ignores clipping at the scale ends, misplaced items, missing
   * answers and careless respondents.
   */
  readonly expectedCellScoreIcc1: Readonly<Record<Cell, number>>;
  readonly units: readonly {
    readonly context: string;
    readonly unit: string;
    /** b_u, the unit's latent cell effects (SD units). */
    readonly effects: Readonly<Record<Cell, number>>;
    /** The dimension that rises and the one that falls by perWave per wave; null for a stable unit. */
    readonly drift: { readonly up: DimensionName; readonly down: DimensionName; readonly perWave: number } | null;
    readonly sizes: Readonly<Record<string, number>>;
  }[];
  readonly careless: readonly { readonly respondent: string; readonly kind: 'straightline' | 'random' }[];
}

/** A simulated panel: one row per respondent-wave, columns as shared/CONTRACT.md `score` reads them. */
export interface SimulatedPanel {
  /** Item ids, the columns of `answers`: SxA_1 … TxV_k. */
  readonly items: readonly string[];
  /** The item map of shared/CONTRACT.md `score`. */
  readonly map: ItemMap;
  readonly context: readonly string[];
  readonly unit: readonly string[];
  readonly wave: readonly string[];
  readonly respondent: readonly string[];
  /** Completion time in seconds, when the spec asks for it. */
  readonly seconds?: readonly number[];
  /** Respondents × items on the scale, NaN for a missing answer, reverse-keyed items as answered. */
  readonly answers: readonly (readonly number[])[];
  readonly truth: PanelTruth;
}

/**
 * Simulates an SEI-CI panel from the population model of `PanelSpec` (see there): units nested
 * in contexts, varying unit sizes, waves, cell factors with loadings and correlations, a
 * between-unit variance share (ICC(1)), drifting units, non-invariant items in chosen contexts,
 * missing answers and careless respondents. Deterministic: the same spec and seed give the same
 * panel (xoshiro128** with Box–Muller normals).
 */
export function simulatePanel(spec: PanelSpec = {}, seed = 1): SimulatedPanel {
  if (!Number.isInteger(seed)) throw new InputError('seed', `seed must be a whole number; got ${seed}.`);
  const s = resolvePanelSpec(spec);
  const rng = new Prng(seed);
  const L = choleskyRows(s.cellCorrelation, 1e-12);
  if (L === null) throw new InputError('cellCorrelation', 'cellCorrelation is not positive definite.');
  const ids = panelItemIds(s.itemsPerCell);
  const k = s.itemsPerCell;
  const reverse = new Set(s.reverseItems);
  const itemInfo = ids.map((id, j) => {
    const cell = CELLS[Math.floor(j / k)];
    const position = (j % k) + 1;
    return { id, cell, reverse: reverse.has(position), loading: s.loadings[cell][position - 1] };
  });
  const map: ItemMap = {
    scaleMin: s.scaleMin,
    scaleMax: s.scaleMax,
    items: Object.fromEntries(itemInfo.map((it) => [it.id, { cell: it.cell, reverse: it.reverse }])),
  };
  // Per context and item: loading and intercept shift.
  const itemIndex = new Map(ids.map((id, j) => [id, j]));
  const contextLoading = new Map<string, number[]>();
  const contextShift = new Map<string, number[]>();
  for (const c of s.contexts) {
    contextLoading.set(c, itemInfo.map((it) => it.loading));
    contextShift.set(c, new Array<number>(ids.length).fill(0));
  }
  for (const n of s.nonInvariance) {
    for (const id of n.items) {
      const j = itemIndex.get(id)!;
      if (n.loading !== undefined) contextLoading.get(n.context)![j] = n.loading;
      contextShift.get(n.context)![j] += n.intercept ?? 0;
    }
  }
  const uniqueSd = itemInfo.map((it) => Math.sqrt(1 - it.loading * it.loading));
  const withinUniqueSd = uniqueSd.map((u) => u * Math.sqrt(1 - s.itemIcc));
  const betweenUniqueSd = uniqueSd.map((u) => u * Math.sqrt(s.itemIcc));
  const loadsOn = itemInfo.map((it) => s.misplaced.find((m) => m.item === it.id)?.cell ?? it.cell);
  const cellOf = loadsOn.map((c) => CELLS.indexOf(c));
  const mid = (s.scaleMin + s.scaleMax) / 2;
  const points = s.scaleMax - s.scaleMin + 1;

  const correlated = (scale: number): number[] => {
    const z = Array.from({ length: 9 }, () => rng.normal());
    const out = new Array<number>(9);
    for (let i = 0; i < 9; i++) {
      let v = 0;
      for (let j = 0; j <= i; j++) v += L[i][j] * z[j];
      out[i] = scale * v;
    }
    return out;
  };

  // Units, their effects, drift and sizes.
  const between = Math.sqrt(s.icc1);
  const within = Math.sqrt(1 - s.icc1);
  const width = String(s.unitsPerContext).length;
  const units = s.contexts.flatMap((context) =>
    Array.from({ length: s.unitsPerContext }, (_, u) => {
      const effects = correlated(between);
      let drift: { up: DimensionName; down: DimensionName; perWave: number } | null = null;
      if (rng.uniform() < s.drift.share) {
        const order = [0, 1, 2];
        for (let i = 2; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        drift = { up: DIMENSION_NAMES[DIMENSIONS[order[0]]], down: DIMENSION_NAMES[DIMENSIONS[order[2]]], perWave: s.drift.perWave };
      }
      const sizes = Object.fromEntries(
        s.waves.map((w) => [w, Math.min(s.unitSize.max, s.unitSize.min + rng.poisson(s.unitSize.mean - s.unitSize.min))]),
      );
      // Drawn only when asked for, so that panels without item-level unit variance stay as they were.
      const itemEffects = s.itemIcc > 0 ? ids.map((_, j) => betweenUniqueSd[j] * rng.normal()) : null;
      return { context, unit: `${context}-U${String(u + 1).padStart(width, '0')}`, effects, drift, sizes, itemEffects };
    }),
  );

  const context: string[] = [];
  const unit: string[] = [];
  const wave: string[] = [];
  const respondent: string[] = [];
  const seconds: number[] = [];
  const answers: number[][] = [];
  const careless: { respondent: string; kind: 'straightline' | 'random' }[] = [];
  const mean = CELLS.map((c) => s.cellMeans[c]);
  let count = 0;
  for (const [w, waveName] of s.waves.entries()) {
    for (const u of units) {
      const contextShiftOfMeans = s.contextMeans[u.context];
      const shift = mean.map((m, c) => m + u.effects[c] + (contextShiftOfMeans ? contextShiftOfMeans[CELLS[c]] : 0));
      if (u.drift !== null) {
        for (let c = 0; c < 9; c++) {
          const dim = DIMENSION_NAMES[CELLS[c][0] as keyof typeof DIMENSION_NAMES];
          if (dim === u.drift.up) shift[c] += u.drift.perWave * w;
          if (dim === u.drift.down) shift[c] -= u.drift.perWave * w;
        }
      }
      const loading = contextLoading.get(u.context)!;
      const intercept = contextShift.get(u.context)!;
      for (let i = 0; i < u.sizes[waveName]; i++) {
        count++;
        const id = `R${String(count).padStart(6, '0')}`;
        const row = new Array<number>(ids.length);
        let kind: 'straightline' | 'random' | null = null;
        if (s.careless.share > 0 && rng.uniform() < s.careless.share) {
          kind = s.careless.kind === 'mixed' ? (rng.uniform() < 0.5 ? 'straightline' : 'random') : s.careless.kind;
          careless.push({ respondent: id, kind });
        }
        if (kind === 'straightline') {
          const v = s.scaleMin + rng.int(points);
          row.fill(v);
        } else if (kind === 'random') {
          for (let j = 0; j < row.length; j++) row[j] = s.scaleMin + rng.int(points);
        } else {
          const e = correlated(within);
          for (let j = 0; j < row.length; j++) {
            const c = cellOf[j];
            const unique = u.itemEffects === null ? uniqueSd[j] * rng.normal() : u.itemEffects[j] + withinUniqueSd[j] * rng.normal();
            const y = loading[j] * (shift[c] + e[c]) + unique + intercept[j];
            let x = Math.round(mid + s.spread * y);
            x = x < s.scaleMin ? s.scaleMin : x > s.scaleMax ? s.scaleMax : x;
            row[j] = itemInfo[j].reverse ? s.scaleMin + s.scaleMax - x : x;
          }
        }
        if (s.missing > 0) for (let j = 0; j < row.length; j++) if (rng.uniform() < s.missing) row[j] = NaN;
        if (s.completionTime) {
          const perItem = kind === null ? 5 : 1.5;
          seconds.push(Math.round(Math.exp(Math.log(perItem * ids.length) + 0.3 * rng.normal())));
        }
        context.push(u.context);
        unit.push(u.unit);
        wave.push(waveName);
        respondent.push(id);
        answers.push(row);
      }
    }
  }

  const expectedCellScoreIcc1 = Object.fromEntries(
    CELLS.map((c) => {
      const l = s.loadings[c];
      const lbar = l.reduce((a, b) => a + b, 0) / k;
      const unique = l.reduce((a, b) => a + (1 - b * b), 0) / (k * k);
      const rounding = 1 / (12 * s.spread * s.spread * k);
      return [c, (s.icc1 * lbar * lbar + s.itemIcc * unique) / (lbar * lbar + unique + rounding)];
    }),
  ) as Record<Cell, number>;

  const truth: PanelTruth = {
    seed,
    spec: s,
    items: itemInfo.map(({ id, cell, reverse: r, loading }, j) => ({ id, cell, reverse: r, loading, loadsOn: loadsOn[j] })),
    expectedCellScoreIcc1,
    units: units.map((u) => ({
      context: u.context,
      unit: u.unit,
      effects: Object.fromEntries(CELLS.map((c, i) => [c, u.effects[i]])) as Record<Cell, number>,
      drift: u.drift,
      sizes: u.sizes,
    })),
    careless,
  };
  return {
    items: ids,
    map,
    context,
    unit,
    wave,
    respondent,
    ...(s.completionTime ? { seconds } : {}),
    answers,
    truth,
  };
}
