import { describe, expect, it } from 'vitest';
import { WORKER_SEMI_SPACE_MB, workerExecArgv } from '../../server/cluster.js';

/** The Node options a cluster's workers are forked with (server/cluster.ts). */
describe('workerExecArgv', () => {
  it("gives a worker the primary's options and the larger young generation", () => {
    expect(workerExecArgv(['--enable-source-maps'], undefined)).toEqual(['--enable-source-maps', `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
    expect(workerExecArgv([], '')).toEqual([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
  });

  it("keeps the operator's own size, given on the command line or in NODE_OPTIONS", () => {
    expect(workerExecArgv(['--max-semi-space-size=8'], undefined)).toEqual(['--max-semi-space-size=8']);
    expect(workerExecArgv(['--max_semi_space_size', '8'], undefined)).toEqual(['--max_semi_space_size', '8']);
    expect(workerExecArgv(['--inspect'], '--max-old-space-size=4096 --max-semi-space-size=32')).toEqual(['--inspect']);
  });

  it('does not take another option for the semi-space size', () => {
    expect(workerExecArgv([], '--max-old-space-size=4096')).toEqual([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
  });
});
