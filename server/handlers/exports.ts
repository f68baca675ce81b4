import { blankRareValues, cellScoreMatrix, resolveItemMap, validRespondents, type WavePublication } from '../../analysis/index.js';
import { isCell, type Cell } from '../../instrument/model.js';
import { conflict } from '../errors.js';
import { latestDoneAnalysis } from '../queries/analyses.js';
import { completeAnswerSets } from '../queries/responses.js';
import type { Services } from '../services.js';
import { spreadsheetCsv } from '../spreadsheet_csv.js';
import { effectiveStatus, requireWave } from './waves.js';

export interface CsvFile {
  readonly filename: string;
  readonly csv: string;
}

/** The code of "not applicable / don't know" in exports (a skipped item is an empty cell). */
export const NOT_APPLICABLE_CODE = 'dk';

/** The columns of an export that could single a respondent out together with the unit. */
const QUASI_IDENTIFIERS = ['context', 'role', 'locale'];

/**
 * The answer sets of a closed, published wave as CSV for R or SPSS: one row per valid answer
 * set (a score for every cell) of the units the wave's stored publication reports as units,
 * with the unit's key and context, the respondent's role and locale, and one column per item
 * (empty = skipped, `dk` = "not applicable / don't know"). The rows of suppressed units and of
 * units withheld as complements are left out; a role, locale or context value shared by fewer
 * than k rows of its unit is blanked; every text cell is made inert for spreadsheets. An open
 * wave exports nothing (two exports of an open wave would differ by single respondents). No
 * token, invitation or time is exported.
 */
export async function exportResponses(s: Services, waveId: number): Promise<CsvFile> {
  const { wave, publication } = await publishedWave(s, waveId);
  const instrument = (await s.instruments.get(wave.instrumentVersion))!;
  const items = instrument.definition.items.map((i) => i.id);
  const seiItems = instrument.definition.items.filter((i) => i.cell !== null && isCell(i.cell));
  const units = new Set(publication.units.filter((u) => !u.suppressed && !u.rollup).map((u) => u.unitKey));
  const sets = (await completeAnswerSets(s.db, waveId)).filter((set) => units.has(set.unitKey));
  const resolved = resolveItemMap(
    { scaleMin: instrument.definition.scaleMin, scaleMax: instrument.definition.scaleMax, items: Object.fromEntries(seiItems.map((i) => [i.id, { cell: i.cell as Cell, reverse: i.reverse }])) },
    seiItems.map((i) => i.id),
  );
  const matrix = sets.map((set) => seiItems.map((i) => (typeof set.answers[i.id] === 'number' ? (set.answers[i.id] as number) : NaN)));
  const valid = validRespondents(cellScoreMatrix(matrix, resolved), matrix.length);
  const code = (v: number | null | undefined) => (v === null ? NOT_APPLICABLE_CODE : v === undefined ? '' : String(v));
  const header = ['wave', 'unit', 'context', 'role', 'locale', ...items];
  const rows = sets.filter((_, r) => valid[r]).map((set) => [String(wave.id), set.unitKey, set.context ?? '', set.role ?? '', set.locale, ...items.map((id) => code(set.answers[id]))]);
  const safe = blankRareValues(rows, 1, QUASI_IDENTIFIERS.map((c) => header.indexOf(c)), publication.minGroupSize);
  return { filename: `wave-${wave.id}-responses.csv`, csv: spreadsheetCsv([header, ...safe]) };
}

/** A closed wave with its stored publication; 409 otherwise. */
async function publishedWave(s: Services, waveId: number) {
  const wave = await requireWave(s, waveId);
  if (effectiveStatus(wave, s.clock()) !== 'closed') throw conflict(`Wave ${waveId} is still open; its answers are exported once it closes and is published.`);
  const run = await latestDoneAnalysis(s.db, waveId);
  if (!run) throw conflict(`Wave ${waveId} has not been published yet; its answers are exported once its analysis has finished.`);
  return { wave, publication: run.results as WavePublication };
}

/** The codebook of a wave's export: each column's meaning, and each item's text, cell or scale, keying and range. */
export async function exportCodebook(s: Services, waveId: number): Promise<CsvFile> {
  const wave = await requireWave(s, waveId);
  const instrument = (await s.instruments.get(wave.instrumentVersion))!;
  const header = ['column', 'type', 'cell', 'scale', 'reverse', 'min', 'max', 'missing', 'label'];
  const fixed = [
    ['wave', 'integer', '', '', '', '', '', '', 'Wave id'],
    ['unit', 'string', '', '', '', '', '', '', 'Unit key (only units published as units: suppressed units and units withheld as complements are left out)'],
    ['context', 'string', '', '', '', '', '', 'empty', `Unit context (empty when fewer than ${wave.minGroupSize} rows of the unit share it)`],
    ['role', 'string', '', '', '', '', '', 'empty', `Respondent role, when given (empty when fewer than ${wave.minGroupSize} rows of the unit share it)`],
    ['locale', 'string', '', '', '', '', '', 'empty', `Language the questionnaire was answered in (empty when fewer than ${wave.minGroupSize} rows of the unit share it)`],
  ];
  const items = instrument.definition.items.map((item) => [
    item.id,
    'integer',
    item.cell ?? '',
    item.scale ?? '',
    item.reverse ? 'true' : 'false',
    String(item.min),
    String(item.max),
    `empty = skipped; ${NOT_APPLICABLE_CODE} = not applicable / don't know`,
    item.text[wave.locales[0]] ?? item.text.en ?? '',
  ]);
  return { filename: `wave-${wave.id}-codebook.csv`, csv: spreadsheetCsv([header, ...fixed, ...items]) };
}
