/**
 * The load generator of bench/server.ts, as a child process so that it can run at a lower
 * priority (`nice -n 10`) than the server it measures, which shares the machine's cores with
 * it: `node autocannon_child.js URL CONNECTIONS SECONDS BODIES_FILE` sends the answer sets of
 * BODIES_FILE (one JSON body a line) to POST /api/v1/responses and prints autocannon's figures
 * as one line of JSON.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, connections, seconds, bodiesFile] = process.argv.slice(2);
const bodies = readFileSync(bodiesFile, 'utf8').split('\n').filter((l) => l !== '');
let next = 0;
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [
    {
      method: 'POST',
      path: '/api/v1/responses',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
    },
  ],
});
const cpu = process.cpuUsage();
process.stdout.write(
  JSON.stringify({
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    loaderCpuSeconds: (cpu.user + cpu.system) / 1e6,
  }) + '\n',
);
