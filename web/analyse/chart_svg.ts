import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from '../../server/charts/text_metrics.js';

/**
 * Renders a report chart's Vega-Lite specification to an SVG string without a canvas, as the
 * server's `renderSvg` does (server/charts/render.ts: the same compile step, headless view and
 * Helvetica text metrics, so the page's charts look like the reports'), except that Vega's
 * expressions are evaluated by vega-interpreter over their syntax trees instead of being compiled
 * with `new Function`: the page's Content-Security-Policy allows no eval (script-src 'self').
 */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
    renderer: 'none',
    logLevel: vega.Error,
    expr: expressionInterpreter,
  } as vega.ViewOptions);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
