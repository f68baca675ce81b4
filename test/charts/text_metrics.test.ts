import { describe, expect, it } from 'vitest';
import { misalignmentTrendSpec } from '../../server/charts/index.js';
import { helveticaWidth } from '../../server/charts/text_metrics.js';
import { renderTo } from './render_helpers.js';

describe('text measurement for server-side rendering', () => {
  it('measures text with Helvetica advance widths', () => {
    // H 722 + e 556 + l 222 + l 222 + o 556 = 2278/1000 em
    expect(helveticaWidth('Hello', 10)).toBeCloseTo(22.78, 10);
    expect(helveticaWidth('Hello', 10, true)).toBeGreaterThan(22.78);
    expect(helveticaWidth('S×A', 10)).toBeCloseTo((667 + 584 + 667) / 100, 10);
  });

  it('sizes a chart to its content instead of 0.8 em per character', async () => {
    const svg = await renderTo(
      'misalignment-width',
      misalignmentTrendSpec({
        title: 'Unit T07 · misalignment and drift',
        minGroupSize: 5,
        waves: [
          { wave: 'W1', n: 9, misalignment: 0.4, drift: 0 },
          { wave: 'W2', n: 9, misalignment: 0.7, drift: 0.3 },
        ],
      }),
    );
    const width = Number(/width="([0-9.]+)"/.exec(svg)![1]);
    // 420 px plot + axis + a legend of three short entries; Vega's default estimate made it ~790.
    expect(width).toBeGreaterThan(500);
    expect(width).toBeLessThan(700);
  });
});
