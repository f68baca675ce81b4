import { parentPort } from 'node:worker_threads';
import {
  crossVersionComparison,
  finiteJsonReplacer,
  languageComparison,
  pilotAnalysis,
  publishDiagnosis,
  publishResearch,
  publishWave,
  scaleDeveloperAnalyses,
  unitComparison,
  waveComparison,
  type ComparedWave,
  type DiagnosisPublicationInput,
  type ResearchPublicationInput,
  type VersionItems,
  type WavePair,
  type WavePublication,
  type WavePublicationInput,
} from '../../analysis/index.js';

type ContextInput = WavePublicationInput & { readonly contexts: Record<string, string | null>; readonly seed: number };

/**
 * What a worker computes: a wave's publication (with the invariance gates of its comparisons
 * across contexts, across the languages its answers came in and with the wave before it, and,
 * when that wave was answered on another version, the comparison on the shared items), the
 * scale-developer or pilot analyses of a published wave, or the research engine's test of the
 * model's hypotheses on three published waves.
 */
export type WorkerTask =
  | {
      readonly kind: 'wave';
      readonly input: WavePublicationInput;
      readonly contexts?: Record<string, string | null>;
      /** The locale of each of the wave's answer sets (input.waves.at(-1).answerSets), for the gate across languages. */
      readonly locales?: readonly string[];
      /** The wave before this one (the latest earlier closed wave with a stored run, on any version): the gate across waves, and the cross-version comparison when its version differs. */
      readonly previous?: {
        readonly earlier: ComparedWave;
        readonly current: { readonly label: string; readonly name: string; readonly version: VersionItems };
        /** The pairs of waves the earlier wave's run tested (its stored waveComparison.chain). */
        readonly earlierChain?: readonly WavePair[];
      };
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
  const languages = task.locales ? languageComparison(task.input, publication, task.locales) : null;
  const previous = task.previous;
  const current = previous ? { ...previous.current, wave: task.input.waves.at(-1)!, publication } : null;
  const acrossWaves = previous ? waveComparison(task.input, previous.earlier, current!, { earlierChain: previous.earlierChain ?? [], baselineWave: publication.baselineWave }) : null;
  const crossVersion = previous && previous.earlier.version.version !== previous.current.version.version ? crossVersionComparison(task.input, previous.earlier, current!, acrossWaves!) : null;
  return { ...publication, comparison, languageComparison: languages, waveComparison: acrossWaves, crossVersion, diagnosis };
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
