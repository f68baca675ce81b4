/**
 * Writes the sample data set (sample_dataset.ts) in every export format to test/fixtures/r/,
 * for test/fixtures/r/exports-readback.R to read back with R's haven:
 *   npx vite-node test/exports/write_sample.ts && Rscript test/fixtures/r/exports-readback.R
 * Run both again whenever a writer changes (test/exports/readers.test.ts fails until then).
 */
import { writeFileSync } from 'node:fs';
import { datasetCsv } from '../../server/exports/csv_table.js';
import { writeDta } from '../../server/exports/dta_writer.js';
import { rLoader } from '../../server/exports/r_loader.js';
import { writeSav } from '../../server/exports/sav_writer.js';
import { SAMPLE_CREATED_AT, SAMPLE_DATASET } from './sample_dataset.js';

const dir = new URL('../fixtures/r/', import.meta.url);
writeFileSync(new URL('exports-sample.sav', dir), writeSav(SAMPLE_DATASET, SAMPLE_CREATED_AT));
writeFileSync(new URL('exports-sample.dta', dir), writeDta(SAMPLE_DATASET, SAMPLE_CREATED_AT));
writeFileSync(new URL(`${SAMPLE_DATASET.name}.csv`, dir), datasetCsv(SAMPLE_DATASET));
writeFileSync(new URL(`${SAMPLE_DATASET.name}.R`, dir), rLoader(SAMPLE_DATASET));
