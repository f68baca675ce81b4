import { parentPort } from 'node:worker_threads';
import { scaleAnalysis, type ScaleAnalysisInput } from './scale_analysis.js';

/**
 * Worker thread entry of the scale-developer analyses: receives one wave's input (structured
 * clone keeps NaN for missing answers), computes off the server's main thread and posts back
 * `{ ok, analysis }` (non-finite numbers as null, as the JSON download needs) or `{ ok: false, error }`.
 */
parentPort!.on('message', (input: ScaleAnalysisInput) => {
  try {
    parentPort!.postMessage({ ok: true, analysis: JSON.parse(JSON.stringify(scaleAnalysis(input), finite)) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});

function finite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
