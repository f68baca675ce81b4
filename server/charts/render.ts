import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text_metrics.js';

/** Receives what vega-lite or vega would have warned about while compiling or running a chart. */
export type ChartWarningListener = (message: string, spec: TopLevelSpec) => void;

let listener: ChartWarningListener | undefined;

/**
 * Sets who hears chart warnings (tests assert there are none); by default they are dropped, so
 * that vega's console output never reaches the server's log. A warning is a defect of a spec in
 * this folder: fix the spec rather than widen the listener.
 */
export function onChartWarning(next: ChartWarningListener | undefined): void {
  listener = next;
}

/** A vega-util logger that hands warnings to the listener and prints nothing. */
function chartLogger(spec: TopLevelSpec): vega.LoggerInterface {
  let level = vega.Warn;
  const say = (...args: readonly unknown[]) => listener?.(args.map(String).join(' '), spec);
  const logger: vega.LoggerInterface = {
    level(next?: number) {
      if (next === undefined) return level;
      level = next;
      return logger;
    },
    error(...args: readonly unknown[]) {
      say('error:', ...args);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      if (level >= vega.Warn) say(...args);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as vega.LoggerInterface;
  return logger;
}

/**
 * Renders a Vega-Lite specification to a standalone SVG string on the server: the spec is
 * compiled to Vega, parsed and run in a headless view (`renderer: "none"`), so no browser
 * or canvas is involved. Text is measured with Helvetica's font metrics (the font of
 * CHART_CONFIG), so labels and legends get the room they need. Warnings go to onChartWarning's
 * listener, never to the console.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const logger = chartLogger(spec);
  const compiled = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
