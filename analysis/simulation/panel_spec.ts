import { InputError } from '../errors.js';
import { CELLS, type Cell } from '../sei_model.js';

/** A non-invariant item set: in `context`, the named items get an intercept shift and/or another loading. */
export interface NonInvariance {
  readonly context: string;
  readonly items: readonly string[];
  /** Added to the item's latent response, in latent SD units (1 ≈ `spread` scale points). */
  readonly intercept?: number;
  /**
   * The items' loading in that context, replacing the population loading λ0; the unique variance
   * stays 1 − λ0², so the item's latent variance becomes λ² + 1 − λ0² there.
   */
  readonly loading?: number;
}

/** An item planted in the wrong cell: it loads on `cell`'s factor instead of its own. */
export interface MisplacedItem {
  readonly item: string;
  readonly cell: Cell;
}

/** Cell factor correlations by kind of pair, or a full 9 × 9 matrix in CELLS order. */
export type CellCorrelation =
  | number
  | { readonly sameDimension: number; readonly sameLever: number; readonly other: number }
  | readonly (readonly number[])[];

/**
 * The population model of a simulated SEI-CI panel. Respondent i of unit u answers in wave w;
 * its nine latent cell factors are η = μ + b_u + d_uw + e_i with b_u ~ N(0, icc1·Φ) and
 * e_i ~ N(0, (1 − icc1)·Φ), Φ the cell correlation matrix (so icc1 is the between-unit share of
 * each latent cell factor), d_uw the drift of drifting units. Item j of cell c has the latent
 * response y* = λ_j·η_c + √(1 − λ_j²)·ε (+ a context's intercept shift), written on the scale as
 * round(mid + spread·y*) clipped to [scaleMin, scaleMax] and reflected when reverse-keyed.
 * Every field is optional; `resolvePanelSpec` fills the defaults.
 */
export interface PanelSpec {
  /** Context names (organisations, languages…); units are nested in them. Default ["A"]. */
  readonly contexts?: readonly string[];
  /** Units in each context. Default 10. */
  readonly unitsPerContext?: number;
  /** Respondents per unit-wave: min + Poisson(mean − min), capped at max. Default mean 8, min 3, max 40. */
  readonly unitSize?: { readonly mean: number; readonly min?: number; readonly max?: number };
  /** Wave names, in order. Default ["W1", "W2", "W3"]. */
  readonly waves?: readonly string[];
  /** Items per cell, named SxA_1 … TxV_k. Default 8. */
  readonly itemsPerCell?: number;
  /** 1-based positions of reverse-keyed items within each cell. Default [itemsPerCell]. */
  readonly reverseItems?: readonly number[];
  readonly scaleMin?: number;
  readonly scaleMax?: number;
  /** Scale points per latent SD. Default (scaleMax − scaleMin)/5. */
  readonly spread?: number;
  /** Item loadings: one for all, one per item position, or per cell. Default 0.7. */
  readonly loadings?: number | readonly number[] | Readonly<Partial<Record<Cell, readonly number[]>>>;
  /** Default {sameDimension: .5, sameLever: .4, other: .3}. */
  readonly cellCorrelation?: CellCorrelation;
  /** Latent cell means in SD units (0 = scale middle). Default 0 for every cell. */
  readonly cellMeans?: Readonly<Partial<Record<Cell, number>>>;
  /** Latent mean shifts of a context's cells (SD units), added to cellMeans: real differences, not bias. Default none. */
  readonly contextMeans?: Readonly<Record<string, Readonly<Partial<Record<Cell, number>>>>>;
  /** Between-unit share of each latent cell factor's variance. Default 0.2. */
  readonly icc1?: number;
  /** Share of units whose dimensions move apart by `perWave` latent SD per wave (one up, one down). Default share 0, perWave 0.4. */
  readonly drift?: { readonly share: number; readonly perWave?: number };
  readonly nonInvariance?: readonly NonInvariance[];
  /**
   * Items written for one cell that measure another: the item's latent response loads on the
   * factor of `cell` (with its own loading) and not at all on its own cell's. Default none.
   */
  readonly misplaced?: readonly MisplacedItem[];
  /**
   * Between-unit share of each item's unique variance: a unit-specific effect per item,
   * u_uj ~ N(0, itemIcc·(1 − λ²)), and ε ~ N(0, (1 − itemIcc)·(1 − λ²)), so that a two-level
   * model has item residual variances at the unit level too. Default 0 (unique parts within units only).
   */
  readonly itemIcc?: number;
  /** Share of answers missing completely at random. Default 0. */
  readonly missing?: number;
  /** Share of careless respondents: straight-liners, random responders, or a mix. Default share 0, kind mixed. */
  readonly careless?: { readonly share: number; readonly kind?: 'straightline' | 'random' | 'mixed' };
  /** Add a completion time column `seconds` (careless respondents are fast). Default false. */
  readonly completionTime?: boolean;
}

