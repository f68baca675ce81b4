/**
 * The first of `offered` that an `Accept-Language` header asks for, by descending quality
 * (RFC 9110 §12.5.4; equal qualities keep the header's order). A tag matches a locale when
 * it equals it or its primary subtag does (`de-DE`, `de-AT` → `de`); `*` and `q=0` ask for
 * nothing. Undefined when the header names none of them, or is absent.
 */
export function negotiateLocale(header: string | undefined, offered: readonly string[]): string | undefined {
  if (!header) return undefined;
  const wanted = header
    .slice(0, 512)
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find((m) => m !== null);
      const quality = q ? Number(q[1]) : 1;
      return { tag: tag.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, order };
    })
    .filter((w) => w.tag !== '' && w.tag !== '*' && w.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  const lower = offered.map((l) => l.toLowerCase());
  for (const { tag } of wanted) {
    const exact = lower.indexOf(tag);
    if (exact >= 0) return offered[exact];
    const primary = lower.indexOf(tag.split('-')[0]);
    if (primary >= 0) return offered[primary];
  }
  return undefined;
}
