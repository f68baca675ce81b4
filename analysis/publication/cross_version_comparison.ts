import { DIMENSIONS, DIMENSION_NAMES, type Cell, type DimensionName } from '../sei_model.js';
import { scoreAcrossVersions, type SharedItems, type VersionItems } from '../scoring/shared_items.js';
import { finiteOrNull } from './finite.js';
import { publishedSample } from './scale_developer.js';
import type { PublicationWave, PublishedUnit, WavePublication } from './publish_wave.js';
import { failingReasons } from './invariance_gate.js';
import type { WaveComparison } from './wave_comparison.js';

/** One wave of a cross-version comparison: its answers, its instrument version and its stored publication. */
export interface ComparedWave {
  /** The wave's label in the comparison (its id). */
  readonly label: string;
  readonly name: string;
  readonly version: VersionItems;
  readonly wave: PublicationWave;
  readonly publication: Pick<WavePublication, 'units'>;
}

export interface ComparedScores {
  readonly n: number;
  readonly cells: Readonly<Record<Cell, number>>;
  readonly dimensions: Readonly<Record<DimensionName, number>>;
  readonly seiCi: number;
  /** Misalignment M on the shared items, its z standardized against the earlier wave's units (null when z is undefined). */
  readonly misalignment: number | null;
}

/** Scores of the current wave against an earlier wave answered on another instrument version, on their shared items only. */
export interface CrossVersionComparison {
  readonly earlierWave: { readonly label: string; readonly name: string; readonly version: string };
  readonly currentVersion: string;
  /** The shared items, per cell and in each version (sharedItems). */
  readonly shared: Pick<SharedItems, 'items' | 'cells' | 'comparable' | 'reasons' | 'minPerCell'>;
  /** Per unit published in both waves: its scores in each on the shared items, and the change. */
  readonly units: readonly {
    readonly unitKey: string;
    readonly earlier: ComparedScores;
    readonly current: ComparedScores;
    /** Current minus earlier; `misalignment` is the unit's drift across the two versions (on the shared items). */
    readonly change: { readonly seiCi: number; readonly dimensions: Readonly<Record<DimensionName, number>>; readonly misalignment: number | null };
  }[];
  /** Units published in both waves that the comparison leaves out, with the reason. */
  readonly withheld: readonly { readonly unitKey: string; readonly reason: string }[];
  /**
   * The gate across waves (waveComparison of the same two waves, when given): whether the
   * changes are justified (full scalar invariance on the shared items), false when not, null
   * when not checked or not given.
   */
  readonly changesJustified: boolean | null;
  /** The plain statement the report prints. */
  readonly statement: string;
}

/**
 * Compares a wave's unit scores with an earlier wave answered on a different instrument version,
 * on the items the two versions share only (scoreAcrossVersions: carried over unchanged, at least
 * 3 per cell, else the comparison is refused with the reasons). Both waves' samples are the valid
 * respondents of their published units (not roll-ups), scored with the larger of the two
 * minimum group sizes; a unit is compared only when it was published in both waves, and it is
 * withheld when its shared-item scores would cover another number of respondents than its
 * publication did (two counts of one unit-wave must never differ by fewer than k). Misalignment
 * and drift use the shared items too: z against the earlier wave as baseline (scoreUnits), drift
 * = M now − M then. With `gate` (waveComparison of the two waves), the comparison carries its
 * verdict (`changesJustified`) and, when the changes are not justified, says so in its statement.
 */
