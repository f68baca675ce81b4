import { LazyList } from '../analysis/data/lazy_list.js';

/**
 * Writes a command's result: one JSON object with `--json`, else a readable text rendering.
 * NaN and infinities become null in JSON, as shared/CONTRACT.md requires.
 */
export function emit<T>(result: T, json: boolean, render?: (r: T) => string): void {
  if (json) {
    writeJson(result, writeStdout);
    writeStdout('\n');
  } else {
    writeStdout((render ? render(result) : renderPlain(result)) + '\n');
  }
}

/**
 * Writes `text` on stdout; once the reader has gone (`seici … | head -1`), ends the process
 * quietly instead, so that a long result is not built for nobody. A failed write to a pipe
 * destroys the stream at once (Node writes pipes synchronously on Linux; the error event follows
 * on the next tick, see {@link endQuietlyWhenOutputCloses}).
 */
export function writeStdout(text: string): void {
  if (process.stdout.destroyed) outputClosed();
  process.stdout.write(text);
}

/** The exit status when the reader of stdout has gone: 0, as `jq` and `head` itself end. */
export const EXIT_OUTPUT_CLOSED = 0;

function outputClosed(): never {
  process.exit(EXIT_OUTPUT_CLOSED);
}

let watching = false;

/**
 * Makes a closed stdout or stderr end the process quietly with status 0 instead of an unhandled
 * EPIPE error and its stack trace: a reader that stops early (`seici agreement --json big.csv |
 * head -1`) has all it wanted. Any other failure to write the output (a full disk, a closed
 * descriptor) ends it with status 1 and one line on stderr. Installed once by `runCli`.
 */
export function endQuietlyWhenOutputCloses(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') outputClosed();
    process.stderr.write(`seici: the output cannot be written (${err.message}).\n`);
    process.exit(1);
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    // nowhere left to say anything
    process.exit(err.code === 'EPIPE' ? EXIT_OUTPUT_CLOSED : 1);
  });
}

/** Arrays longer than this are written element by element. */
const LONG_ARRAY = 2_000;

/** Characters gathered before a long array's elements are handed to `write`. */
const PIECE = 1 << 16;

/**
 * Writes `value` as JSON.stringify(value) would, byte for byte, but in pieces: the
 * top-level object key by key and long arrays element by element, handed to `write` some 64 K
 * characters at a time. A result of hundreds of thousands of unit-waves (`score` on millions of
 * rows) would otherwise exceed the longest string JavaScript can hold (about 512 MB) in one
 * `JSON.stringify`; and pieces this small stay out of V8's large-object space and make little
 * garbage, so writing 20,000 units' results adds almost nothing to the process's peak memory.
 * A {@link LazyList} is written as the array of its elements, each built, written and dropped in
 * turn.
 */
export function writeJson(value: unknown, write: (text: string) => void, depth = 0): void {
  const lazy = value instanceof LazyList;
  if (lazy || (Array.isArray(value) && value.length > LONG_ARRAY)) {
    // a LazyList's elements are built one at a time and dropped once written
    const list = value as LazyList<unknown> | readonly unknown[];
    let piece = '[';
    for (let i = 0; i < list.length; i++) {
      const v: unknown = lazy ? (list as LazyList<unknown>).at(i) : (list as readonly unknown[])[i];
      if (i > 0) piece += ',';
      piece += JSON.stringify(v === undefined || typeof v === 'function' ? null : v) ?? 'null';
      if (piece.length >= PIECE) {
        write(piece);
        piece = '';
      }
    }
    write(piece + ']');
    return;
  }
  if (depth === 0 && typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    write('{');
    let first = true;
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      write(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      writeJson(v, write, depth + 1);
    }
    write('}');
    return;
  }
  // JSON.stringify writes NaN and ±Infinity as null itself (ECMA-262 SerializeJSONProperty): no replacer, which would cost a call per value
  write(JSON.stringify(value));
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
