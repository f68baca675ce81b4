import { parentPort } from 'node:worker_threads';
import { analyseWave, type WaveAnalysisInput } from './wave_analysis.js';

/**
 * Worker thread entry: receives one wave's analysis input, computes it off the server's main
 * thread, and posts back `{ ok, results }` or `{ ok: false, error }`.
 */
parentPort!.on('message', (input: WaveAnalysisInput) => {
  try {
    // JSON round trip: NaN and infinities become null, as stored results and the API need.
    parentPort!.postMessage({ ok: true, results: JSON.parse(JSON.stringify(analyseWave(input), finite)) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});

function finite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
