import { closedForm, type Diagnostics } from '../diagnostics.js';
import { InputError } from '../errors.js';
import { isCodedLabels, labelsOf } from '../data/columns.js';
import { CELLS, isCell, type Cell } from '../sei_model.js';
import type { ItemMap } from './item_map.js';
import { scoreUnits, type Responses, type ScoreOptions, type ScoreResult } from './score_units.js';

/** The fewest shared items a cell needs for scores on different versions to be compared. */
export const MIN_SHARED_ITEMS_PER_CELL = 3;

/** An item's cell, keying and (optionally) wording. */
export interface VersionItem {
  readonly cell: string;
  readonly reverse?: boolean;
  readonly text?: Readonly<Record<string, string>>;
}

/** One instrument version's items by id. */
export interface VersionItems {
  readonly version: string;
  readonly items: Readonly<Record<string, VersionItem>>;
}

export interface SharedCell {
  readonly cell: Cell;
  /** Ids of the cell's items that every version carries unchanged, in the first version's order. */
  readonly items: readonly string[];
  readonly shared: number;
  /** The cell's item count in each version. */
  readonly perVersion: Readonly<Record<string, number>>;
  /** At least `minPerCell` shared items. */
  readonly comparable: boolean;
}

export interface SharedItems {
  readonly versions: readonly string[];
  /** Every shared item id, in the first version's order. */
  readonly items: readonly string[];
  readonly cells: readonly SharedCell[];
  /** True when every cell keeps at least `minPerCell` shared items. */
  readonly comparable: boolean;
  /** One sentence per cell that blocks the comparison. */
  readonly reasons: readonly string[];
  readonly minPerCell: number;
  readonly diagnostics: Diagnostics;
}

function sameContent(a: VersionItem, b: VersionItem): boolean {
  if (a.cell !== b.cell || (a.reverse ?? false) !== (b.reverse ?? false)) return false;
  if (a.text === undefined || b.text === undefined) return true;
  const keys = new Set([...Object.keys(a.text), ...Object.keys(b.text)]);
  for (const k of keys) if (a.text[k] !== b.text[k]) return false;
  return true;
}

/**
 * The items that instrument versions share: those carried over unchanged into every one of them
 * (same id, cell, keying and, when given, wording; a revised item has a new id, so it is not
 * shared). Scores of waves answered on different versions are comparable only on these items,
 * and only when each cell keeps at least `minPerCell` of them (default 3: a cell mean of fewer
 * items is too unreliable to compare, and the SEI-CI's own floor per cell is 3). An id present in
 * every version with different content is left out with a warning. Pure; no R counterpart.
 */
export function sharedItems(versions: readonly VersionItems[], minPerCell = MIN_SHARED_ITEMS_PER_CELL): SharedItems {
  if (!Array.isArray(versions) || versions.length === 0) throw new InputError('versions', 'versions must name at least one instrument version.');
  if (!Number.isInteger(minPerCell) || minPerCell < 1) throw new InputError('minPerCell', `minPerCell must be a whole number of at least 1; got ${minPerCell}.`);
  const ids = new Set<string>();
  for (const v of versions) {
    if (ids.has(v.version)) throw new InputError('versions', `versions names ${v.version} twice.`);
    ids.add(v.version);
    for (const [id, spec] of Object.entries(v.items) as [string, VersionItem][]) {
      if (!isCell(spec.cell)) throw new InputError('versions', `version ${v.version}: item ${id} has no SEI cell (${spec.cell}).`);
    }
  }
  const [first, ...rest] = versions;
  const warnings: string[] = [];
  const shared: string[] = [];
  for (const [id, spec] of Object.entries(first.items) as [string, VersionItem][]) {
    const others = rest.map((v) => v.items[id]);
    if (others.some((o) => o === undefined)) continue;
    if (others.every((o) => sameContent(spec, o!))) shared.push(id);
    else warnings.push(`item ${id} differs in content between the versions, so it is not shared.`);
  }
  const reasons: string[] = [];
  const cells = CELLS.map((cell): SharedCell => {
    const items = shared.filter((id) => first.items[id].cell === cell);
    const perVersion = Object.fromEntries(versions.map((v) => [v.version, (Object.values(v.items) as VersionItem[]).filter((i) => i.cell === cell).length]));
    const comparable = items.length >= minPerCell;
    if (!comparable) {
      reasons.push(
        `cell ${cell} keeps ${items.length} shared item${items.length === 1 ? '' : 's'}${items.length > 0 ? ` (${items.join(', ')})` : ''} across ${versions.map((v) => v.version).join(', ')}; comparing scores needs at least ${minPerCell}.`,
      );
    }
    return { cell, items, shared: items.length, perVersion, comparable };
  });
  return {
    versions: versions.map((v) => v.version),
    items: shared,
    cells,
    comparable: reasons.length === 0,
    reasons,
    minPerCell,
    diagnostics: closedForm(warnings),
  };
}

/** Scores across waves answered on different instrument versions, or the refusal and why. */
export interface CrossVersionScores {
  readonly shared: SharedItems;
  /** `seici score`'s result on the shared items only; null when the comparison is refused. */
  readonly scores: ScoreResult | null;
}

/**
 * Unit scores, z, misalignment and drift across waves whose respondents answered different
 * instrument versions: every wave is scored on the items all the waves' versions share, so a
 * change in a score is not a change of items. `waveVersions` gives each wave's version; the
 * versions used are compared with {@link sharedItems} and, when some cell keeps fewer than
 * `minPerCell` shared items, no score is computed (`scores: null`, the reasons in `shared`).
 */
export function scoreAcrossVersions(
  responses: Responses,
  waveVersions: Readonly<Record<string, string>>,
  versions: readonly VersionItems[],
  scale: { readonly scaleMin: number; readonly scaleMax: number },
  options: ScoreOptions & { readonly minPerCell?: number } = {},
): CrossVersionScores {
  const waveLabels = responses.wave === undefined ? ['1'] : isCodedLabels(responses.wave) ? labelsOf(responses.wave) : responses.wave;
  const waves = [...new Set(waveLabels.filter((w): w is string => w !== null))];
  const byId = new Map(versions.map((v) => [v.version, v]));
  const used: VersionItems[] = [];
  for (const w of waves) {
    const id = waveVersions[w];
    if (id === undefined) throw new InputError('waveVersions', `waveVersions gives no instrument version for wave ${w}.`);
    const v = byId.get(id);
    if (!v) throw new InputError('versions', `wave ${w} was answered on version ${id}, which versions does not hold.`);
    if (!used.includes(v)) used.push(v);
  }
  const shared = sharedItems(used, options.minPerCell);
  if (!shared.comparable) return { shared, scores: null };
  const first = used[0];
  const map: ItemMap = {
    scaleMin: scale.scaleMin,
    scaleMax: scale.scaleMax,
    items: Object.fromEntries(shared.items.map((id) => [id, { cell: first.items[id].cell as Cell, reverse: first.items[id].reverse ?? false }])),
  };
  const scores = scoreUnits(responses, map, options);
  const note =
    used.length > 1
      ? [`scores use the ${shared.items.length} items that versions ${shared.versions.join(', ')} share (${shared.cells.map((c) => `${c.cell} ${c.shared}`).join(', ')}).`]
      : [];
  return {
    shared,
    scores: { ...scores, diagnostics: { ...scores.diagnostics, warnings: [...scores.diagnostics.warnings, ...note] } },
  };
}
