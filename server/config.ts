import type { KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { parseSigningKey } from './prereg/commitment_chain.js';

/** Outgoing mail settings; absent when SMTP_HOST is not set (invitations are then delivered as CSV only). */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user?: string;
  readonly pass?: string;
  readonly from: string;
}

/** Everything the server reads from its environment, read once at start. */
export interface Config {
  readonly port: number;
  readonly dataDir: string;
  /** PostgreSQL connection string; when absent, the embedded SQLite database under dataDir. */
  readonly databaseUrl?: string;
  /** An admin bearer token accepted in addition to the stored ones (at least 32 characters). */
  readonly adminToken?: string;
  /** Default minimum group size for new waves and for reports. */
  readonly minGroupSize: number;
  /** Base of the links sent to respondents (`<publicUrl>/s/<token>`). */
  readonly publicUrl: string;
  readonly smtp?: SmtpConfig;
  /** Seed a demo organisation into an empty database at start. */
  readonly demo: boolean;
  /** Largest JSON request body accepted. */
  readonly bodyLimit: string;
  readonly logLevel: string;
  /**
   * SQLite's synchronous setting: FULL (default) fsyncs the WAL at every commit, so an
   * acknowledged answer survives a power cut; NORMAL survives a crash of the process only.
   */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /** How often the wave scheduler looks for due events, in milliseconds. */
  readonly schedulerIntervalMs: number;
  /**
   * The Ed25519 key that signs pre-registration commitments (SEICI_SIGNING_KEY, PEM or base64
   * PKCS#8), held outside the database. Absent: the server refuses to commit (503) and reports
   * say that their commitments cannot be checked; it never makes up a key.
   */
  readonly signingKey?: KeyObject;
}

export class ConfigError extends Error {}

/** Reads the configuration from environment variables, checking each; throws ConfigError naming the variable at fault. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const adminToken = env.SEICI_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 32) {
    throw new ConfigError(`SEICI_ADMIN_TOKEN must be at least 32 characters long; it has ${adminToken.length}.`);
  }
  const smtpHost = env.SMTP_HOST || undefined;
  const smtp: SmtpConfig | undefined = smtpHost
    ? {
        host: smtpHost,
        port: integer(env, 'SMTP_PORT', 587, 1, 65535),
        secure: env.SMTP_SECURE === 'true' || env.SMTP_SECURE === '1',
        user: env.SMTP_USER || undefined,
        pass: env.SMTP_PASS || undefined,
        from: env.SMTP_FROM || 'seici <seici@localhost>',
      }
    : undefined;
  return {
    port,
    dataDir: resolve(env.SEICI_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    adminToken,
    minGroupSize: integer(env, 'SEICI_MIN_GROUP', 5, 2, 1000),
    publicUrl: (env.SEICI_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    smtp,
    demo: !['0', 'false', 'off', 'no'].includes((env.SEICI_DEMO ?? 'on').toLowerCase()),
    bodyLimit: env.SEICI_BODY_LIMIT || '64kb',
    logLevel: env.LOG_LEVEL || 'info',
    sqliteSynchronous: synchronous(env.SEICI_SQLITE_SYNCHRONOUS),
    schedulerIntervalMs: integer(env, 'SEICI_SCHEDULER_INTERVAL_MS', 5000, 10, 3_600_000),
    signingKey: signingKey(env.SEICI_SIGNING_KEY),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

function synchronous(raw: string | undefined): 'FULL' | 'NORMAL' {
  const value = (raw || 'FULL').toUpperCase();
  if (value !== 'FULL' && value !== 'NORMAL') throw new ConfigError(`SEICI_SQLITE_SYNCHRONOUS must be FULL or NORMAL; got "${raw}".`);
  return value;
}

function signingKey(raw: string | undefined): KeyObject | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return parseSigningKey(raw);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}
