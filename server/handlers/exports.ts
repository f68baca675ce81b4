import type { WavePublication } from '../../analysis/index.js';
import { codebookValueRows, codebookVariableRows } from '../exports/codebook.js';
import { datasetCsv, tableCsv } from '../exports/csv_table.js';
import type { Dataset } from '../exports/dataset.js';
import { writeDta } from '../exports/dta_writer.js';
import { rLoader } from '../exports/r_loader.js';
import { writeSav } from '../exports/sav_writer.js';
import { unitScoreDataset } from '../exports/unit_scores.js';
import { responseDataset, responseVariables } from '../exports/response_dataset.js';
import { conflict } from '../errors.js';
import { latestDoneAnalysis } from '../queries/analyses.js';
import { completeAnswerSets } from '../queries/responses.js';
import type { Services } from '../services.js';
import { effectiveStatus, requireWave } from './waves.js';

/** A file the API sends as a download. */
export interface ExportFile {
  readonly filename: string;
  readonly contentType: string;
  readonly body: string | Buffer;
}

const CSV = 'text/csv; charset=utf-8';

/** A closed wave with its stored publication; 409 otherwise (two exports of an open wave would differ by single respondents). */
async function publishedWave(s: Services, waveId: number) {
  const wave = await requireWave(s, waveId);
  if (effectiveStatus(wave, s.clock()) !== 'closed') throw conflict(`Wave ${waveId} is still open; its answers are exported once it closes and is published.`);
  const run = await latestDoneAnalysis(s.db, waveId);
  if (!run) throw conflict(`Wave ${waveId} has not been published yet; its answers are exported once its analysis has finished.`);
  return { wave, publication: run.results as WavePublication, publishedAt: new Date(run.finishedAt ?? run.createdAt) };
}

async function waveInstrument(s: Services, version: string) {
  const instrument = await s.instruments.document(version);
  if (!instrument) throw new Error(`Instrument version ${version} of a stored wave is missing.`);
  return instrument;
}

/**
 * The labelled data set of a closed, published wave's answer sets (see responseDataset), with the
 * time its publication was made (the time stamp of the .sav and .dta headers, so that every
 * download of one publication is the same file).
 */
export async function waveResponses(s: Services, waveId: number): Promise<{ dataset: Dataset; publishedAt: Date }> {
  const { wave, publication, publishedAt } = await publishedWave(s, waveId);
  const instrument = await waveInstrument(s, wave.instrumentVersion);
  return { dataset: responseDataset({ wave, instrument, publication, answerSets: await completeAnswerSets(s.db, waveId) }), publishedAt };
}

/** The answer sets of a closed, published wave as one CSV table (see responseDataset). */
export async function exportResponses(s: Services, waveId: number): Promise<ExportFile> {
  const { dataset } = await waveResponses(s, waveId);
  return { filename: `${dataset.name}.csv`, contentType: CSV, body: datasetCsv(dataset) };
}

/** The same data set as an SPSS system file, with variable labels, value labels and the not-applicable code declared missing. */
export async function exportSav(s: Services, waveId: number): Promise<ExportFile> {
  const { dataset, publishedAt } = await waveResponses(s, waveId);
  return { filename: `${dataset.name}.sav`, contentType: 'application/x-spss-sav', body: writeSav(dataset, publishedAt) };
}

/** The same data set as a Stata 14+ file (.dta 118), the not-applicable code as `.a`. */
export async function exportDta(s: Services, waveId: number): Promise<ExportFile> {
  const { dataset, publishedAt } = await waveResponses(s, waveId);
  return { filename: `${dataset.name}.dta`, contentType: 'application/x-stata-dta', body: writeDta(dataset, publishedAt) };
}

/** An R script that reads the CSV export with its labels (see rLoader). */
export async function exportRLoader(s: Services, waveId: number): Promise<ExportFile> {
  const { dataset } = await waveResponses(s, waveId);
  return { filename: `${dataset.name}.R`, contentType: 'text/plain; charset=utf-8', body: rLoader(dataset) };
}

/** The codebook's variable table of a wave's export: each column's type, precision, missing codes and label, and each item's cell or scale, keying and range. */
export async function exportCodebook(s: Services, waveId: number): Promise<ExportFile> {
  const wave = await requireWave(s, waveId);
  const instrument = await waveInstrument(s, wave.instrumentVersion);
  return { filename: `wave-${wave.id}-codebook.csv`, contentType: CSV, body: tableCsv(codebookVariableRows(responseVariables(wave, instrument), instrument)) };
}

/** The codebook's value-label table: the anchors of each response scale and the not-applicable code. */
export async function exportValueLabels(s: Services, waveId: number): Promise<ExportFile> {
  const wave = await requireWave(s, waveId);
  const instrument = await waveInstrument(s, wave.instrumentVersion);
  return { filename: `wave-${wave.id}-value-labels.csv`, contentType: CSV, body: tableCsv(codebookValueRows(responseVariables(wave, instrument))) };
}

/** The published unit scores of a closed wave as one CSV table, each kind of number at its stated precision (see unitScoreDataset). */
export async function exportUnitScores(s: Services, waveId: number): Promise<ExportFile> {
  const { wave, publication } = await publishedWave(s, waveId);
  const dataset = unitScoreDataset(wave.id, publication);
  return { filename: `${dataset.name}.csv`, contentType: CSV, body: datasetCsv(dataset) };
}
