/** A growing little-endian byte buffer for the binary export formats (SPSS .sav, Stata .dta). */
export class BinaryWriter {
  private chunks: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  bytes(b: Buffer | Uint8Array): this {
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b);
    this.chunks.push(buf);
    this.size += buf.length;
    return this;
  }

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.bytes(b);
  }

  uint8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(v);
    return this.bytes(b);
  }

  uint16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    return this.bytes(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    return this.bytes(b);
  }

  uint64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return this.bytes(b);
  }

  float64(v: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    return this.bytes(b);
  }

  /** ASCII or UTF-8 text as it is, without length or padding. */
  text(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }

  /** UTF-8 text in a field of exactly `width` bytes, padded with `pad` (the text must fit). */
  fixed(s: string | Buffer, width: number, pad = 0x20): this {
    const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    if (b.length > width) throw new Error(`A ${b.length}-byte text does not fit a ${width}-byte field.`);
    const out = Buffer.alloc(width, pad);
    b.copy(out);
    return this.bytes(out);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** UTF-8 text cut to at most `maxBytes` bytes at a character boundary. */
export function utf8Prefix(s: string, maxBytes: number): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= maxBytes) return b;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so no character is cut in half.
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}
