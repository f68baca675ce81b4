/**
 * A column of strings kept as UTF-8 bytes in one growing buffer, with each value's end offset
 * in an Int32Array (and a null flag): an import of a million rows keeps its keys in about the
 * bytes they took in the file plus 5 bytes a row, instead of a million string objects (each
 * with its own header and often a sliced parent). Values are appended in order and read back
 * by index, as the rows are written to the store.
 */
export class StringColumn {
  private bytes = Buffer.allocUnsafe(1 << 12);
  private used = 0;
  private ends = new Int32Array(1 << 10);
  private nulls = new Uint8Array(1 << 10);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Bytes held (buffer capacity and offsets), for a caller that reports memory. */
  get capacityBytes(): number {
    return this.bytes.length + this.ends.byteLength + this.nulls.byteLength;
  }

  push(value: string | null): void {
    if (this.count === this.ends.length) {
      const ends = new Int32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
      const nulls = new Uint8Array(this.nulls.length * 2);
      nulls.set(this.nulls);
      this.nulls = nulls;
    }
    if (value !== null && value.length > 0) {
      // a UTF-16 unit takes at most 3 UTF-8 bytes
      const room = this.used + value.length * 3;
      if (room > this.bytes.length) {
        let size = this.bytes.length * 2;
        while (size < room) size *= 2;
        const bytes = Buffer.allocUnsafe(size);
        this.bytes.copy(bytes, 0, 0, this.used);
        this.bytes = bytes;
      }
      this.used += this.bytes.write(value, this.used, 'utf8');
    }
    this.nulls[this.count] = value === null ? 1 : 0;
    this.ends[this.count++] = this.used;
  }

  get(i: number): string | null {
    if (this.nulls[i] === 1) return null;
    const start = i === 0 ? 0 : this.ends[i - 1];
    return this.bytes.toString('utf8', start, this.ends[i]);
  }
}
