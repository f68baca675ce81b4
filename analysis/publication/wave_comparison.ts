import { reverseKey } from '../data/reverse_key.js';
import { sharedItems } from '../scoring/shared_items.js';
import type { Cell } from '../sei_model.js';
import { contextInvariance, publishedSample } from './scale_developer.js';
import { equivalenceOf, failingReasons, holdsInFull, untested, type Equivalence } from './invariance_gate.js';
import type { ComparedWave } from './cross_version_comparison.js';

/** One consecutive pair of waves that a run tested (its `from` wave the earlier), with the verdict for means. */
export interface WavePair {
  readonly from: string;
  readonly fromName: string;
  readonly to: string;
  readonly toName: string;
  readonly meansAcrossWaves: boolean | null;
}

/** The invariance gate of a wave's comparisons with the wave before it (drift, trends, score changes). */
export interface WaveComparison {
  readonly earlierWave: { readonly label: string; readonly name: string; readonly version: string };
  readonly currentVersion: string;
  /** The items tested: all items on the same version, the shared items across versions. */
  readonly items: readonly string[];
  /** Changes in means (drift, score changes, trends) are justified: full scalar invariance across the two waves in every dimension; null when it could not be checked. */
  readonly meansAcrossWaves: boolean | null;
  /** Changes in relations between scores are justified: full metric invariance; null when not checked. */
  readonly relationsAcrossWaves: boolean | null;
  readonly equivalence: readonly Equivalence[];
  /** Every consecutive pair tested so far, oldest first: the earlier run's chain and this run's pair. */
  readonly chain: readonly WavePair[];
  /**
   * Drift since the baseline wave is justified: every consecutive pair from the baseline to this
   * wave holds full scalar invariance (false when one fails, null when one was not checked or the
   * baseline is not in the chain).
   */
  readonly driftJustified: boolean | null;
  /** The plain statement the report prints. */
  readonly statement: string;
}

/** Options of {@link waveComparison}: the earlier run's chain of tested pairs and this run's baseline wave of drift. */
export interface WaveChainOptions {
  readonly earlierChain?: readonly WavePair[];
  readonly baselineWave?: string | null;
}

/**
 * Whether drift since `baselineWave` is justified by a chain of consecutive pairs: every pair
 * from the one that starts at the baseline on holds (false if any fails, null if any was not
 * checked or the baseline starts no pair). True when the baseline is the chain's last wave
 * itself: drift then compares the wave with itself, across no waves.
 */
export function driftJustification(chain: readonly WavePair[], baselineWave: string | null | undefined): boolean | null {
  if (chain.length > 0 && chain.at(-1)!.to === baselineWave) return true;
  const start = baselineWave === null || baselineWave === undefined ? -1 : chain.findIndex((p) => p.from === baselineWave);
  if (start < 0) return null;
  const since = chain.slice(start);
  if (since.some((p) => p.meansAcrossWaves === false)) return false;
  return since.some((p) => p.meansAcrossWaves === null) ? null : true;
}

/**
 * The invariance gate across waves: before drift, trends and the cross-version comparison read a
 * change between a wave and the one before it, each dimension's three-cell model is tested
 * configural → metric → scalar across the two waves, on the items they share (all items on one
 * version; sharedItems across versions), with the partial search where a level fails
 * (contextInvariance, the engine of the context and language gates).
 *
 * Wave is treated as the group of a multi-group model. Longitudinal invariance proper
 * (Widaman, Ferrer & Conger, 2010, doi:10.1111/j.1750-8606.2009.00110.x) fits one model over
 * both occasions with each item's residuals correlated across them, which needs the same people
 * linked across waves; seici's respondents are anonymous and not linked, by design, so each wave
 * is an independent sample of the organisation and the multi-group model across waves is the
 * accepted practical check (as for repeated cross-sections: Meredith, 1993,
 * doi:10.1007/BF02294825, defines the levels for any grouping). Changes in means (drift, score
 * changes) need full scalar invariance, for the reason unitComparison gives (observed scores are
 * item sums, so one released intercept still moves them); changes in relations need full metric
 * invariance. A wave below the CFA's minimum sample cannot be checked: the verdict is null and the
 * statement says the changes are shown without the check.
 *
 * Both samples are the valid respondents of each wave's published units (publishedSample), on
 * each wave's own version. Drift reads M since a baseline wave that may lie several waves back,
 * so each run also keeps the chain of consecutive pairs tested so far (the earlier run's stored
 * chain plus its own pair): drift is justified only when every pair since the baseline holds.
 */
