import { InputError } from '../errors.js';
import { headerPositions, type CsvByteSource } from '../data/csv_records.js';
import { readCsvRows, type CsvRowFormat } from '../traces/csv_row_reader.js';

/**
 * One performance-quality (PQ) outcome of a unit in a period: cycle time, quality, service
 * reliability or another named measure. PQ is the outcome the SEI model predicts (DESIGN
 * H1, H5, H7), so it is kept apart from breakpoint signals: it never feeds a rule.
 */
export interface PerformanceRecord {
  readonly unit: string;
  /** The period or wave it belongs to, as written (`2026-03-02`, `2026Q1`). */
  readonly period: string;
  readonly measure: string;
  readonly value: number;
}

/**
 * Parses a PQ import: CSV in long form with the columns `unit`, `period` (alias `wave`),
 * `measure` and `value` (a number), one outcome per row. A row with an empty field or a
 * value that is not a number, or a unit/period/measure given twice, is an InputError naming
 * its line, and nothing is returned. With `unit`, a file without a unit column is that unit's
 * (an import posted to one unit); a file with one still names the unit on every row.
 */
export function parsePerformanceCsv(text: string | CsvByteSource, label = 'pq', argument = 'pq', options: { unit?: string } = {}): PerformanceRecord[] {
  const out: PerformanceRecord[] = [];
  readCsvRows(text, label, argument, performanceRows(label, argument, options), (r) => out.push(r));
  return out;
}

/**
 * A PQ import one row at a time (see {@link parsePerformanceCsv}): each row is one record. The
 * reader remembers each accepted unit, period and measure, to refuse one given twice.
 */
export function performanceRows(label = 'pq', argument = 'pq', { unit: defaultUnit }: { unit?: string } = {}): CsvRowFormat<PerformanceRecord> {
  return (header) => {
    const at = headerPositions(header, defaultUnit === undefined ? PQ_COLUMNS : { ...PQ_COLUMNS, unit: { aliases: ['unit'], required: false } }, label, argument);
    const seen = new Set<string>();
    return (r, where) => {
      const unit = at.unit < 0 ? defaultUnit! : r[at.unit].trim();
      const period = r[at.period].trim();
      const measure = r[at.measure].trim();
      const raw = r[at.value].trim();
      for (const [name, v] of [['unit', unit], ['period', period], ['measure', measure]] as const) {
        if (v === '') throw new InputError(argument, `${where}: ${name} is empty.`);
      }
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value)) throw new InputError(argument, `${where}: value "${raw}" is not a number.`);
      const id = JSON.stringify([unit, period, measure]);
      if (seen.has(id)) throw new InputError(argument, `${where}: ${measure} of unit ${unit} in ${period} is given twice.`);
      seen.add(id);
      return { unit, period, measure, value };
    };
  };
}

const PQ_COLUMNS = {
  unit: { aliases: ['unit'], required: true },
  period: { aliases: ['period', 'wave'], required: true },
  measure: { aliases: ['measure'], required: true },
  value: { aliases: ['value'], required: true },
} as const;

/** A unit's PQ measures, each as its series in input order. */
export interface UnitPerformance {
  readonly unit: string;
  readonly measures: { readonly [measure: string]: readonly { readonly period: string; readonly value: number }[] };
}

/** Groups PQ records by unit (sorted) and measure. */
export function performanceByUnit(records: readonly PerformanceRecord[]): UnitPerformance[] {
  const byUnit = new Map<string, Record<string, { period: string; value: number }[]>>();
  for (const r of records) {
    let m = byUnit.get(r.unit);
    if (m === undefined) byUnit.set(r.unit, (m = {}));
    (m[r.measure] ??= []).push({ period: r.period, value: r.value });
  }
  return [...byUnit.keys()].sort().map((unit) => ({ unit, measures: byUnit.get(unit)! }));
}
