import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The server's log: JSON lines on stdout when it is piped or redirected (for log collectors),
 * readable lines (`12:04:31 INFO  seici is listening url=http://localhost:3000`) when stdout is a
 * terminal. The same records either way; `pretty` overrides the terminal check.
 */
export function createLogger(level: string, pretty: boolean = process.stdout.isTTY === true): Logger {
  const options = { level, base: { app: 'seici' } };
  return pretty ? pino(options, prettyStream(process.stdout)) : pino(options);
}

/** A logger that writes nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Readonly<Record<number, string>> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };

/** One pino JSON record as a readable line: time, level, message, then the other fields as key=value. */
export function prettyLine(json: string, colour = false): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level, time, msg, pid: _pid, hostname: _host, app: _app, err, ...rest } = record;
  const n = typeof level === 'number' ? level : 30;
  const name = LEVELS[n] ?? String(level);
  const clock = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const fields = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  const stack = err && typeof err === 'object' && typeof (err as { stack?: unknown }).stack === 'string' ? `\n${(err as { stack: string }).stack}` : '';
  const label = colour ? `\u001b[${COLOURS[n] ?? '0'}m${name}\u001b[0m` : name;
  return `${clock} ${label} ${msg ?? ''}${fields ? `  ${fields}` : ''}${stack}\n`;
}

function prettyStream(out: NodeJS.WriteStream): Writable {
  const colour = out.hasColors?.() ?? false;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) out.write(prettyLine(line, colour));
      done();
    },
  });
}
