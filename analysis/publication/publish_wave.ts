import { InputError } from '../errors.js';
import { CELLS, DIMENSIONS, DIMENSION_NAMES, LEVERS, LEVER_NAMES, cellDimension, cellLever, type Cell, type DimensionName, type LeverName } from '../sei_model.js';
import { resolveItemMap, type ItemMap } from '../scoring/item_map.js';
import { cellScoreMatrix } from '../scoring/cell_scores.js';
import { scoreUnits, type ScoreResult, type UnitAggregation } from '../scoring/score_units.js';
import { rwgJ } from '../agreement/rwg_j.js';
import { uniformNullVariance } from '../agreement/null_variance.js';
import { unitDrift, type DriftAnalysis, type UnitWaveScore } from '../dynamics/drift.js';
import { scaleReliability, type ScaleReliability } from '../reliability/scale_reliability.js';
import { publicationPolicy, type PublicationPolicy, type SuppressionReason } from './policy.js';
import { validRespondents } from './valid_respondents.js';
import { ORGANISATION, publishAggregates, type AggregatePublication } from './aggregate_tree.js';
import { agreementRequirement, belowRequirement, reliabilityRequirement, type SkippedAnalysis } from './minimum_sample.js';
import { finiteOrNull } from './finite.js';

/** One respondent's stored answer set: item id → answer, null for "not applicable / don't know"; a skipped item is absent. */
export interface PublicationAnswerSet {
  readonly unitKey: string;
  readonly answers: Readonly<Record<string, number | null>>;
}

export interface PublicationWave {
  readonly label: string;
  readonly minGroupSize: number;
  readonly answerSets: readonly PublicationAnswerSet[];
  /**
   * For an earlier wave with a stored publication: the units that publication published. Its
   * unit-waves enter z, misalignment and drift only when published there too, so that a
   * derived value never stands on a unit-wave that the wave's own (frozen) publication withheld.
   */
  readonly published?: readonly string[];
}

/** A unit of the hierarchy as a publication used it; the context is carried for the comparisons across contexts. */
export interface HierarchyUnit {
  readonly key: string;
  readonly parentKey: string | null;
  readonly context?: string | null;
}

/** Everything the publication of one closed wave is a function of. */
export interface WavePublicationInput {
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: readonly { readonly id: string; readonly cell: Cell; readonly reverse: boolean }[];
  /**
   * The unit hierarchy (every unit; those without respondents in a wave are left out of it).
   * A closed wave's publications all use the hierarchy of its first one (the stored
   * `hierarchy`): re-run after a unit moved, the wave publishes the same aggregates again.
   */
  readonly units: readonly HierarchyUnit[];
  /** Waves on the same instrument version, oldest first; the last is the one published, the first the baseline of z and drift. */
  readonly waves: readonly PublicationWave[];
  /** Respondent counts of every earlier publication of the last wave's aggregates (each key → n; the stored runs' `counts`). */
  readonly previous?: readonly Readonly<Record<string, number>>[];
  /** The rise in M that counts as drift (default 0.5). */
  readonly driftCapacity?: number;
}

export type AggregateKind = 'index' | 'dimension' | 'lever' | 'cell';

/** rwg(j) of every aggregate shown (uniform null), each over the members who answered all its items; null when fewer than k did. */
export interface AggregateAgreement {
  readonly index: number | null;
  readonly cells: Readonly<Record<Cell, number | null>>;
  readonly dimensions: Readonly<Record<DimensionName, number | null>>;
  readonly levers: Readonly<Record<LeverName, number | null>>;
}

export interface AggregateScores {
  readonly n: number;
  readonly cells: Readonly<Record<Cell, number>>;
  readonly dimensions: Readonly<Record<DimensionName, number>>;
  readonly levers: Readonly<Record<LeverName, number>>;
  readonly seiCi: number;
  readonly agreement: AggregateAgreement;
}

/** One wave of a unit's misalignment history; change is M − M at the unit's first published wave. */
export interface DriftPoint {
  readonly wave: string;
  readonly misalignment: number;
  readonly change: number;
  readonly dominant: DimensionName | null;
  readonly organisationMedian: number | null;
}

