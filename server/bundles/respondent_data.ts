import { cellScoreMatrix, publishWave, resolveItemMap, validRespondents, type WavePublication, type WavePublicationInput } from '../../analysis/index.js';

/** One respondent's answers in a bundle: the wave and unit (published as a unit), and the answers in item order (null = missing or "don't know"). */
export interface BundleRow {
  readonly wave: string;
  readonly unit: string;
  readonly answers: readonly (number | null)[];
}

/** A wave whose answers a bundle holds, with the policy it was published under. */
export interface BundleWave {
  readonly label: string;
  /** The wave's own minimum group size. */
  readonly minGroupSize: number;
  /** The k its units were published under in this run (the larger of its own and the analysed wave's). */
  readonly appliedMinGroupSize: number;
  /** The units published as units (aggregates of only their own members): the only answers held. */
  readonly units: readonly { readonly key: string; readonly n: number }[];
}

export interface BundleRespondents {
  readonly items: readonly string[];
  readonly waves: readonly BundleWave[];
  readonly rows: readonly BundleRow[];
}

/** Why the answers of a run cannot be put in a bundle (the data changed since the run). */
export class BundleDataMismatch extends Error {}

/** The units of a publication published as units: not suppressed and no roll-up over other units' members. */
function unitsPublishedAsUnits(publication: WavePublication): Map<string, number> {
  return new Map(publication.units.flatMap((u) => (!u.suppressed && !u.rollup ? [[u.unitKey, u.n] as [string, number]] : [])));
}

function compareRows(a: BundleRow, b: BundleRow, waveOrder: ReadonlyMap<string, number>): number {
  const w = waveOrder.get(a.wave)! - waveOrder.get(b.wave)!;
  if (w !== 0) return w;
  if (a.unit !== b.unit) return a.unit < b.unit ? -1 : 1;
  for (let j = 0; j < a.answers.length; j++) {
    const x = a.answers[j] ?? -Infinity;
    const y = b.answers[j] ?? -Infinity;
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * The respondent data a bundle may hold for a wave run, under the publication policy: the
 * valid answer sets (a score in every cell) of the units that the run published *as units*,
 * in the analysed wave and in each earlier wave it compared with (published there under the
 * larger k, as publishWave does), labelled by wave and unit only. Every number of the run
 * that concerns units (their scores, z, M, drift, rwg(j), ICC, reliability, the
 * scale-developer analyses) is computed from exactly these rows.
 *
 * Left out, always: answer sets of suppressed units, also pooled into a roll-up (a roll-up's
 * residual group would change with the hierarchy, and two bundles labelled by two hierarchies
 * could intersect to fewer than k people); roles, locales, contexts, times, tokens and the
 * order of submission (rows are sorted by wave, unit and answers). So any two bundles, of any
 * runs, differ by whole units of ≥ k respondents or not at all: a closed wave's answers never
 * change, and a unit is in a bundle with all its valid respondents or with none.
 *
 * Refuses (BundleDataMismatch) when the stored answers no longer give the run's published
 * counts (then they are not the data the run used), and when the run uses as a unit one that
 * some stored publication of that wave withheld (`shown`: per wave label, the units every
 * stored publication of the wave published as units): after a change of the hierarchy, a
 * republication may score a team that an earlier publication suppressed to protect a smaller
 * one, and its answers next to the earlier roll-up would isolate that smaller team.
 */
export function bundleRespondents(input: WavePublicationInput, publication: WavePublication, shown: ReadonlyMap<string, ReadonlySet<string> | null>): BundleRespondents {
  const items = input.items.map((i) => i.id);
  const resolved = resolveItemMap(
    { scaleMin: input.scaleMin, scaleMax: input.scaleMax, items: Object.fromEntries(input.items.map((i) => [i.id, { cell: i.cell, reverse: i.reverse }])) },
    items,
  );
  const current = input.waves.at(-1)!;
  const k = publication.minGroupSize;
  const waves: BundleWave[] = [];
  const rows: BundleRow[] = [];
  input.waves.forEach((wave, w) => {
    const isCurrent = w === input.waves.length - 1;
    const applied = isCurrent ? k : Math.max(k, wave.minGroupSize);
    const everywhere = shown.get(wave.label);
    // An earlier wave's units are decided again under today's hierarchy (as publishWave does); only those every
    // stored publication of that wave also showed as units may leave (those a run under an older hierarchy used).
    const published = isCurrent
      ? unitsPublishedAsUnits(publication)
      : new Map([...unitsPublishedAsUnits(publishWave({ ...input, waves: [{ ...wave, minGroupSize: applied }], previous: [] }))].filter(([key]) => !everywhere || everywhere.has(key)));
    const answers = wave.answerSets.map((set) => items.map((id) => (typeof set.answers[id] === 'number' ? (set.answers[id] as number) : NaN)));
    const valid = validRespondents(cellScoreMatrix(answers, resolved), answers.length);
    const found = new Map<string, number>();
    wave.answerSets.forEach((set, r) => {
      if (!valid[r] || !published.has(set.unitKey)) return;
      found.set(set.unitKey, (found.get(set.unitKey) ?? 0) + 1);
      rows.push({ wave: wave.label, unit: set.unitKey, answers: answers[r].map((v) => (Number.isNaN(v) ? null : v)) });
    });
    for (const key of published.keys()) {
      if (isCurrent && everywhere && !everywhere.has(key)) {
        throw new BundleDataMismatch(
          `unit ${key} of wave ${wave.label} was withheld from another publication of that wave (so that no subtraction would isolate fewer than k people), and this run, made after the unit hierarchy changed, publishes it as a unit; its answers cannot leave in a bundle.`,
        );
      }
    }
    for (const [key, n] of published) {
      if (found.get(key) !== n) {
        throw new BundleDataMismatch(`unit ${key} of wave ${wave.label} has ${found.get(key) ?? 0} valid answer sets now but ${n} in the analysis, so the stored answers are not the data this run used.`);
      }
      if (n < applied) throw new Error(`unit ${key} of wave ${wave.label} was published with ${n} < ${applied} respondents.`);
    }
    if (isCurrent && wave !== current) throw new Error('the analysed wave must be the last one.');
    waves.push({
      label: wave.label,
      minGroupSize: wave.minGroupSize,
      appliedMinGroupSize: applied,
      units: [...published].map(([key, n]) => ({ key, n })).sort((a, b) => (a.key < b.key ? -1 : 1)),
    });
  });
  const order = new Map(input.waves.map((w, i) => [w.label, i]));
  rows.sort((a, b) => compareRows(a, b, order));
  return { items, waves, rows };
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading formula character is prefixed with `'`. */
function field(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV: `wave,unit,<item>…`, a missing answer as an empty cell. */
export function respondentCsv(data: BundleRespondents): string {
  const lines = [['wave', 'unit', ...data.items].map(field).join(',')];
  for (const r of data.rows) lines.push([field(r.wave), field(r.unit), ...r.answers.map((v) => (v === null ? '' : String(v)))].join(','));
  return lines.join('\n') + '\n';
}
