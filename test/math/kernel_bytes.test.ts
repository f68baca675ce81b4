import { describe, expect, it } from 'vitest';
import { byteCountModuleBytes } from '../../analysis/math/byte_count_kernel.js';
import { choleskyModuleBytes } from '../../analysis/math/cholesky_kernel.js';
import { householderModuleBytes } from '../../analysis/math/householder_kernel.js';
import { crossProductModuleBytes } from '../../analysis/math/integer_cross_products.js';
import { kernelBytes } from '../../analysis/math/kernel_bytes.js';
import { obliqueRotationModuleBytes } from '../../analysis/math/oblique_rotation_kernel.js';
import { plainRecordModuleBytes } from '../../analysis/math/plain_record_kernel.js';
import { matrixSumsModuleBytes } from '../../analysis/math/matrix_sums_kernel.js';

describe('the pre-built WebAssembly kernels', () => {
  // a kernel changed without `node scripts/kernel-bytes.mjs` fails here
  it.each([
    ['householder', householderModuleBytes],
    ['cholesky', choleskyModuleBytes],
    ['obliqueRotation', obliqueRotationModuleBytes],
    ['byteCrossProducts', () => crossProductModuleBytes(1)],
    ['wordCrossProducts', () => crossProductModuleBytes(2)],
    ['byteCount', byteCountModuleBytes],
    ['plainRecords', plainRecordModuleBytes],
    ['matrixSums', matrixSumsModuleBytes],
  ] as const)('%s: are the assembler’s output to the byte', (name, assemble) => {
    const assembled = assemble();
    expect(assembled.length).toBeGreaterThan(100);
    expect(Array.from(kernelBytes(name))).toEqual(Array.from(assembled));
  });
});
