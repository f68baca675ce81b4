import * as vega from 'vega';

/**
 * Advance widths of Helvetica (the Adobe font metrics, in 1/1000 em) for printable ASCII,
 * from space (32) to tilde (126). Arial has the same widths.
 */
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ... /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 ... ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ ... O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P ... _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` ... o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p ... ~
];

/** Widths of the non-ASCII characters the reports use; others count as an average letter. */
const OTHER_WIDTHS: Readonly<Record<string, number>> = {
  '×': 584, '−': 584, '≈': 584, '–': 556, '—': 1000, '·': 278, '…': 1000, '„': 333, '“': 333, '”': 333,
  'ä': 556, 'ö': 556, 'ü': 556, 'Ä': 667, 'Ö': 778, 'Ü': 722, 'ß': 611, 'é': 556,
};

const BOLD_FACTOR = 1.07;

/** The width in pixels of `text` set in Helvetica at `fontSize`, bold when `bold`. */
export function helveticaWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? HELVETICA_WIDTHS[code - 32] : (OTHER_WIDTHS[ch] ?? 556);
  }
  return (units / 1000) * fontSize * (bold ? BOLD_FACTOR : 1);
}

interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

let installed = false;

/**
 * Gives Vega text widths from Helvetica's metrics. Without a canvas Vega estimates every
 * character as 0.8 em, which makes titles and legends reserve far too much room and
 * truncates axis labels early; this is Vega's documented hook for a user-defined
 * `textMetrics.width` (as vl-convert uses). A width never exceeds the item's `limit`,
 * since Vega truncates longer text to it.
 */
export function installTextMetrics(): void {
  if (installed) return;
  installed = true;
  // vega's type declarations omit textMetrics, which vega-scenegraph exports.
  const metrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  metrics.width = (item, text) => {
    const s = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
    const w = helveticaWidth(s, size, bold);
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
}
