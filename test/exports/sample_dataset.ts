import type { Dataset } from '../../server/exports/dataset.js';

/** When the sample files were written (the .sav and .dta headers carry it). */
export const SAMPLE_CREATED_AT = new Date('2026-11-29T19:30:00.000Z');

const AGREEMENT = [
  { value: 1, label: 'Stimme überhaupt nicht zu' },
  { value: 2, label: 'Stimme nicht zu' },
  { value: 3, label: 'Stimme eher nicht zu' },
  { value: 4, label: 'Weder Zustimmung noch Ablehnung' },
  { value: 5, label: 'Stimme eher zu' },
  { value: 6, label: 'Stimme zu' },
  { value: 7, label: 'Stimme voll und ganz zu' },
  { value: -1, label: 'Nicht relevant / weiß nicht' },
];

/**
 * A small labelled data set with every feature the writers must carry: integer, decimal and text
 * columns, umlauts and "×" in labels and values, a text longer than 8 bytes (continuation
 * segments), a shared value-label set, the not-applicable code, absent values, a name longer
 * than 8 characters, and a label longer than 80 characters (Stata's limit).
 */
export const SAMPLE_DATASET: Dataset = {
  name: 'sample-responses',
  label: 'seici sample: labelled export for the reader round trip',
  variables: [
    { name: 'wave', label: 'Wave id', kind: 'integer', decimals: 0, measure: 'nominal', valueLabels: [], missingCodes: [], labelSet: null },
    { name: 'unit', label: 'Unit key', kind: 'text', decimals: 0, measure: 'nominal', valueLabels: [], missingCodes: [], labelSet: null },
    { name: 'role', label: 'Respondent role, when given', kind: 'text', decimals: 0, measure: 'nominal', valueLabels: [], missingCodes: [], labelSet: null },
    {
      name: 'SxA_1',
      label: 'Für jede bereichsübergreifende Entscheidung ist klar, wer sie trifft (S×A).',
      kind: 'integer', decimals: 0, measure: 'ordinal', valueLabels: AGREEMENT, missingCodes: [-1], labelSet: 'agreement7',
    },
    {
      name: 'TxV_8',
      label: 'Dependencies between our unit and the units we hand work to are visible to everyone who plans that work, and they are kept up to date.',
      kind: 'integer', decimals: 0, measure: 'ordinal', valueLabels: AGREEMENT, missingCodes: [-1], labelSet: 'agreement7',
    },
    { name: 'cell_score_SxA', label: 'Mean of the S×A items', kind: 'decimal', decimals: 3, measure: 'scale', valueLabels: [], missingCodes: [], labelSet: null },
  ],
  rows: [
    [3, 'team-a', 'Produktverantwortung', 7, -1, 6.125],
    [3, 'team-a', null, 1, 4, 2.5],
    [3, 'Büro × Nord', 'lead', null, 5, 3.333],
    [12, 'team-b', 'lead', -1, null, null],
  ],
};