export function waveComparison(
  scale: { readonly scaleMin: number; readonly scaleMax: number },
  earlier: ComparedWave,
  current: ComparedWave,
  options: WaveChainOptions = {},
): WaveComparison {
  const result = pairComparison(scale, earlier, current);
  const chain = [...(options.earlierChain ?? []), { from: earlier.label, fromName: earlier.name, to: current.label, toName: current.name, meansAcrossWaves: result.meansAcrossWaves }];
  const driftJustified = driftJustification(chain, options.baselineWave);
  const start = chain.findIndex((p) => p.from === options.baselineWave);
  const broken = start < 0 ? [] : chain.slice(start, -1).filter((p) => p.meansAcrossWaves === false);
  const statement =
    result.meansAcrossWaves !== false && broken.length > 0
      ? `${result.statement} Drift since the baseline wave is still not justified: scalar invariance failed between ${broken.map((p) => `waves ${p.fromName} and ${p.toName}`).join(', ')}.`
      : result.statement;
  return { ...result, chain, driftJustified, statement };
}

/** The test of one pair of waves (waveComparison without the chain). */
function pairComparison(
  scale: { readonly scaleMin: number; readonly scaleMax: number },
  earlier: ComparedWave,
  current: ComparedWave,
): Omit<WaveComparison, 'chain' | 'driftJustified'> {
  const sameVersion = earlier.version.version === current.version.version;
  const base = { earlierWave: { label: earlier.label, name: earlier.name, version: earlier.version.version }, currentVersion: current.version.version };
  const shared = sharedItems(sameVersion ? [current.version] : [earlier.version, current.version]);
  if (!shared.comparable) {
    return {
      ...base,
      items: shared.items,
      meansAcrossWaves: null,
      relationsAcrossWaves: null,
      equivalence: [],
      statement: `Whether the items read alike in wave ${earlier.name} and in this wave was not checked: ${shared.reasons.join(' ')}`,
    };
  }
  const ids = shared.items;
  const specOf = new Map(Object.entries(current.version.items));
  const items = ids.map((id) => ({ id, cell: specOf.get(id)!.cell as Cell, reverse: specOf.get(id)!.reverse ?? false }));
  const rows: number[][] = [];
  const groups: string[] = [];
  for (const w of [earlier, current]) {
    const own = Object.entries(w.version.items).map(([id, i]) => ({ id, cell: i.cell as Cell, reverse: i.reverse ?? false }));
    const sample = publishedSample({ ...scale, items: own, waves: [w.wave], contexts: {} }, w.publication);
    const column = new Map(own.map((item, j) => [item.id, j]));
    for (const row of sample.rows) {
      rows.push(ids.map((id) => row[column.get(id)!]));
      groups.push(w.label);
    }
  }
  const keyed = reverseKey(rows, items.flatMap((item, j) => (item.reverse ? [j] : [])), { min: scale.scaleMin, max: scale.scaleMax });
  const tables = contextInvariance({ ...scale, items, rows, contexts: groups, seed: 1 }, keyed, { partialInvariance: true }, 'waves');
  const equivalence = tables.map(equivalenceOf);
  const on = sameVersion ? `on all ${ids.length} items` : `on the ${ids.length} items versions ${earlier.version.version} and ${current.version.version} share`;
  if (untested(equivalence)) {
    return {
      ...base,
      items: ids,
      meansAcrossWaves: null,
      relationsAcrossWaves: null,
      equivalence,
      statement: `Whether the items read alike in wave ${earlier.name} and in this wave could not be checked (${failingReasons(equivalence, 'scalar')}), so drift and changes since that wave are shown without the check.`,
    };
  }
  const meansAcrossWaves = holdsInFull(equivalence, 'scalar');
  const relationsAcrossWaves = holdsInFull(equivalence, 'metric');
  const statement = meansAcrossWaves
    ? `Changes since wave ${earlier.name} (drift, trends, score changes) are justified: scalar invariance holds across the two waves in every dimension, ${on}.`
    : `Changes since wave ${earlier.name} (drift, trends, score changes) are not justified: ${failingReasons(equivalence, 'scalar')} (tested ${on}). Without scalar invariance across the waves, a change in a unit's scores or its drift may come from the items being read differently now rather than from the unit.${relationsAcrossWaves ? ' Metric invariance holds, so changes in relations between scores compare.' : ''}`;
  return { ...base, items: ids, meansAcrossWaves, relationsAcrossWaves, equivalence, statement };
}
