import type { AnalysisKind, AnalysisRequest, FileSummary } from './compute.js';

/**
 * The messages between the analysis page (page.ts) and its Web Worker (worker.ts). The page
 * hands the worker the File itself (a handle, not its bytes), and the worker reads it, so not
 * even reading a large file touches the main thread; every later message is small.
 */
export type ToWorker =
  | { readonly type: 'open'; readonly file: File }
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
