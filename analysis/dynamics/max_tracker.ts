/**
 * The largest of a changing multiset of small positive counts, kept as a histogram of
 * counts so that raising, lowering or dropping one member is O(1) and reading the maximum
 * is amortised O(1). A count of 0 means "not in the set"; the maximum of an empty set is 0.
 * It lets a period-end signal such as "most live artifacts of one dependency" be read
 * without scanning every dependency at every period end.
 */
export class MaxTracker {
  private readonly freq: number[] = [0];
  private top = 0;

  /** One member's count changes from `from` to `to` (either may be 0). */
  move(from: number, to: number): void {
    if (from > 0) this.freq[from]--;
    if (to > 0) {
      while (this.freq.length <= to) this.freq.push(0);
      this.freq[to]++;
      if (to > this.top) this.top = to;
    }
  }

  max(): number {
    while (this.top > 0 && this.freq[this.top] === 0) this.top--;
    return this.top;
  }
}