export function crossVersionComparison(
  scale: { readonly scaleMin: number; readonly scaleMax: number },
  earlier: ComparedWave,
  current: ComparedWave,
  gate?: Pick<WaveComparison, 'meansAcrossWaves' | 'equivalence'>,
): CrossVersionComparison {
  const changesJustified = gate ? gate.meansAcrossWaves : null;
  const k = Math.max(earlier.wave.minGroupSize, current.wave.minGroupSize);
  const versions = earlier.version.version === current.version.version ? [earlier.version] : [earlier.version, current.version];
  const samples = [earlier, current].map((w) =>
    publishedSample(
      {
        ...scale,
        items: Object.entries(w.version.items).map(([id, i]) => ({ id, cell: i.cell as Cell, reverse: i.reverse ?? false })),
        waves: [w.wave],
        contexts: {},
      },
      w.publication,
    ),
  );
  const columns = [...new Set([...Object.keys(earlier.version.items), ...Object.keys(current.version.items)])];
  const answers: number[][] = [];
  const unit: string[] = [];
  const wave: string[] = [];
  [earlier, current].forEach((w, i) => {
    const ids = Object.keys(w.version.items);
    for (const [r, row] of samples[i].rows.entries()) {
      const byId = new Map(ids.map((id, j) => [id, row[j]]));
      answers.push(columns.map((id) => byId.get(id) ?? NaN));
      unit.push(samples[i].units[r]);
      wave.push(w.label);
    }
  });
  const result = scoreAcrossVersions(
    { items: columns, answers, unit, wave },
    { [earlier.label]: earlier.version.version, [current.label]: current.version.version },
    versions,
    scale,
    { baselineWave: earlier.label, minGroupSize: k },
  );
  const shared = { items: result.shared.items, cells: result.shared.cells, comparable: result.shared.comparable, reasons: result.shared.reasons, minPerCell: result.shared.minPerCell };
  const base = { earlierWave: { label: earlier.label, name: earlier.name, version: earlier.version.version }, currentVersion: current.version.version, shared, changesJustified };
  const published = (w: ComparedWave) => new Map(w.publication.units.filter((u): u is PublishedUnit => !u.suppressed && !u.rollup).map((u) => [u.unitKey, u.n]));
  const before = published(earlier);
  const now = published(current);
  if (!result.scores) {
    return {
      ...base,
      units: [],
      withheld: [],
      statement: `Scores are not compared with wave ${earlier.name} (version ${earlier.version.version}): ${result.shared.reasons.join(' ')}`,
    };
  }
  const scoreOf = (unitKey: string, label: string) => result.scores!.units.find((u) => u.unit === unitKey && u.wave === label);
  const units: CrossVersionComparison['units'][number][] = [];
  const withheld: { unitKey: string; reason: string }[] = [];
  for (const [unitKey, nNow] of now) {
    const nBefore = before.get(unitKey);
    if (nBefore === undefined) continue;
    const a = scoreOf(unitKey, earlier.label);
    const b = scoreOf(unitKey, current.label);
    if (!a || !b || a.n !== nBefore || b.n !== nNow) {
      withheld.push({ unitKey, reason: 'on the shared items its scores would cover another number of respondents than its publication did, so it is not compared' });
      continue;
    }
    const pick = (s: typeof a): ComparedScores => ({ n: s.n, cells: s.cells, dimensions: s.dimensions, seiCi: s.seiCi, misalignment: finiteOrNull(s.misalignment) });
    const dims = DIMENSIONS.map((d) => DIMENSION_NAMES[d]);
    units.push({
      unitKey,
      earlier: pick(a),
      current: pick(b),
      change: {
        seiCi: b.seiCi - a.seiCi,
        dimensions: Object.fromEntries(dims.map((d) => [d, b.dimensions[d] - a.dimensions[d]])) as Record<DimensionName, number>,
        misalignment: finiteOrNull(b.misalignment - a.misalignment),
      },
    });
  }
  const dropped = columns.filter((id) => !shared.items.includes(id));
  const perCell = shared.cells.map((c) => `${c.cell} ${c.shared}`).join(', ');
  const statement =
    versions.length === 1
      ? `Compared with wave ${earlier.name} on the same version (${current.version.version}), on all ${shared.items.length} items.`
      : `Compared with wave ${earlier.name} (version ${earlier.version.version}) on the ${shared.items.length} items that versions ${earlier.version.version} and ${current.version.version} share (per cell: ${perCell}); ${dropped.length} item${dropped.length === 1 ? '' : 's'} not in both (${dropped.join(', ')}) ${dropped.length === 1 ? 'is' : 'are'} left out of both waves' scores, so these scores differ from each wave's own published scores.`;
  const unjustified =
    changesJustified === false
      ? ` The changes are not justified: the two waves do not hold scalar invariance on these items (${failingReasons(gate!.equivalence, 'scalar')}).`
      : '';
  return { ...base, units, withheld, statement: `${statement}${unjustified}` };
}
