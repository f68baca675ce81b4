/**
 * The fixed-rate load generator of bench/server.ts: `node open_loop_child.js URL CONNECTIONS
 * SECONDS BODIES_FILE RATE` sends the answer sets of BODIES_FILE (one JSON body a line) to
 * POST /api/v1/responses at RATE requests a second, whatever the server's answers do, over
 * CONNECTIONS keep-alive connections, and prints the same line of JSON as the other loaders.
 *
 * wrk and autocannon measure a closed loop: each connection sends its next request when the
 * last one is answered, so they find the highest rate and the latency at that saturation. This
 * one asks the other question of issue 16's target, the latency at a given rate: request i is
 * due at start + i / RATE and goes to connection i mod CONNECTIONS (each connection carries
 * RATE / CONNECTIONS a second, as wrk2 does). Its latency is counted from when it was due, not
 * from when it could be sent: a request queued behind a slow answer on its connection counts
 * the wait, so a server that stalls is not flattered by the requests it held back (the
 * "coordinated omission" of closed-loop loaders).
 *
 * It speaks HTTP/1.1 over plain sockets (requests written whole, answers read by their
 * Content-Length), since Node's own client took ≈ 120 µs of CPU a request at nice 10 and could
 * not send 4,000 a second beside the server on two cores; this takes a small fraction of that.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

const [url, connectionsArg, secondsArg, bodiesFile, rateArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const seconds = Number(secondsArg);
const rate = Number(rateArg);
if (![connections, seconds, rate].every((x) => Number.isFinite(x) && x > 0)) throw new Error('usage: open_loop_child.js URL CONNECTIONS SECONDS BODIES_FILE RATE');
const bodies = readFileSync(bodiesFile, 'utf8').split('\n').filter((l) => l !== '');
const total = Math.floor(rate * seconds);
if (bodies.length < total) throw new Error(`${bodiesFile} has ${bodies.length} bodies; ${total} are needed`);
const { hostname, port, host } = new URL(url);

const latencies = new Float64Array(total);
let ok = 0;
let failed = 0;
let finished = 0;
let lastAnswer = 0;

function done(i: number, due: number, success: boolean): void {
  lastAnswer = performance.now();
  latencies[i] = lastAnswer - due;
  if (success) ok++;
  else failed++;
  if (++finished === total) report();
}

/** One keep-alive connection: requests due while it waits for an answer queue behind it. */
class Connection {
  private readonly socket: Socket;
  private readonly queue: { i: number; due: number }[] = [];
  private inFlight: { i: number; due: number } | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor() {
    this.socket = connect(Number(port), hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk) => this.read(chunk));
    this.socket.on('error', () => this.fail());
  }

  due(i: number, due: number): void {
    if (this.broken) return done(i, due, false);
    this.queue.push({ i, due });
    if (this.inFlight === undefined) this.sendNext();
  }

  private sendNext(): void {
    const next = this.queue.shift();
    if (next === undefined) return;
    this.inFlight = next;
    const body = bodies[next.i];
    this.socket.write(`POST /api/v1/responses HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Takes whole answers off the socket: the status line, the headers, Content-Length bytes of body. */
  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.pending.toString('latin1', 0, end);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (length === null) return this.fail();
      const size = end + 4 + Number(length[1]);
      if (this.pending.length < size) return;
      this.pending = this.pending.subarray(size);
      const status = Number(head.slice(9, 12));
      const answered = this.inFlight;
      this.inFlight = undefined;
      if (answered !== undefined) done(answered.i, answered.due, status >= 200 && status < 300);
      this.sendNext();
    }
  }

  /** A broken connection fails what it holds and what waits on it. */
  private fail(): void {
    this.broken = true;
    for (const r of [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)]) done(r.i, r.due, false);
    this.inFlight = undefined;
    this.socket.destroy();
  }

  close(): void {
    this.socket.destroy();
  }
}

const pool = Array.from({ length: connections }, () => new Connection());
const start = performance.now() + 50;
let next = 0;
function tick(): void {
  const now = performance.now();
  while (next < total && start + (next * 1000) / rate <= now) {
    pool[next % connections].due(next, start + (next * 1000) / rate);
    next++;
  }
  if (next < total) setTimeout(tick, 1);
}
setTimeout(tick, 50);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function report(): void {
  const sorted = latencies.slice().sort();
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({
      rate: ok / ((lastAnswer - start) / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      ok,
      failed,
      loaderCpuSeconds: (cpu.user + cpu.system) / 1e6,
    }) + '\n',
  );
  for (const c of pool) c.close();
}
