/**
 * The analysis page's Web Worker: holds the dropped file's bytes, runs the analyses of
 * compute.ts on them and renders their charts to SVG, so the page's main thread only draws
 * tables. Nothing leaves the browser: the worker makes no request of any kind.
 */
import { InputError } from '../../analysis/errors.js';
import type { ScoreResult } from '../../analysis/scoring/score_units.js';
import { parseItemMap, runAnalysis, summarizeFile, unitCharts, type Chart, type CsvFileBytes } from './compute.js';
import { chartSvg } from './chart_svg.js';
import type { FromWorker, RenderedChart, ToWorker } from './messages.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}
const scope = self as unknown as WorkerScope;

let file: CsvFileBytes | null = null;
let lastScore: { result: ScoreResult; scale: { min: number; max: number } } | null = null;

/** NaN and infinities as null, as the command line's --json writes them. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
}

async function render(charts: readonly Chart[]): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const c of charts) out.push({ label: c.label, svg: await chartSvg(c.spec) });
  return out;
}

function messageOf(err: unknown): string {
  if (err instanceof InputError) return err.message;
  // a bug, not the researcher's mistake: say so plainly (the console has the stack)
  console.error(err);
  return `The analysis failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`;
}

async function handle(message: ToWorker): Promise<FromWorker> {
  switch (message.type) {
    case 'open': {
      lastScore = null;
      const candidate = { name: message.file.name, bytes: new Uint8Array(await message.file.arrayBuffer()) };
      const summary = summarizeFile(candidate);
      file = candidate;
      return { type: 'opened', summary };
    }
    case 'run': {
      if (file === null) throw new InputError('file', 'drop or choose a CSV file first.');
      const started = performance.now();
      const outcome = runAnalysis(file, message.request);
      if (outcome.kind === 'score' && message.request.kind === 'score') {
        const map = parseItemMap(message.request.map);
        lastScore = { result: outcome.result, scale: { min: map.scaleMin, max: map.scaleMax } };
      }
      const charts = await render(outcome.charts);
      return { type: 'result', id: message.id, kind: outcome.kind, result: plain(outcome.result), charts, ms: performance.now() - started };
    }
    case 'unit': {
      if (lastScore === null) throw new InputError('unit', 'score the units first.');
      return { type: 'charts', id: message.id, charts: await render(unitCharts(lastScore.result, message.index, lastScore.scale)) };
    }
  }
}

scope.onmessage = (event) => {
  const message = event.data;
  handle(message).then(
    (answer) => scope.postMessage(answer),
    (err: unknown) => scope.postMessage({ type: 'error', id: message.type === 'open' ? null : message.id, message: messageOf(err) }),
  );
};