/** A published unit: a unit whose aggregate covers only its own members (z, M and drift are defined for these). */
export interface PublishedUnit extends AggregateScores {
  readonly unitKey: string;
  readonly suppressed: false;
  readonly rollup: boolean;
  /** rwg(j) per dimension (shared/CONTRACT.md `score`). */
  readonly rwgj: Readonly<Record<DimensionName, number | null>>;
  readonly z: Readonly<Record<DimensionName, number>> | null;
  readonly misalignment: number | null;
  readonly dominant: DimensionName | null;
  readonly drift: number | null;
  readonly drifting: boolean | null;
  readonly trend: readonly DriftPoint[];
  readonly aggregation: UnitAggregation | null;
}

/** A suppressed unit: no score, no statistic, no respondent count. */
export interface SuppressedUnit {
  readonly unitKey: string;
  readonly suppressed: true;
  readonly rollup: boolean;
  readonly n: null;
  readonly reason: SuppressionReason;
}

export type PublishedAggregate = PublishedUnit | SuppressedUnit;

export type ReliabilityEntry = Omit<ScaleReliability, 'items'> | SkippedAnalysis | { readonly error: string };

export interface DimensionAgreement {
  readonly icc1: number;
  readonly icc2: number;
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
  readonly meanRwgj: number | null;
}

/** The stored publication of one wave: everything any report, export or API answer shows. */
export interface WavePublication {
  readonly pipelineVersion: 1;
  readonly wave: string;
  readonly minGroupSize: number;
  /** Respondents of the published units of the wave (the sample of ICC and reliability). */
  readonly n: number;
  readonly baselineWave: string | null;
  /** Every unit with respondents in its subtree, by key: published roll-ups and units, or suppressed. */
  readonly units: readonly PublishedAggregate[];
  /** The organisation over every valid respondent of the wave, or suppressed. */
  readonly organisation: (AggregateScores & { readonly suppressed: false }) | { readonly suppressed: true; readonly reason: SuppressionReason };
  /** Respondent counts of the published aggregates (the next publication of this wave must match them or differ by ≥ k). */
  readonly counts: Readonly<Record<string, number>>;
  readonly reliability: Readonly<Record<string, ReliabilityEntry>>;
  /** ICC(1), ICC(2), F per dimension over the published units, and their mean rwg(j). */
  readonly agreement: Readonly<Record<DimensionName, DimensionAgreement>> | SkippedAnalysis;
  /** The diagnosis inputs per published unit: cells, z, M and dominant dimension are in `units`; drift history in their `trend`. */
  readonly driftCapacity: number;
  /** unitDrift over the published unit-waves (the diagnosis input), null when the wave has no published unit. */
  readonly drift: DriftAnalysis | null;
  /** The hierarchy this publication used: every later publication of the same wave uses it again (results of a closed wave are frozen). */
  readonly hierarchy: readonly HierarchyUnit[];
  readonly warnings: readonly string[];
}

const DIM_NAMES: readonly DimensionName[] = DIMENSIONS.map((d) => DIMENSION_NAMES[d]);
const LEVER_KEYS: readonly LeverName[] = LEVERS.map((l) => LEVER_NAMES[l]);

function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

