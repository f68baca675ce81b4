import { describe, expect, it } from 'vitest';
import { byteCounter } from '../../analysis/math/byte_count_kernel.js';
import { Prng } from '../../analysis/math/random.js';

describe('the byte-count kernel', () => {
  const rng = new Prng(7);

  it('counts a byte value as a loop over the bytes does, at every length around its 16-byte steps and across a 1 MB buffer', () => {
    const counter = byteCounter(1 << 20)!;
    expect(counter).not.toBeNull();
    for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 100, 4095, (1 << 20) - 1, 1 << 20]) {
      for (const value of [10, 0, 255]) {
        for (let i = 0; i < length; i++) counter.buffer[i] = rng.uniform() < 0.2 ? value : Math.floor(rng.uniform() * 256);
        let expected = 0;
        for (let i = 0; i < length; i++) if (counter.buffer[i] === value) expected++;
        expect(counter.count(length, value), `${length} bytes, value ${value}`).toBe(expected);
      }
    }
  });

  it('ignores the bytes past the length it is given and counts a buffer of nothing but the value', () => {
    const counter = byteCounter(64)!;
    counter.buffer.fill(10);
    expect(counter.count(64, 10)).toBe(64);
    expect(counter.count(37, 10)).toBe(37);
    expect(counter.count(37, 11)).toBe(0);
  });
});
