import { parentPort } from 'node:worker_threads';
import { publishResearch, publishWave, scaleDeveloperAnalyses, type ResearchPublicationInput, type WavePublication, type WavePublicationInput } from '../../analysis/index.js';

/** What a worker computes: a wave's publication, or the scale-developer analyses of a published wave. */
export type WorkerTask =
  | { readonly kind: 'wave'; readonly input: WavePublicationInput }
  | { readonly kind: 'scale-developer'; readonly input: WavePublicationInput & { readonly contexts: Record<string, string | null>; readonly seed: number }; readonly publication: WavePublication }
  | { readonly kind: 'research'; readonly input: ResearchPublicationInput };

/**
 * Worker thread entry: computes one run off the server's main thread with the analysis
 * library's pipeline and posts back `{ ok, results }` (non-finite numbers as null, as stored
 * JSON holds them) or `{ ok: false, error }`.
 */
parentPort!.on('message', (task: WorkerTask) => {
  try {
    const results = task.kind === 'wave' ? publishWave(task.input) : task.kind === 'research' ? publishResearch(task.input) : scaleDeveloperAnalyses(task.input, task.publication);
    parentPort!.postMessage({ ok: true, results: JSON.parse(JSON.stringify(results, finite)) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});

function finite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
