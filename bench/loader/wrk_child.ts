/**
 * The load generator of bench/server.ts when `wrk` (4.x, Debian package `wrk`) is installed:
 * `node wrk_child.js URL CONNECTIONS SECONDS BODIES_FILE` sends the answer sets of BODIES_FILE
 * (one JSON body a line, each with its own token) to POST /api/v1/responses from one wrk thread
 * and prints the same line of JSON as autocannon_child.ts. wrk is written in C with a LuaJIT
 * script per request and needs a fraction of autocannon's CPU per request (autocannon, in
 * Node, took ~100 µs a request on an idle core of the 2-core machine, nearly as much as the
 * server it measures); on a machine whose cores the loader shares with the server, a lighter
 * loader leaves more of them to the server.
 *
 * The Lua script gives every request the next body of the file (each token is sent once while
 * the file lasts), counts 2xx as wrk does (responses with a status of 400 or more are wrk's
 * `errors.status`), and prints the figures in `done`. The loader's CPU is read from
 * /proc/self/stat (the children's user and system time, counted once wrk has exited).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `
local bodies = {}
local count = 0
local sent = 0
function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then
      count = count + 1
      bodies[count] = line
    end
  end
  file:close()
  wrk.method = "POST"
  wrk.path = "/api/v1/responses"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, bodies[((sent - 1) % count) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  local failed = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format('{"requests":%d,"durationUs":%d,"status":%d,"failed":%d,"p50":%.3f,"p99":%.3f}\\n',
    summary.requests, summary.duration, e.status, failed, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`;

/** User + system CPU seconds of this process's waited-for children (fields 16 and 17 of /proc/self/stat). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const [url, connections, seconds, bodiesFile] = process.argv.slice(2);
// SEICI_BENCH_WRK_THREADS: wrk's threads (default 1; the connections are shared among them).
const threads = process.env.SEICI_BENCH_WRK_THREADS ?? '1';
const dir = mkdtempSync(join(tmpdir(), 'seici-wrk-'));
try {
  const script = join(dir, 'answers.lua');
  writeFileSync(script, SCRIPT);
  const before = childrenCpuSeconds();
  const output = await new Promise<string>((ok, fail) => {
    const wrk = spawn('wrk', ['-t', threads, '-c', connections, '-d', `${seconds}s`, '--timeout', '10s', '-s', script, url, '--', bodiesFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    wrk.stdout.setEncoding('utf8');
    wrk.stdout.on('data', (chunk: string) => (out += chunk));
    wrk.once('error', fail);
    wrk.once('close', (code) => (code === 0 ? ok(out) : fail(new Error(`wrk stopped with code ${code}: ${out}`))));
  });
  const line = output.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no figures: ${output}`);
  const r = JSON.parse(line) as { requests: number; durationUs: number; status: number; failed: number; p50: number; p99: number };
  process.stdout.write(
    JSON.stringify({
      rate: r.requests / (r.durationUs / 1e6),
      p50: r.p50,
      p99: r.p99,
      ok: r.requests - r.status,
      failed: r.failed,
      loaderCpuSeconds: childrenCpuSeconds() - before,
    }) + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