function median(values: readonly number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

interface ScoredWave {
  readonly wave: PublicationWave;
  readonly policy: PublicationPolicy;
  /** Answers (NaN = missing) of the valid respondents, with their units. */
  readonly rows: number[][];
  readonly cellScores: number[][];
  readonly unitOf: string[];
  readonly publication: AggregatePublication;
}

/**
 * The one pipeline of seici's results: publishes a closed wave from its answer sets (and the
 * earlier waves it is compared with) under the publication policy of the wave's minimum group
 * size (see policy.ts). Steps:
 * 1. valid respondents: a score for every cell (validRespondents); only they count and are scored;
 * 2. per wave, the aggregates (units rolled up over their descendants, the organisation)
 *    decided by publishAggregates with k = the larger of that wave's and the published wave's
 *    minimum, and for the published wave against its earlier publications (`previous`);
 * 3. unit scores, z, misalignment, drift, rwg(j) and ICC with scoreUnits over the published
 *    units only (a unit whose aggregate covers just its own members), so that every derived
 *    value uses only publishable unit-waves; the baseline of z is the earliest wave with at
 *    least two published units;
 * 4. roll-up and organisation means of the respondents' cell scores, and rwg(j) of every
 *    aggregate over the members who answered all its items (published only when ≥ k did);
 * 5. reliability per dimension, lever and cell over the published units' respondents;
 * 6. drift history per unit (unitDrift) with the organisation's median M per wave.
 * Suppressed aggregates keep only their key and the reason. Pure: no I/O, same input → same output.
 */
export function publishWave(input: WavePublicationInput): WavePublication {
  if (input.waves.length === 0) throw new InputError('waves', 'waves must hold at least the wave to publish.');
  const current = input.waves.at(-1)!;
  const policy = publicationPolicy(current.minGroupSize);
  const k = policy.minGroupSize;
  const columns = input.items.map((i) => i.id);
  const map: ItemMap = {
    scaleMin: input.scaleMin,
    scaleMax: input.scaleMax,
    items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])),
  };
  const resolved = resolveItemMap(map, columns);
  const nodes = (own: Map<string, number>) => {
    const known = new Set(input.units.map((u) => u.key));
    const list = input.units.map((u) => ({ key: u.key, parentKey: u.parentKey, own: own.get(u.key) ?? 0 }));
    for (const [key, n] of own) if (!known.has(key)) list.push({ key, parentKey: null, own: n });
    return list;
  };

  const scored: ScoredWave[] = input.waves.map((wave, w) => {
    const isCurrent = w === input.waves.length - 1;
    const wavePolicy = publicationPolicy(Math.max(k, wave.minGroupSize));
    const all = wave.answerSets.map((set) =>
      columns.map((id) => {
        const v = set.answers[id];
        return typeof v === 'number' ? v : NaN;
      }),
    );
    const flat = cellScoreMatrix(all, resolved);
    const valid = validRespondents(flat, all.length);
    const rows: number[][] = [];
    const cellScores: number[][] = [];
    const unitOf: string[] = [];
    const own = new Map<string, number>();
    wave.answerSets.forEach((set, r) => {
      if (!valid[r]) return;
      rows.push(all[r]);
      cellScores.push(Array.from(flat.subarray(r * 9, r * 9 + 9)));
      unitOf.push(set.unitKey);
      own.set(set.unitKey, (own.get(set.unitKey) ?? 0) + 1);
    });
    const publication = publishAggregates(nodes(own), wavePolicy, isCurrent ? { previous: input.previous } : {});
    return { wave, policy: wavePolicy, rows, cellScores, unitOf, publication };
  });
  const now = scored.at(-1)!;

  /**
   * Units whose published aggregate covers only their own members: these are scored as units.
   * In an earlier wave with a stored publication, only those it published too.
   */
  const scoredUnits = (s: ScoredWave) => {
    const allowed = s.wave.published ? new Set(s.wave.published) : null;
    return new Set(
      [...s.publication.members]
        .filter(([key, members]) => key !== ORGANISATION && members.length === 1 && members[0] === key && (allowed === null || allowed.has(key)))
        .map(([key]) => key),
    );
  };

  // Step 3: scoreUnits over the published units of every wave.
  const answers: number[][] = [];
  const unit: string[] = [];
  const waveOf: string[] = [];
  for (const s of scored) {
    const units = scoredUnits(s);
    s.unitOf.forEach((u, r) => {
      if (!units.has(u)) return;
      answers.push(s.rows[r]);
      unit.push(u);
      waveOf.push(s.wave.label);
    });
  }
  const warnings: string[] = [];
  const invalid = current.answerSets.length - now.rows.length;
  if (invalid > 0) warnings.push(`${invalid} complete answer set${invalid === 1 ? '' : 's'} gave no score to some cell (fewer than half its items answered) and ${invalid === 1 ? 'is' : 'are'} not counted.`);
  const inCurrent = waveOf.filter((w) => w === current.label).length;
  let scores: ScoreResult | null = null;
  if (inCurrent > 0) {
    // The baseline of z and drift: the earliest wave with at least two published units (z needs an SD over units).
    const unitsIn = (label: string) => new Set(unit.filter((_, r) => waveOf[r] === label)).size;
    const baseline = input.waves.map((w) => w.label).find((label) => unitsIn(label) >= 2) ?? current.label;
    scores = scoreUnits({ items: columns, answers, unit, wave: waveOf }, map, { baselineWave: baseline, minGroupSize: k });
    warnings.push(...scores.diagnostics.warnings);
  } else {
    warnings.push(`No unit of this wave has ${k} or more valid respondents of its own; no unit is scored.`);
  }
  const unitScores = new Map((scores?.units ?? []).filter((u) => u.wave === current.label).map((u) => [u.unit, u]));

  // Step 6: drift history over the published unit-waves.
  const capacity = input.driftCapacity ?? 0.5;
  const history: UnitWaveScore[] = (scores?.units ?? []).map((u) => ({ unit: u.unit, wave: u.wave, n: u.n, cells: u.cells, z: u.z, misalignment: u.misalignment, dominant: u.dominant }));
  const labels = input.waves.map((w) => w.label).filter((l) => history.some((h) => h.wave === l));
  const drift = history.length > 0 && labels.includes(current.label) ? unitDrift(history, { capacity, waves: labels, baselineWave: scores!.baselineWave }) : null;
  const orgMedian = new Map(labels.map((l) => [l, median(history.filter((h) => h.wave === l).map((h) => h.misalignment))]));

  // Step 4: aggregate scores and rwg(j) of every published aggregate.
  const nullVar = uniformNullVariance(input.scaleMax - input.scaleMin + 1);
  const columnsWhere = (keep: (cell: Cell) => boolean) => input.items.flatMap((item, j) => (keep(item.cell) ? [j] : []));
  const rwgOf = (members: number[], cols: number[]): number | null => {
    const complete = members.filter((r) => cols.every((j) => now.rows[r][j] === now.rows[r][j]));
    if (complete.length < k) return null;
    return finiteOrNull(rwgJ(now.rows, complete, cols, nullVar));
  };
  const aggregateScores = (members: number[]): AggregateScores => {
    const cells = CELLS.map((_, c) => mean(members.map((r) => now.cellScores[r][c])));
    const record = <K extends string>(keys: readonly K[], values: readonly number[]) => Object.fromEntries(keys.map((key, i) => [key, values[i]])) as Record<K, number>;
    const dims = DIMENSIONS.map((d) => mean(CELLS.flatMap((c, i) => (cellDimension(c) === d ? [cells[i]] : []))));
    const levers = LEVERS.map((l) => mean(CELLS.flatMap((c, i) => (cellLever(c) === l ? [cells[i]] : []))));
    return {
      n: members.length,
      cells: record(CELLS, cells),
      dimensions: record(DIM_NAMES, dims),
      levers: record(LEVER_KEYS, levers),
      seiCi: mean(cells),
      agreement: {
        index: rwgOf(members, columnsWhere(() => true)),
        cells: Object.fromEntries(CELLS.map((c) => [c, rwgOf(members, columnsWhere((x) => x === c))])) as Record<Cell, number | null>,
        dimensions: Object.fromEntries(DIMENSIONS.map((d) => [DIMENSION_NAMES[d], rwgOf(members, columnsWhere((x) => cellDimension(x) === d))])) as Record<DimensionName, number | null>,
        levers: Object.fromEntries(LEVERS.map((l) => [LEVER_NAMES[l], rwgOf(members, columnsWhere((x) => cellLever(x) === l))])) as Record<LeverName, number | null>,
      },
    };
  };
  const rowsOf = (units: readonly string[]) => {
    const set = new Set(units);
    return now.unitOf.flatMap((u, r) => (set.has(u) ? [r] : []));
  };

  const counts: Record<string, number> = {};
  const units: PublishedAggregate[] = [];
  let organisation: WavePublication['organisation'] = { suppressed: true, reason: 'below-minimum' };
  for (const decision of now.publication.aggregates) {
    if (!decision.published) {
      if (decision.key === ORGANISATION) organisation = { suppressed: true, reason: decision.reason };
      else units.push({ unitKey: decision.key, suppressed: true, rollup: decision.rollup, n: null, reason: decision.reason });
      continue;
    }
    counts[decision.key] = decision.n;
    const aggregate = aggregateScores(rowsOf(now.publication.members.get(decision.key)!));
    if (decision.key === ORGANISATION) {
      organisation = { suppressed: false, ...aggregate };
      continue;
    }
    const s = unitScores.get(decision.key);
    const d = drift?.units.find((u) => u.unit === decision.key);
    units.push({
      unitKey: decision.key,
      suppressed: false,
      rollup: decision.rollup,
      ...aggregate,
      rwgj: aggregate.agreement.dimensions,
      z: s ? s.z : null,
      misalignment: s ? finiteOrNull(s.misalignment) : null,
      dominant: s ? s.dominant : null,
      drift: s ? finiteOrNull(s.drift) : null,
      drifting: d ? d.drifting : null,
      trend: d
        ? d.history.map((h) => ({ wave: h.wave, misalignment: h.misalignment, change: h.change, dominant: h.dominant, organisationMedian: orgMedian.get(h.wave) ?? null }))
        : [],
      aggregation: s ? s.aggregation : null,
    });
  }
  units.sort((a, b) => (a.unitKey < b.unitKey ? -1 : a.unitKey > b.unitKey ? 1 : 0));

  // Step 5: reliability over the published units' respondents of this wave.
  const sample = rowsOf([...scoredUnits(now)]);
  const reliability: Record<string, ReliabilityEntry> = {};
  const scales: [string, (cell: Cell) => boolean][] = [
    ...DIMENSIONS.map((d) => [DIMENSION_NAMES[d], (c: Cell) => cellDimension(c) === d] as [string, (cell: Cell) => boolean]),
    ...LEVERS.map((l) => [LEVER_NAMES[l], (c: Cell) => cellLever(c) === l] as [string, (cell: Cell) => boolean]),
    ...CELLS.map((cell) => [cell, (c: Cell) => c === cell] as [string, (cell: Cell) => boolean]),
  ];
  for (const [name, includes] of scales) {
    const skipped = belowRequirement(`Reliability of ${name}`, sample.length, reliabilityRequirement());
    if (skipped) {
      reliability[name] = skipped;
      continue;
    }
    const cols = columnsWhere(includes);
    const items = cols.map((j) => input.items[j]);
    try {
      const { items: _items, ...summary } = scaleReliability(
        sample.map((r) => cols.map((j) => now.rows[r][j])),
        { items: items.map((i) => i.id), reverse: items.filter((i) => i.reverse).map((i) => i.id), scaleMin: input.scaleMin, scaleMax: input.scaleMax, missing: 'pairwise' },
      );
      reliability[name] = summary;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      reliability[name] = { error: err.message };
    }
  }

  const published = [...unitScores.values()];
  const agreement: WavePublication['agreement'] =
    belowRequirement('ICC(1), ICC(2) and the F test', published.length, agreementRequirement()) ??
    (Object.fromEntries(
      DIM_NAMES.map((name) => {
        const a = scores!.icc[current.label][name];
        const rwg = units.flatMap((u) => (!u.suppressed && unitScores.has(u.unitKey) && u.rwgj[name] !== null ? [u.rwgj[name]!] : []));
        return [name, { icc1: a.icc1, icc2: a.icc2, F: a.F, df1: a.df1, df2: a.df2, p: a.p, meanRwgj: rwg.length > 0 ? mean(rwg) : null }];
      }),
    ) as Record<DimensionName, DimensionAgreement>);

  return {
    pipelineVersion: 1,
    wave: current.label,
    minGroupSize: k,
    n: sample.length,
    baselineWave: scores ? scores.baselineWave : null,
    units,
    organisation,
    counts,
    reliability,
    agreement,
    driftCapacity: capacity,
    drift,
    hierarchy: input.units.map((u) => ({ key: u.key, parentKey: u.parentKey, ...(u.context !== undefined ? { context: u.context } : {}) })),
    warnings,
  };
}
