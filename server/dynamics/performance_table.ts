import type { PerformanceRecord } from '../../analysis/index.js';
import { StringColumn } from '../imports/string_column.js';

/**
 * The records of one unit's PQ import, checked and waiting to be stored, in typed columns (the
 * period and measure as UTF-8 in a {@link StringColumn}, the value in a Float64Array, the file
 * line in an Int32Array for the 409 that names it); the unit is the import's own. The measures
 * are kept in the order they first appear, for the audit entry.
 */
export class PerformanceTable {
  private readonly periods = new StringColumn();
  private readonly measureColumn = new StringColumn();
  private values = new Float64Array(1 << 8);
  private lines = new Int32Array(1 << 8);
  private count = 0;
  private readonly measureNames = new Set<string>();

  get length(): number {
    return this.count;
  }

  /** The distinct measures, in the order they first appear. */
  get measures(): string[] {
    return [...this.measureNames];
  }

  push(r: PerformanceRecord, line: number): void {
    if (this.count === this.values.length) {
      const values = new Float64Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
      const lines = new Int32Array(this.lines.length * 2);
      lines.set(this.lines);
      this.lines = lines;
    }
    this.periods.push(r.period);
    this.measureColumn.push(r.measure);
    this.values[this.count] = r.value;
    this.lines[this.count++] = line;
    this.measureNames.add(r.measure);
  }

  period(i: number): string {
    return this.periods.get(i)!;
  }

  measure(i: number): string {
    return this.measureColumn.get(i)!;
  }

  value(i: number): number {
    return this.values[i];
  }

  /** The file line the record was read from. */
  line(i: number): number {
    return this.lines[i];
  }
}