/** A PanelSpec with every default filled in and checked. */
export interface ResolvedPanelSpec {
  readonly contexts: readonly string[];
  readonly unitsPerContext: number;
  readonly unitSize: { readonly mean: number; readonly min: number; readonly max: number };
  readonly waves: readonly string[];
  readonly itemsPerCell: number;
  readonly reverseItems: readonly number[];
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly spread: number;
  /** Loadings by cell, one per item position. */
  readonly loadings: Readonly<Record<Cell, readonly number[]>>;
  readonly cellCorrelation: readonly (readonly number[])[];
  readonly cellMeans: Readonly<Record<Cell, number>>;
  readonly contextMeans: Readonly<Record<string, Readonly<Record<Cell, number>>>>;
  readonly icc1: number;
  readonly drift: { readonly share: number; readonly perWave: number };
  readonly nonInvariance: readonly NonInvariance[];
  readonly misplaced: readonly MisplacedItem[];
  readonly itemIcc: number;
  readonly missing: number;
  readonly careless: { readonly share: number; readonly kind: 'straightline' | 'random' | 'mixed' };
  readonly completionTime: boolean;
}

function need(condition: unknown, argument: string, message: string): asserts condition {
  if (!condition) throw new InputError(argument, message);
}

function share(value: number | undefined, fallback: number, argument: string): number {
  const v = value ?? fallback;
  need(typeof v === 'number' && v >= 0 && v <= 1, argument, `${argument} must be a share between 0 and 1; got ${v}.`);
  return v;
}

function names(value: readonly string[] | undefined, fallback: readonly string[], argument: string): readonly string[] {
  const v = value ?? fallback;
  need(Array.isArray(v) && v.length > 0, argument, `${argument} must list at least one name.`);
  need(v.every((s) => typeof s === 'string' && s.trim() !== ''), argument, `${argument} must hold non-empty names.`);
  need(new Set(v).size === v.length, argument, `${argument} names one entry twice.`);
  return v.map(String);
}

/** The item ids of a panel: SxA_1 … TxV_k, cell by cell. */
export function panelItemIds(itemsPerCell: number): string[] {
  return CELLS.flatMap((c) => Array.from({ length: itemsPerCell }, (_, i) => `${c}_${i + 1}`));
}

function correlationMatrix(spec: CellCorrelation | undefined): number[][] {
  const v = spec ?? { sameDimension: 0.5, sameLever: 0.4, other: 0.3 };
  if (Array.isArray(v)) {
    need(v.length === 9 && v.every((r) => Array.isArray(r) && r.length === 9), 'cellCorrelation', 'cellCorrelation as a matrix must be 9 × 9 (cells in SxA … TxV order).');
    for (let i = 0; i < 9; i++) {
      need(v[i][i] === 1, 'cellCorrelation', 'cellCorrelation must have 1 on its diagonal.');
      for (let j = 0; j < 9; j++) need(v[i][j] === v[j][i] && Math.abs(v[i][j]) <= 1, 'cellCorrelation', 'cellCorrelation must be symmetric with entries in [−1, 1].');
    }
    return v.map((r) => [...r]);
  }
  const kinds = typeof v === 'number' ? { sameDimension: v, sameLever: v, other: v } : (v as { sameDimension: number; sameLever: number; other: number });
  for (const [k, x] of Object.entries(kinds)) {
    need(typeof x === 'number' && x > -1 && x < 1, 'cellCorrelation', `cellCorrelation.${k} must lie between −1 and 1; got ${x}.`);
  }
  return CELLS.map((a, i) =>
    CELLS.map((b, j) => (i === j ? 1 : a[0] === b[0] ? kinds.sameDimension : a[2] === b[2] ? kinds.sameLever : kinds.other)),
  );
}

