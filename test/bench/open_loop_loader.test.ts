import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// bench/loader/open_loop_child.ts as `npm run build` compiles it
const LOADER = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/bench/loader/open_loop_child.js');

interface Figures {
  rate: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** A server that answers at once, except that answers asked for inside [from, to) ms after its first request are held until `to`. */
function stallingServer(stall?: { from: number; to: number }): Promise<{ server: Server; url: string }> {
  let first: number | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = performance.now();
      first ??= now;
      const answer = () => {
        res.writeHead(req.url === '/api/v1/responses' ? 200 : 404, { 'content-type': 'application/json', 'content-length': 2 });
        res.end('{}');
      };
      const t = now - first;
      if (stall && t >= stall.from && t < stall.to) setTimeout(answer, stall.to - t);
      else answer();
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

function runLoader(url: string, connections: number, seconds: number, bodies: string, rate: number): Promise<Figures> {
  return new Promise((ok, fail) => {
    execFile(process.execPath, [LOADER, url, String(connections), String(seconds), bodies, String(rate)], (err, stdout, stderr) => {
      if (err) return fail(new Error(`${err.message}\n${stderr}`));
      try {
        ok(JSON.parse(stdout.trim()) as Figures);
      } catch {
        fail(new Error(`the loader printed no figures: ${JSON.stringify(stdout)} ${stderr}`));
      }
    });
  });
}

describe('the open-loop loader of the server bench', () => {
  let dir: string;
  let bodies: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seici-open-loop-'));
    bodies = join(dir, 'bodies.jsonl');
    writeFileSync(bodies, Array.from({ length: 400 }, (_, i) => JSON.stringify({ n: i })).join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends every request once, at the rate asked, and reads each answer', async () => {
    const { server, url } = await stallingServer();
    try {
      const f = await runLoader(url, 10, 1, bodies, 400);
      expect(f.ok).toBe(400);
      expect(f.failed).toBe(0);
      // 400 requests due over one second, answered at once: the rate is the offered one
      expect(f.rate).toBeGreaterThan(360);
      expect(f.rate).toBeLessThan(440);
    } finally {
      server.close();
    }
  });

  it('counts the time a request waited behind a stalled answer on its connection (no coordinated omission)', async () => {
    // answers held from 100 to 700 ms: the requests due in that window, ≈ 60% of the run, wait on their
    // connections; counted from when they were sent, only the ten held answers would be slow
    const { server, url } = await stallingServer({ from: 100, to: 700 });
    try {
      const f = await runLoader(url, 10, 1, bodies, 400);
      expect(f.ok).toBe(400);
      expect(f.p50).toBeGreaterThan(100);
      expect(f.p99).toBeGreaterThan(450);
    } finally {
      server.close();
    }
  });

  it('fails the requests of a connection the server refuses', async () => {
    const { server, url } = await stallingServer();
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    const f = await runLoader(url, 4, 0.1, bodies, 100);
    expect(f.ok).toBe(0);
    expect(f.failed).toBe(10);
  });
});
