import { stringify } from 'csv-stringify/sync';
import { completeAnswerSets } from '../queries/responses.js';
import type { Services } from '../services.js';
import { requireWave } from './waves.js';

export interface CsvFile {
  readonly filename: string;
  readonly csv: string;
}

/**
 * The complete answer sets of a wave as CSV for R or SPSS: one row per answer set with the
 * unit's key and context, the respondent's role and locale, and one column per item (empty =
 * missing or not applicable). Units with fewer complete answer sets than the wave's minimum
 * group size are left out entirely. No token, invitation or time is exported.
 */
export async function exportResponses(s: Services, waveId: number): Promise<CsvFile> {
  const wave = await requireWave(s, waveId);
  const instrument = (await s.instruments.get(wave.instrumentVersion))!;
  const items = instrument.definition.items.map((i) => i.id);
  const sets = await completeAnswerSets(s.db, waveId);
  const sizes = new Map<string, number>();
  for (const set of sets) sizes.set(set.unitKey, (sizes.get(set.unitKey) ?? 0) + 1);
  const rows = sets
    .filter((set) => sizes.get(set.unitKey)! >= wave.minGroupSize)
    .map((set) => [String(wave.id), set.unitKey, set.context ?? '', set.role ?? '', set.locale, ...items.map((id) => set.answers[id] ?? '')]);
  return { filename: `wave-${wave.id}-responses.csv`, csv: stringify([['wave', 'unit', 'context', 'role', 'locale', ...items], ...rows]) };
}

/** The codebook of a wave's export: each column's meaning, and each item's text, cell or scale, keying and range. */
export async function exportCodebook(s: Services, waveId: number): Promise<CsvFile> {
  const wave = await requireWave(s, waveId);
  const instrument = (await s.instruments.get(wave.instrumentVersion))!;
  const header = ['column', 'type', 'cell', 'scale', 'reverse', 'min', 'max', 'missing', 'label'];
  const fixed = [
    ['wave', 'integer', '', '', '', '', '', '', 'Wave id'],
    ['unit', 'string', '', '', '', '', '', '', 'Unit key (units below the minimum group size are left out)'],
    ['context', 'string', '', '', '', '', '', 'empty', 'Unit context'],
    ['role', 'string', '', '', '', '', '', 'empty', 'Respondent role, when given'],
    ['locale', 'string', '', '', '', '', '', '', 'Language the questionnaire was answered in'],
  ];
  const items = instrument.definition.items.map((item) => [
    item.id,
    'integer',
    item.cell ?? '',
    item.scale ?? '',
    item.reverse ? 'true' : 'false',
    String(item.min),
    String(item.max),
    'empty = not answered, not applicable or don\'t know',
    item.text[wave.locales[0]] ?? item.text.en ?? '',
  ]);
  return { filename: `wave-${wave.id}-codebook.csv`, csv: stringify([header, ...fixed, ...items]) };
}
