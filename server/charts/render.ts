import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { installTextMetrics } from './text_metrics.js';

/**
 * Renders a Vega-Lite specification to a standalone SVG string on the server: the spec is
 * compiled to Vega, parsed and run in a headless view (`renderer: "none"`), so no browser
 * or canvas is involved. Text is measured with Helvetica's font metrics (the font of
 * CHART_CONFIG), so labels and legends get the room they need.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
