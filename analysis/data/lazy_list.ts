/**
 * A list whose elements are made when asked for: `at(i)` builds element i, every time. A
 * result of tens of thousands of rows (one per unit) can be written out one element at a time
 * (`writeJson` in cli/output.ts streams it), so the elements never all live at once: a million-row
 * `agreement` keeps 20,000 units' statistics in typed arrays instead of 20,000 objects, and V8's
 * young generation, which grows with the bytes that survive it, stays at its smallest.
 * `JSON.stringify` of a LazyList gives the array of its elements (`toJSON`).
 */
export class LazyList<T> {
  constructor(
    readonly length: number,
    private readonly make: (i: number) => T,
  ) {}

  /** Element i (0 ≤ i < length), built now. */
  at(i: number): T {
    return this.make(i);
  }

  /** Every element, in order, as an array. */
  toArray(): T[] {
    return Array.from({ length: this.length }, (_, i) => this.make(i));
  }

  toJSON(): T[] {
    return this.toArray();
  }
}
