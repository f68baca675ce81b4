import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetCsv } from '../../server/exports/csv_table.js';
import { writeDta } from '../../server/exports/dta_writer.js';
import { rLoader } from '../../server/exports/r_loader.js';
import { writeSav } from '../../server/exports/sav_writer.js';
import { SAMPLE_CREATED_AT, SAMPLE_DATASET } from './sample_dataset.js';

/**
 * The export files read back by real readers: R's haven 2.5 (ReadStat) for the SPSS .sav and the
 * Stata .dta, and R itself running the generated loader on the CSV. The files are written by
 * test/exports/write_sample.ts and read by test/fixtures/r/exports-readback.R once; this test
 * checks that today's writers still produce those very bytes, then that what R read is the
 * sample data set with every label.
 */
const dir = new URL('../fixtures/r/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, dir));

interface ReadVariable {
  class: string;
  label: string | null;
  values: (number | string | null)[];
  na: boolean[];
  labels?: Record<string, number | null>;
  labelTags?: string[];
  tags?: string[];
  naValues?: number[];
}
interface ReadFile {
  names: string[];
  rows: number;
  label?: string;
  variables: Record<string, ReadVariable>;
}
const readback = JSON.parse(fixture('exports-readback.json').toString('utf8')) as { haven: string; sav: ReadFile; dta: ReadFile; csv: ReadFile };
const ds = SAMPLE_DATASET;
const column = (j: number) => ds.rows.map((r) => r[j]);

describe('export files read back by R (haven ' + readback.haven + ')', () => {
  it('are the bytes the writers produce today', () => {
    expect(writeSav(ds, SAMPLE_CREATED_AT).equals(fixture('exports-sample.sav'))).toBe(true);
    expect(writeDta(ds, SAMPLE_CREATED_AT).equals(fixture('exports-sample.dta'))).toBe(true);
    expect(datasetCsv(ds)).toBe(fixture('sample-responses.csv').toString('utf8'));
    expect(rLoader(ds)).toBe(fixture('sample-responses.R').toString('utf8'));
  });

  for (const format of ['sav', 'dta', 'csv'] as const) {
    it(`keeps every column, value and variable label (${format})`, () => {
      const file = readback[format];
      expect(file.names).toEqual(ds.variables.map((v) => v.name));
      expect(file.rows).toBe(ds.rows.length);
      ds.variables.forEach((v, j) => {
        const read = file.variables[v.name];
        // Stata keeps 80 characters of a variable label.
        expect(read.label, v.name).toBe(format === 'dta' ? [...v.label].slice(0, 80).join('') : v.label);
        column(j).forEach((x, i) => {
          if (v.kind === 'text') {
            // .sav and .dta have no missing text: an absent text reads as "".
            expect(read.values[i], `${v.name}[${i}]`).toBe(x === null ? (format === 'csv' ? null : '') : x);
          } else if (x === null) {
            expect(read.na[i], `${v.name}[${i}] is missing`).toBe(true);
            if (read.tags) expect(read.tags[i], `${v.name}[${i}] is a plain missing value`).toBe('');
          } else if (v.missingCodes.includes(x as number)) {
            expect(read.na[i], `${v.name}[${i}] is a missing code`).toBe(true);
            if (format === 'dta') expect(read.tags![i], `${v.name}[${i}] is .a`).toBe('a');
            else expect(read.values[i], `${v.name}[${i}] keeps its code`).toBe(x);
          } else {
            expect(read.values[i], `${v.name}[${i}]`).toBeCloseTo(x as number, 12);
            expect(read.na[i]).toBe(false);
          }
        });
      });
    });

    it(`keeps every value label, and declares the not-applicable code missing (${format})`, () => {
      const file = readback[format];
      for (const v of ds.variables) {
        const read = file.variables[v.name];
        if (v.valueLabels.length === 0) {
          expect(read.labels, v.name).toBeUndefined();
          continue;
        }
        const labels = Object.entries(read.labels!);
        expect(labels.map(([label]) => label)).toEqual(v.valueLabels.map((l) => l.label));
        v.valueLabels.forEach((l, k) => {
          if (format === 'dta' && v.missingCodes.includes(l.value)) {
            expect(labels[k][1], `${v.name}: ${l.label} is labelled on .a`).toBeNull();
            expect(read.labelTags![k]).toBe('a');
          } else {
            expect(labels[k][1], `${v.name}: ${l.label}`).toBe(l.value);
          }
        });
        if (format !== 'dta') expect(read.naValues, v.name).toEqual([...v.missingCodes]);
        expect(read.class).toBe(format === 'dta' ? 'haven_labelled' : 'haven_labelled_spss');
      }
    });
  }

  it('writes the SPSS file label and the Stata data set label', () => {
    expect(readback.dta.label).toBe(ds.label);
    const sav = fixture('exports-sample.sav');
    expect(sav.subarray(0, 4).toString('latin1')).toBe('$FL2');
    expect(sav.subarray(109, 173).toString('utf8').trimEnd().replace(/\0+$/, '')).toBe(ds.label);
  });
});
