import { freemem, totalmem } from 'node:os';
import { InputError } from '../../analysis/errors.js';

/** The environment variable that sets the memory a command may use for its data (`2GB`, `500MB`, bytes). */
export const MEMORY_LIMIT_ENV = 'SEICI_MEMORY_LIMIT';

/** Memory every command needs besides its data: Node, the code, the output (issue 16's fixed 200 MB). */
export const FIXED_OVERHEAD = 200 * 1024 * 1024;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** Parses a size such as `1.5GB`, `800M` or `1073741824` (binary units); an InputError names `source`. */
export function parseSize(text: string, source: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || !(Number(m[1]) > 0)) {
    throw new InputError(source, `${source} must be a size such as 2GB, 500MB or a number of bytes; got "${text}".`);
  }
  return Math.floor(Number(m[1]) * unit);
}

/** The memory limit and where it came from, for the message that says a file does not fit. */
export interface MemoryLimit {
  readonly bytes: number;
  readonly source: string;
}

/**
 * The memory a command may use: `SEICI_MEMORY_LIMIT` (which `--memory-limit` sets) when given,
 * else the memory available now (MemAvailable on Linux) or the process's cgroup limit, whichever
 * is smaller.
 */
export function memoryLimit(env: NodeJS.ProcessEnv = process.env): MemoryLimit {
  const configured = env[MEMORY_LIMIT_ENV];
  if (configured !== undefined && configured.trim() !== '') {
    return { bytes: parseSize(configured, MEMORY_LIMIT_ENV), source: `the memory limit (${MEMORY_LIMIT_ENV} or --memory-limit)` };
  }
  let bytes = Math.min(freemem(), totalmem());
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  if (constrained !== undefined && constrained > 0 && constrained < bytes) bytes = constrained;
  return { bytes, source: 'the memory available' };
}

/** A size for people: `850 MB`, `2.4 GB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024 ** 2) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en')} KB`;
  if (bytes < 1024 ** 3) return `${Math.max(1, Math.round(bytes / 1024 ** 2)).toLocaleString('en')} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
