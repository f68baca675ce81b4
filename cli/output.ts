import { writeSync } from 'node:fs';
import { LazyList } from '../analysis/data/lazy_list.js';

/**
 * Writes a command's result: one JSON object with `--json`, else a readable text rendering.
 * NaN and infinities become null in JSON, as shared/CONTRACT.md requires.
 */
export function emit<T>(result: T, json: boolean, render?: (r: T) => string): void {
  if (json) {
    const out = gathered(writeStdout);
    writeJson(result, out.write);
    out.write('\n');
    out.flush();
  } else {
    writeStdout((render ? render(result) : renderPlain(result)) + '\n');
  }
}

/**
 * Writes `text` on stdout, all of it, before returning. Once the reader has gone (`seici … |
 * head -1`) the process ends quietly with status 0, so that a long result is not built for
 * nobody; any other failure to write (a full disk, a closed descriptor) ends it with status 1 and
 * one line on stderr, never a stack trace.
 *
 * The bytes go to file descriptor 1 by `write(2)` itself, not through `process.stdout`: the
 * stream costs every command Node's stream modules (≈ 3–5 ms of its start-up, issue 16), and a
 * synchronous write reports a closed pipe (EPIPE: Node ignores SIGPIPE) at the write that failed
 * rather than in an error event a tick later.
 */
export function writeStdout(text: string): void {
  writeAll(1, text);
}

/** Writes `text` on stderr as {@link writeStdout} does on stdout; a failure there ends the process (status 0 for a closed pipe, else 1) with nothing left to say. */
export function writeStderr(text: string): void {
  writeAll(2, text);
}

/** The exit status when the reader of stdout has gone: 0, as `jq` and `head` itself end. */
export const EXIT_OUTPUT_CLOSED = 0;

/** A slot to sleep on while a non-blocking descriptor's pipe is full. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Where output goes instead of the descriptors while a test runs the program in-process ({@link captureOutput}). */
let captured: ((fd: 1 | 2, text: string) => void) | undefined;

/**
 * Hands everything {@link writeStdout} and {@link writeStderr} write to `to` (descriptor and
 * text) instead of the process's descriptors, until called again with `undefined`: for tests
 * that run the program in-process and read what it printed.
 */
export function captureOutput(to: ((fd: 1 | 2, text: string) => void) | undefined): void {
  captured = to;
}

function writeAll(fd: 1 | 2, text: string): void {
  if (captured !== undefined) return captured(fd, text);
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // a descriptor inherited in non-blocking mode whose pipe is full: wait for the reader
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') process.exit(EXIT_OUTPUT_CLOSED);
      if (fd === 1) writeAll(2, `seici: the output cannot be written (${(err as Error).message}).\n`);
      process.exit(1);
    }
  }
}

/** Arrays longer than this are written element by element. */
const LONG_ARRAY = 2_000;

/** Characters gathered before a long array's elements are handed to `write`. */
const PIECE = 1 << 16;

/**
 * A writer that gathers what it is given and hands it to `to` once {@link PIECE} characters have
 * come (and the rest at `flush`): one `write(2)` and one UTF-8 copy per piece instead of one per
 * key of the result (a cold `seici efa --json` made ≈ 40 of each).
 */
function gathered(to: (text: string) => void): { write(text: string): void; flush(): void } {
  let parts: string[] = [];
  let length = 0;
  const flush = (): void => {
    if (parts.length > 0) to(parts.join(''));
    parts = [];
    length = 0;
  };
  return {
    write(text) {
      parts.push(text);
      length += text.length;
      if (length >= PIECE) flush();
    },
    flush,
  };
}

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
