import { parentPort } from 'node:worker_threads';
import {
  crossVersionComparison,
  finiteJsonReplacer,
  pilotAnalysis,
  publishDiagnosis,
  publishResearch,
  publishWave,
  scaleDeveloperAnalyses,
  unitComparison,
  type ComparedWave,
  type DiagnosisPublicationInput,
  type ResearchPublicationInput,
  type VersionItems,
  type WavePublication,
  type WavePublicationInput,
} from '../../analysis/index.js';

type ContextInput = WavePublicationInput & { readonly contexts: Record<string, string | null>; readonly seed: number };

/**
 * What a worker computes: a wave's publication (with the invariance gate of its unit rankings
 * across contexts and, when an earlier wave was answered on another version, the comparison on
 * the shared items), the scale-developer or pilot analyses of a published wave, or the research engine's test of
 * the model's hypotheses on three published waves.
 */
export type WorkerTask =
  | {
      readonly kind: 'wave';
      readonly input: WavePublicationInput;
      readonly contexts?: Record<string, string | null>;
      readonly crossVersion?: { readonly earlier: ComparedWave; readonly current: { readonly label: string; readonly name: string; readonly version: VersionItems } };
      /** The breakpoint rules and the units' traces: the run stores each published unit's diagnosis. */
      readonly diagnosis?: DiagnosisPublicationInput & { readonly source: unknown };
    }
  | { readonly kind: 'scale-developer'; readonly input: ContextInput; readonly publication: WavePublication }
  | { readonly kind: 'pilot'; readonly input: ContextInput; readonly publication: WavePublication }
  | { readonly kind: 'research'; readonly input: ResearchPublicationInput };

function waveRun(task: Extract<WorkerTask, { kind: 'wave' }>): unknown {
  const publication = publishWave(task.input);
  const diagnosis = task.diagnosis ? { ...publishDiagnosis(publication, task.diagnosis), rules: task.diagnosis.source } : null;
  if (!task.contexts) return diagnosis ? { ...publication, diagnosis } : publication;
  const comparison = unitComparison({ ...task.input, contexts: task.contexts }, publication);
  const cv = task.crossVersion;
  const crossVersion = cv
    ? crossVersionComparison(task.input, cv.earlier, { ...cv.current, wave: task.input.waves.at(-1)!, publication })
    : null;
  return { ...publication, comparison, crossVersion, diagnosis };
}

/**
 * Worker thread entry: computes one run off the server's main thread with the analysis
 * library's pipeline and posts back `{ ok, results }` (non-finite numbers as null, as stored
 * JSON holds them) or `{ ok: false, error }`.
 */
parentPort!.on('message', (task: WorkerTask) => {
  try {
    const results =
      task.kind === 'wave'
        ? waveRun(task)
        : task.kind === 'research'
          ? publishResearch(task.input)
          : task.kind === 'pilot'
            ? pilotAnalysis(task.input, task.publication)
            : scaleDeveloperAnalyses(task.input, task.publication);
    parentPort!.postMessage({ ok: true, results: JSON.parse(JSON.stringify(results, finiteJsonReplacer)) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});
