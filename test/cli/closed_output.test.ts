import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';

interface Ended {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Bytes the reader took before it went away. */
  read: number;
}

/**
 * Runs the built `seici` with its stdout on a pipe whose reader takes the first chunk and then
 * closes its end, as `seici … | head -c N` does, and waits for the process to end.
 */
function readFirstChunkThenClose(args: readonly string[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.stdout.once('data', (chunk: Buffer) => {
      read = chunk.length;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stderr, read }));
  });
}

/** Runs the built `seici` with its stdout on /dev/full, where every write fails with ENOSPC. */
function writeToFullDevice(args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('a closed stdout ends seici quietly', () => {
  let dir: string;
  let csv: string;

  beforeAll(() => {
    // 20,000 units of 3: the result (≈ 3 MB of JSON, ≈ 1.3 MB of text) is far larger than a pipe's buffer
    dir = mkdtempSync(join(tmpdir(), 'seici-epipe-'));
    csv = join(dir, 'units.csv');
    const lines = ['unit,a,b,c'];
    for (let u = 0; u < 20_000; u++) for (let r = 0; r < 3; r++) lines.push(`u${u},${1 + ((u + r) % 5)},${1 + ((u * 3 + r) % 5)},${1 + ((u * 7 + 2 * r) % 5)}`);
    writeFileSync(csv, lines.join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const agreement = () => ['agreement', '--csv', csv, '--items', 'a,b,c', '--group', 'unit', '--scale-points', '5'];

  it('--json into a reader that stops after its first chunk: status 0, nothing on stderr', async () => {
    const r = await readFirstChunkThenClose([...agreement(), '--json']);
    expect(r.read).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
  });

  it('the text rendering into a reader that stops after its first chunk: status 0, nothing on stderr', async () => {
    const r = await readFirstChunkThenClose(agreement());
    expect(r.read).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('any other failure to write the output is one line on stderr and status 1, never a stack trace', async () => {
    const r = await writeToFullDevice([...agreement(), '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^seici: the output cannot be written \(ENOSPC[^\n]*\)\.\n$/);
  });
});
