import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../../server/charts/index.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

export const CHART_OUTPUT = resolve(PROJECT_ROOT, 'test-output/charts');

/** Renders a spec to SVG and keeps a copy in test-output/charts/<name>.svg for people to look at. */
export async function renderTo(name: string, spec: TopLevelSpec): Promise<string> {
  const svg = await renderSvg(spec);
  mkdirSync(CHART_OUTPUT, { recursive: true });
  writeFileSync(resolve(CHART_OUTPUT, `${name}.svg`), svg);
  return svg;
}

/**
 * The inner markup of each `<g class="mark-<type> role-mark <name>">` group, in document
 * order; `layer` keeps only groups whose mark name contains it (e.g. "layer_0").
 */
export function markGroups(svg: string, type: string, layer = ''): string[] {
  const out: string[] = [];
  const open = new RegExp(`<g class="mark-${type} role-mark [^"]*${layer}[^"]*"[^>]*>`, 'g');
  while (open.exec(svg)) {
    let depth = 1;
    let i = open.lastIndex;
    const tag = /<g\b[^>]*>|<\/g>/g;
    tag.lastIndex = i;
    let t: RegExpExecArray | null;
    while (depth > 0 && (t = tag.exec(svg))) {
      depth += t[0] === '</g>' ? -1 : 1;
      i = t.index;
    }
    out.push(svg.slice(open.lastIndex, i));
  }
  return out;
}

/** The number of drawn items (paths, texts, lines) directly in a mark group. */
export function itemCount(group: string): number {
  return (group.match(/<(path|text|line)\b/g) ?? []).length;
}

/** All text contents of an SVG, entity-decoded. */
export function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"),
  );
}

/** Items drawn by every mark group of a type (and layer name), summed. */
export function countMarks(svg: string, type: string, layer = ''): number {
  return markGroups(svg, type, layer).reduce((sum, g) => sum + itemCount(g), 0);
}
