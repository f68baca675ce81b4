import { closedForm, type Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { CELLS, isCell, type Cell } from '../sei_model.js';
import { contentValidityRatio, criticalContentValidityRatio } from './content_validity_ratio.js';
import { itemSortIndices } from './item_sort.js';
import { DEFAULT_VERDICT_CRITERIA, itemVerdict, type ContentVerdict, type VerdictCriteria } from './item_verdict.js';
import { itemCvi, scaleCvi } from './relevance_index.js';

/** One expert's judgement of one item (a row of shared/CONTRACT.md's RATINGS.csv). */
export interface ExpertRating {
  readonly expert: string;
  readonly item: string;
  /** 1–4 (not, somewhat, quite, highly relevant), or null when skipped. */
  readonly relevance: number | null;
  /** Lawshe's judgement: true = essential, false = useful or not necessary, null when not given. */
  readonly essential: boolean | null;
  /** The cell the expert sorted the item into without being told, or null. */
  readonly sortedCell: string | null;
}

/** The intended cell of each item, as in the `score` item map (other keys are ignored). */
export interface ContentValidityMap {
  readonly items: Readonly<Record<string, { readonly cell: string }>>;
}

export interface ContentValidityOptions {
  /** One-tailed level of the CVR's exact critical value (default .05). */
  readonly alpha?: number;
  readonly criteria?: VerdictCriteria;
}

export interface ItemContentValidity {
  readonly item: string;
  readonly cell: Cell;
  readonly iCvi: number | null;
  readonly cvr: number | null;
  readonly cvrCritical: number | null;
  readonly psa: number | null;
  readonly csv: number | null;
  readonly verdict: ContentVerdict | null;
  readonly reasons: readonly string[];
  /** Experts who rated relevance, who gave `essential`, who sorted the item. */
  readonly nRelevance: number;
  readonly nEssential: number;
  readonly nSorted: number;
  /** The other cell most often chosen in the item sort (null when none). */
  readonly confusedWith: string | null;
}

export interface CellContentValidity {
  readonly cell: Cell;
  readonly items: number;
  readonly sCviAve: number | null;
  readonly sCviUa: number | null;
}

export interface ContentValidityResult {
  /** N: the distinct experts in the ratings. */
  readonly experts: number;
  readonly alpha: number;
  readonly items: readonly ItemContentValidity[];
  readonly sCviAve: number | null;
  readonly sCviUa: number | null;
  readonly cells: readonly CellContentValidity[];
  readonly diagnostics: Diagnostics;
}

/**
 * Content validity of an instrument from an expert panel (shared/CONTRACT.md
 * `content-validity`): per item the I-CVI (Lynn, 1986), Lawshe's CVR with its exact critical
 * value (Ayre & Scally, 2014), the item-sort indices p_sa and c_sv (Anderson & Gerbing, 1991) and
 * a verdict with its reasons; per cell and overall S-CVI/Ave and S-CVI/UA (Polit & Beck, 2006).
 * Items come in the map's order; a map item nobody rated is reported with nulls and a warning.
 * Rows are numbered from 1 in the order given in error messages. No R package computes these;
 * the tests use published worked examples and an R script of the exact binomial critical values.
 */
export function contentValidity(
  ratings: readonly ExpertRating[],
  map: ContentValidityMap,
  options: ContentValidityOptions = {},
): ContentValidityResult {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InputError('alpha', `alpha must be between 0 and 1; got ${alpha}.`);
  const criteria = options.criteria ?? DEFAULT_VERDICT_CRITERIA;
  if (typeof map !== 'object' || map === null || typeof map.items !== 'object' || map.items === null) {
    throw new InputError('map', 'map must be an object with items: {item: {cell}}.');
  }
  const intended = new Map<string, Cell>();
  for (const [name, spec] of Object.entries(map.items)) {
    if (typeof spec !== 'object' || spec === null || typeof spec.cell !== 'string' || !isCell(spec.cell)) {
      throw new InputError('map', `map item "${name}" must have a cell among ${CELLS.join(', ')}.`);
    }
    intended.set(name, spec.cell);
  }
  if (intended.size === 0) throw new InputError('map', 'map.items must name at least one item.');
  if (ratings.length === 0) throw new InputError('ratings', 'ratings must hold at least one row.');

  const relevance = new Map<string, number[]>();
  const essential = new Map<string, boolean[]>();
  const sorted = new Map<string, string[]>();
  for (const name of intended.keys()) {
    relevance.set(name, []);
    essential.set(name, []);
    sorted.set(name, []);
  }
  const experts = new Set<string>();
  const seen = new Set<string>();
  ratings.forEach((r, i) => {
    const row = `row ${i + 1}`;
    if (typeof r.expert !== 'string' || r.expert.trim() === '') throw new InputError('expert', `${row}: expert is empty.`);
    if (typeof r.item !== 'string' || !intended.has(r.item)) {
      throw new InputError('item', `${row}: item "${r.item}" is not in the map.`);
    }
    const key = `${r.expert}\u0000${r.item}`;
    if (seen.has(key)) throw new InputError('item', `${row}: expert ${r.expert} rates item ${r.item} a second time.`);
    seen.add(key);
    experts.add(r.expert);
    if (r.relevance !== null) {
      if (!Number.isInteger(r.relevance) || r.relevance < 1 || r.relevance > 4) {
        throw new InputError('relevance', `${row}: relevance must be 1, 2, 3 or 4; got ${r.relevance}.`);
      }
      relevance.get(r.item)!.push(r.relevance);
    }
    if (r.essential !== null) {
      if (typeof r.essential !== 'boolean') throw new InputError('essential', `${row}: essential must be 1 or 0.`);
      essential.get(r.item)!.push(r.essential);
    }
    if (r.sortedCell !== null) {
      if (typeof r.sortedCell !== 'string' || !isCell(r.sortedCell)) {
        throw new InputError('sortedCell', `${row}: sortedCell must be one of ${CELLS.join(', ')}; got "${r.sortedCell}".`);
      }
      sorted.get(r.item)!.push(r.sortedCell);
    }
  });

  const warnings: string[] = [];
  const items: ItemContentValidity[] = [];
  for (const [name, cell] of intended) {
    const rel = relevance.get(name)!;
    const ess = essential.get(name)!;
    const iCvi = itemCvi(rel);
    const nEssential = ess.length;
    const cvr = nEssential === 0 ? null : contentValidityRatio(ess.filter(Boolean).length, nEssential);
    const cvrCritical = nEssential === 0 ? null : criticalContentValidityRatio(nEssential, alpha);
    const sort = itemSortIndices(sorted.get(name)!, cell);
    const { verdict, reasons } = itemVerdict({ iCvi, cvr, cvrCritical, essentialN: nEssential, psa: sort.psa }, criteria);
    if (rel.length === 0 && ess.length === 0 && sort.n === 0) warnings.push(`item ${name} is in the map but no expert judged it.`);
    items.push({
      item: name,
      cell,
      iCvi,
      cvr,
      cvrCritical,
      psa: sort.psa,
      csv: sort.csv,
      verdict,
      reasons,
      nRelevance: rel.length,
      nEssential,
      nSorted: sort.n,
      confusedWith: sort.strongestOtherCell,
    });
  }
  const overall = scaleCvi(items.map((i) => i.iCvi));
  const cells = CELLS.map((cell) => {
    const s = scaleCvi(items.filter((i) => i.cell === cell).map((i) => i.iCvi));
    return { cell, items: s.items, sCviAve: s.sCviAve, sCviUa: s.sCviUa };
  });
  return {
    experts: experts.size,
    alpha,
    items,
    sCviAve: overall.sCviAve,
    sCviUa: overall.sCviUa,
    cells,
    diagnostics: closedForm(warnings),
  };
}
