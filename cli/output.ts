/**
 * Writes a command's result: one JSON object with `--json`, else a readable text rendering.
 * NaN and infinities become null in JSON, as shared/CONTRACT.md requires.
 */
export function emit(result: unknown, json: boolean, render?: (r: any) => string): void {
  if (json) {
    process.stdout.write(JSON.stringify(result, jsonSafe) + '\n');
  } else {
    process.stdout.write((render ? render(result) : renderPlain(result)) + '\n');
  }
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** Formats a number for a table: up to 3 decimals, `NA` when missing. */
export function fmt(x: unknown, digits = 3): string {
  if (x === null || x === undefined) return 'NA';
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) return 'NA';
    if (Number.isInteger(x)) return String(x);
    return x.toFixed(digits);
  }
  if (typeof x === 'boolean') return x ? 'yes' : 'no';
  if (Array.isArray(x)) return x.map((v) => fmt(v, digits)).join(' ');
  return String(x);
}

/** An aligned text table with a header row. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[], digits = 3): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map((v) => fmt(v, digits)))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  return cells
    .map((r, i) => {
      const line = r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

/** A generic rendering: scalars as `key: value` lines, arrays of objects as tables. */
export function renderPlain(result: unknown): string {
  if (typeof result !== 'object' || result === null) return fmt(result);
  const lines: string[] = [];
  const nested: string[] = [];
  for (const [k, v] of Object.entries(result as Record<string, unknown>)) {
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null && !Array.isArray(v[0])) {
      const heads = Object.keys(v[0] as object);
      nested.push(`${k}:\n${table(heads, v.map((o) => heads.map((h) => (o as Record<string, unknown>)[h])))}`);
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const inner = Object.entries(v as Record<string, unknown>);
      if (inner.every(([, x]) => typeof x !== 'object' || x === null || Array.isArray(x))) {
        lines.push(`${k}: ${inner.map(([a, b]) => `${a}=${fmt(b)}`).join(', ')}`);
      } else {
        nested.push(`${k}:\n${renderPlain(v).replace(/^/gm, '  ')}`);
      }
    } else {
      lines.push(`${k}: ${fmt(v)}`);
    }
  }
  return [...lines, ...nested].join('\n');
}
