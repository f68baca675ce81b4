import type { AnalysisKind, AnalysisRequest, FileSummary } from './compute.js';

/**
 * The messages between the analysis page (page.ts) and its Web Worker (worker.ts). The file's
 * bytes go to the worker once (transferred, not copied); every later message is small.
 */
export type ToWorker =
  | { readonly type: 'open'; readonly name: string; readonly buffer: ArrayBuffer }
  | { readonly type: 'run'; readonly id: number; readonly request: AnalysisRequest }
  | { readonly type: 'unit'; readonly id: number; readonly index: number };

/** A chart rendered to SVG in the worker, with its accessible label. */
export interface RenderedChart {
  readonly label: string;
  readonly svg: string;
}

export type FromWorker =
  | { readonly type: 'opened'; readonly summary: FileSummary }
  | { readonly type: 'result'; readonly id: number; readonly kind: AnalysisKind; readonly result: unknown; readonly charts: readonly RenderedChart[]; readonly ms: number }
  | { readonly type: 'charts'; readonly id: number; readonly charts: readonly RenderedChart[] }
  | { readonly type: 'error'; readonly id: number | null; readonly message: string };
