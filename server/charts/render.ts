import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite specification to a standalone SVG string on the server: the spec is
 * compiled to Vega, parsed and run in a headless view (`renderer: "none"`), so no browser
 * or canvas is involved. Text widths are Vega's estimates, which suits the system fonts
 * of CHART_CONFIG.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
