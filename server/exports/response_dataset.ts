import { blankRareValues, cellScoreMatrix, resolveItemMap, validRespondents, type WavePublication } from '../../analysis/index.js';
import { isCell, type Cell } from '../../instrument/model.js';
import { NOT_APPLICABLE_LABEL } from '../../instrument/response_format.js';
import type { InstrumentVersion, Locale } from '../../instrument/index.js';
import type { CompleteAnswerSet } from '../queries/responses.js';
import type { Dataset, DatasetValue, DatasetVariable } from './dataset.js';
import { contentOrder } from './row_order.js';

/**
 * The code of "not applicable / don't know" in every export: a negative number outside every
 * scale, declared missing (user-missing in SPSS, `.a` in Stata, NA in the R loader). A skipped
 * item has no value at all (an empty CSV cell, SPSS's system-missing, Stata's `.`).
 */
export const NOT_APPLICABLE_CODE = -1;

/** The text columns of an export that could single a respondent out together with the unit. */
const QUASI_IDENTIFIERS = ['context', 'role', 'locale'] as const;

export interface ResponseDatasetInput {
  readonly wave: { readonly id: number; readonly minGroupSize: number; readonly locales: readonly string[] };
  readonly instrument: InstrumentVersion;
  readonly publication: WavePublication;
  /** The wave's complete answer sets, in any order (the order is not kept). */
  readonly answerSets: readonly CompleteAnswerSet[];
}

/**
 * The answer sets of a closed, published wave as one labelled data set: one row per valid answer
 * set (a score for every cell) of the units the wave's stored publication reports as units, with
 * the wave id, the unit's key and context, the respondent's role and locale, and one column per
 * item. The rows of suppressed units and of units withheld as complements are left out; a role,
 * locale or context value shared by fewer than k rows of its unit is blanked; rows are then put in
 * content order (see contentOrder), so nothing links a row to an invitation, a token or a time.
 * No token, invitation or time is exported. Item labels are the item texts in the wave's first
 * locale; value labels are the anchors of each item's response format and the not-applicable code.
 */
export function responseDataset(input: ResponseDatasetInput): Dataset {
  const { wave, instrument, publication } = input;
  const items = instrument.items;
  const seiItems = items.filter((i) => i.cell !== null && isCell(i.cell));
  const units = new Set(publication.units.filter((u) => !u.suppressed && !u.rollup).map((u) => u.unitKey));
  const sets = input.answerSets.filter((set) => units.has(set.unitKey));
  const resolved = resolveItemMap(
    { scaleMin: instrument.scaleMin, scaleMax: instrument.scaleMax, items: Object.fromEntries(seiItems.map((i) => [i.id, { cell: i.cell as Cell, reverse: i.reverse }])) },
    seiItems.map((i) => i.id),
  );
  const matrix = sets.map((set) => seiItems.map((i) => (typeof set.answers[i.id] === 'number' ? (set.answers[i.id] as number) : NaN)));
  const valid = validRespondents(cellScoreMatrix(matrix, resolved), matrix.length);
  const kept = sets.filter((_, r) => valid[r]);

  // Text columns first (unit, context, role, locale), so rare values are blanked per unit.
  const text = blankRareValues(
    kept.map((set) => [set.unitKey, set.context ?? '', set.role ?? '', set.locale]),
    0,
    QUASI_IDENTIFIERS.map((_, k) => k + 1),
    publication.minGroupSize,
  );
  const code = (v: number | null | undefined): DatasetValue => (v === null ? NOT_APPLICABLE_CODE : v === undefined ? null : v);
  const rows = contentOrder(
    kept.map((set, r): DatasetValue[] => [wave.id, ...text[r].map((x) => (x === '' ? null : x)), ...items.map((i) => code(set.answers[i.id]))]),
  );

  return {
    name: `wave-${wave.id}-responses`,
    label: `seici wave ${wave.id}: complete answer sets of published units (instrument ${instrument.id})`,
    variables: responseVariables(wave, instrument),
    rows,
  };
}

/** The locale of an export's labels: the wave's first locale when the instrument has it, else English. */
function labelLocale(wave: ResponseDatasetInput['wave'], instrument: InstrumentVersion): Locale {
  return (instrument.locales.includes(wave.locales[0] as Locale) ? wave.locales[0] : 'en') as Locale;
}

/**
 * The variables of a wave's response export, with their labels (see responseDataset): known before
 * the wave closes, so the codebook of an open wave can be read while it runs.
 */
export function responseVariables(wave: ResponseDatasetInput['wave'], instrument: InstrumentVersion): DatasetVariable[] {
  const locale = labelLocale(wave, instrument);
  const k = wave.minGroupSize;
  const fixed: DatasetVariable[] = [
    textVariable('wave', 'Wave id', 'integer'),
    textVariable('unit', 'Unit key (only units published as units)'),
    textVariable('context', `Unit context (empty when fewer than ${k} rows of the unit share it)`),
    textVariable('role', `Respondent role, when given (empty when fewer than ${k} rows of the unit share it)`),
    textVariable('locale', `Language the questionnaire was answered in (empty when fewer than ${k} rows of the unit share it)`),
  ];
  const notApplicable = { value: NOT_APPLICABLE_CODE, label: NOT_APPLICABLE_LABEL[locale] };
  const itemVariables = instrument.items.map((item): DatasetVariable => {
    const format = instrument.responseFormats[item.response];
    return {
      name: item.id,
      label: item.text[locale],
      kind: 'integer',
      decimals: 0,
      measure: format.nominal ? 'nominal' : 'ordinal',
      valueLabels: [...format.anchors.map((a) => ({ value: a.value, label: a.label[locale] })), notApplicable],
      missingCodes: [NOT_APPLICABLE_CODE],
      labelSet: format.id,
    };
  });
  return [...fixed, ...itemVariables];
}

function textVariable(name: string, label: string, kind: 'integer' | 'text' = 'text'): DatasetVariable {
  return { name, label, kind, decimals: 0, measure: 'nominal', valueLabels: [], missingCodes: [], labelSet: null };
}