/** Fills the defaults of a PanelSpec and checks every value; InputError names the field at fault. */
export function resolvePanelSpec(spec: PanelSpec = {}): ResolvedPanelSpec {
  need(typeof spec === 'object' && spec !== null, 'spec', 'spec must be an object.');
  const contexts = names(spec.contexts, ['A'], 'contexts');
  const waves = names(spec.waves, ['W1', 'W2', 'W3'], 'waves');
  const unitsPerContext = spec.unitsPerContext ?? 10;
  need(Number.isInteger(unitsPerContext) && unitsPerContext >= 1, 'unitsPerContext', `unitsPerContext must be a whole number of at least 1; got ${unitsPerContext}.`);
  const size = spec.unitSize ?? { mean: 8 };
  const min = size.min ?? Math.min(3, Math.floor(size.mean));
  const max = size.max ?? Math.max(40, Math.ceil(size.mean * 3));
  need(Number.isInteger(min) && min >= 1, 'unitSize.min', `unitSize.min must be a whole number of at least 1; got ${min}.`);
  need(typeof size.mean === 'number' && size.mean >= min, 'unitSize.mean', `unitSize.mean must be at least unitSize.min (${min}); got ${size.mean}.`);
  need(Number.isInteger(max) && max >= size.mean, 'unitSize.max', `unitSize.max must be a whole number of at least unitSize.mean; got ${max}.`);
  const itemsPerCell = spec.itemsPerCell ?? 8;
  need(Number.isInteger(itemsPerCell) && itemsPerCell >= 1 && itemsPerCell <= 50, 'itemsPerCell', `itemsPerCell must be a whole number from 1 to 50; got ${itemsPerCell}.`);
  const reverseItems = spec.reverseItems ?? [itemsPerCell];
  need(
    reverseItems.every((p) => Number.isInteger(p) && p >= 1 && p <= itemsPerCell),
    'reverseItems',
    `reverseItems must be item positions from 1 to ${itemsPerCell}.`,
  );
  const scaleMin = spec.scaleMin ?? 1;
  const scaleMax = spec.scaleMax ?? 7;
  need(Number.isInteger(scaleMin) && Number.isInteger(scaleMax) && scaleMax > scaleMin, 'scaleMax', `the scale must run between two whole numbers, scaleMin < scaleMax; got ${scaleMin}–${scaleMax}.`);
  const spread = spec.spread ?? (scaleMax - scaleMin) / 5;
  need(typeof spread === 'number' && spread > 0, 'spread', `spread must be positive; got ${spread}.`);

  const loadingRow = (v: unknown, where: string): number[] => {
    const row = typeof v === 'number' ? new Array<number>(itemsPerCell).fill(v) : (v as number[]);
    need(Array.isArray(row) && row.length === itemsPerCell, where, `${where} must give ${itemsPerCell} loadings.`);
    need(row.every((x) => typeof x === 'number' && x > 0 && x < 1), where, `${where} must hold loadings between 0 and 1 (exclusive).`);
    return [...row];
  };
  const L = spec.loadings ?? 0.7;
  const loadings = Object.fromEntries(
    CELLS.map((c) => {
      if (typeof L === 'number' || Array.isArray(L)) return [c, loadingRow(L, 'loadings')];
      const byCell = L as Partial<Record<Cell, readonly number[]>>;
      return [c, loadingRow(byCell[c] ?? 0.7, `loadings.${c}`)];
    }),
  ) as Record<Cell, number[]>;
  if (typeof L === 'object' && !Array.isArray(L)) {
    for (const k of Object.keys(L)) need((CELLS as readonly string[]).includes(k), 'loadings', `loadings names "${k}", which is not a cell.`);
  }

  const cellCorrelation = correlationMatrix(spec.cellCorrelation);
  const cellMeans = Object.fromEntries(CELLS.map((c) => [c, spec.cellMeans?.[c] ?? 0])) as Record<Cell, number>;
  for (const c of CELLS) need(Number.isFinite(cellMeans[c]), 'cellMeans', `cellMeans.${c} must be a number.`);
  const contextMeans: Record<string, Record<Cell, number>> = {};
  for (const [ctx, shifts] of Object.entries(spec.contextMeans ?? {})) {
    need(contexts.includes(ctx), 'contextMeans', `contextMeans names "${ctx}", which is not one of the contexts (${contexts.join(', ')}).`);
    for (const k of Object.keys(shifts)) need((CELLS as readonly string[]).includes(k), 'contextMeans', `contextMeans.${ctx} names "${k}", which is not a cell.`);
    contextMeans[ctx] = Object.fromEntries(CELLS.map((c) => [c, shifts[c] ?? 0])) as Record<Cell, number>;
    for (const c of CELLS) need(Number.isFinite(contextMeans[ctx][c]), 'contextMeans', `contextMeans.${ctx}.${c} must be a number.`);
  }
  const icc1 = share(spec.icc1, 0.2, 'icc1');
  need(icc1 < 1, 'icc1', 'icc1 must be below 1 (respondents need within-unit variance).');
  const drift = { share: share(spec.drift?.share, 0, 'drift.share'), perWave: spec.drift?.perWave ?? 0.4 };
  need(Number.isFinite(drift.perWave), 'drift.perWave', 'drift.perWave must be a number.');
  const ids = new Set(panelItemIds(itemsPerCell));
  const nonInvariance = (spec.nonInvariance ?? []).map((n, k) => {
    const where = `nonInvariance[${k}]`;
    need(contexts.includes(n.context), `${where}.context`, `${where}.context "${n.context}" is not one of the contexts (${contexts.join(', ')}).`);
    need(Array.isArray(n.items) && n.items.length > 0, `${where}.items`, `${where}.items must name at least one item.`);
    for (const id of n.items) need(ids.has(id), `${where}.items`, `${where}.items names "${id}", which is not an item (SxA_1 … TxV_${itemsPerCell}).`);
    need(n.intercept === undefined || Number.isFinite(n.intercept), `${where}.intercept`, `${where}.intercept must be a number.`);
    need(n.loading === undefined || (n.loading > 0 && n.loading < 1), `${where}.loading`, `${where}.loading must lie between 0 and 1.`);
    return { context: n.context, items: [...n.items], intercept: n.intercept ?? 0, loading: n.loading };
  });
  const misplaced = (spec.misplaced ?? []).map((m, k) => {
    const where = `misplaced[${k}]`;
    need(typeof m === 'object' && m !== null && ids.has(m.item), `${where}.item`, `${where}.item names "${m?.item}", which is not an item (SxA_1 … TxV_${itemsPerCell}).`);
    need((CELLS as readonly string[]).includes(m.cell), `${where}.cell`, `${where}.cell "${m.cell}" is not a cell.`);
    need(!m.item.startsWith(`${m.cell}_`), `${where}.cell`, `${where}.cell is the item's own cell; a misplaced item loads on another.`);
    return { item: m.item, cell: m.cell };
  });
  need(new Set(misplaced.map((m) => m.item)).size === misplaced.length, 'misplaced', 'misplaced names one item twice.');
  const itemIcc = share(spec.itemIcc, 0, 'itemIcc');
  need(itemIcc < 1, 'itemIcc', 'itemIcc must be below 1 (items need within-unit unique variance).');
  const missing = share(spec.missing, 0, 'missing');
  const kind = spec.careless?.kind ?? 'mixed';
  need(['straightline', 'random', 'mixed'].includes(kind), 'careless.kind', `careless.kind must be straightline, random or mixed; got "${kind}".`);
  const careless = { share: share(spec.careless?.share, 0, 'careless.share'), kind };
  return {
    contexts,
    unitsPerContext,
    unitSize: { mean: size.mean, min, max },
    waves,
    itemsPerCell,
    reverseItems: [...reverseItems],
    scaleMin,
    scaleMax,
    spread,
    loadings,
    cellCorrelation,
    cellMeans,
    contextMeans,
    icc1,
    drift,
    nonInvariance,
    misplaced,
    itemIcc,
    missing,
    careless,
    completionTime: spec.completionTime ?? false,
  };
}
