import { pino, type Logger } from 'pino';

export type { Logger };

/** The server's structured log (JSON lines on stdout). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'seici' } });
}

/** A logger that writes nothing (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
