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
  /**
   * The organisation's IANA time zone (SEICI_TIME_ZONE, default UTC): the console shows and takes
   * wave dates in it, and respondents are told in it when a wave opens and closes (their pages
   * and e-mails); everything is stored in UTC.
   */
  readonly timeZone: string;
  /** Base of the links sent to respondents (`<publicUrl>/s/<token>`). */
  readonly publicUrl: string;
  readonly smtp?: SmtpConfig;
  /** Seed a demo organisation into an empty database at start. */
  readonly demo: boolean;
  /** Largest JSON request body accepted. */
  readonly bodyLimit: string;
  /**
   * Largest import, in bytes (SEICI_IMPORT_LIMIT): units, traces and PQ, uploaded over the API or
   * pasted in the console (the text of the CSV or JSON, not its form encoding). Unset, each import
   * keeps its own default: 5 MB (5mb) for units, 50 MB (50mb) for traces and PQ.
   */
  readonly importLimit?: number;
  readonly logLevel: string;
  /**
   * SQLite's synchronous setting: FULL (default) fsyncs the WAL at every commit, so an
   * acknowledged answer survives a power cut; NORMAL survives a crash of the process only.
   */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  /** How often the wave scheduler looks for due events, in milliseconds. */
  readonly schedulerIntervalMs: number;
  /** HTTP server processes behind the one port (Node's cluster; server/cluster.ts); 1 serves from this process alone. */
  readonly processes: number;
  /** Console sessions: ended after this many idle minutes, and this many hours after sign-in whatever happens. */
  readonly session: { readonly idleMinutes: number; readonly maxHours: number };
  /** The rate limits (server/rate_limits/limits.ts); each is `limit` requests per `windowSeconds`. */
  readonly rateLimits: RateLimitsConfig;
  /**
   * The key material for sealing survey tokens into reminder rows (AES-256-GCM, server/sealed_token.ts);
   * it lives outside the database, so a database dump alone cannot recover a link. Required with SMTP.
   */
  readonly secret?: string;
  /**
   * SEICI_RESPONSE_KEY_FILE: a file holding the key answer sets are stored under (server/response_key.ts),
   * used when SEICI_SECRET is not set; one of the two is required with DATABASE_URL.
   */
  readonly responseKeyFile?: string;
  /**
   * The Ed25519 key that signs pre-registration commitments (SEICI_SIGNING_KEY, PEM or base64
   * PKCS#8), held outside the database. Absent: the server refuses to commit (503) and reports
   * say that their commitments cannot be checked; it never makes up a key.
   */
  readonly signingKey?: KeyObject;
}

/** A limit of `limit` counted requests per `windowSeconds` (express-rate-limit's fixed window). */
export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimitsConfig {
  /** Failed sign-ins per client address. */
  readonly loginPerAddress: RateLimit;
  /** Failed sign-ins from all addresses together. */
  readonly loginGlobal: RateLimit;
  /** Requests with an unknown or unusable survey token (`/s/:token`, `POST /api/v1/responses`) per client address. */
  readonly surveyTokenFailures: RateLimit;
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
  const secret = env.SEICI_SECRET || undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError(`SEICI_SECRET must be at least 32 characters long; it has ${secret.length}.`);
  }
  if (smtp && secret === undefined) {
    throw new ConfigError('SEICI_SECRET must be set (at least 32 random characters) when SMTP_HOST is set: reminders carry each recipient\'s own link, sealed with it.');
  }
  return {
    port,
    dataDir: resolve(env.SEICI_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    adminToken,
    minGroupSize: integer(env, 'SEICI_MIN_GROUP', 5, 3, 1000),
    timeZone: timeZone(env.SEICI_TIME_ZONE),
    publicUrl: (env.SEICI_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    smtp,
    demo: !['0', 'false', 'off', 'no'].includes((env.SEICI_DEMO ?? 'on').toLowerCase()),
    bodyLimit: env.SEICI_BODY_LIMIT || '64kb',
    importLimit: env.SEICI_IMPORT_LIMIT ? integer(env, 'SEICI_IMPORT_LIMIT', 0, 1024, 2 ** 40) : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    sqliteSynchronous: synchronous(env.SEICI_SQLITE_SYNCHRONOUS),
    schedulerIntervalMs: integer(env, 'SEICI_SCHEDULER_INTERVAL_MS', 5000, 10, 3_600_000),
    processes: integer(env, 'SEICI_PROCESSES', 1, 1, 64),
    session: {
      idleMinutes: integer(env, 'SEICI_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      maxHours: integer(env, 'SEICI_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    },
    rateLimits: {
      loginPerAddress: rateLimit(env, 'SEICI_RATE_LOGIN', { limit: 10, windowSeconds: 900 }),
      loginGlobal: rateLimit(env, 'SEICI_RATE_LOGIN_GLOBAL', { limit: 100, windowSeconds: 60 }),
      surveyTokenFailures: rateLimit(env, 'SEICI_RATE_SURVEY_TOKEN', { limit: 30, windowSeconds: 900 }),
    },
    secret,
    responseKeyFile: env.SEICI_RESPONSE_KEY_FILE ? resolve(env.SEICI_RESPONSE_KEY_FILE) : undefined,
    signingKey: signingKey(env.SEICI_SIGNING_KEY),
  };
}

function timeZone(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return 'UTC';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: raw.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(`SEICI_TIME_ZONE must be an IANA time zone such as "Europe/Berlin" or "UTC"; got "${raw.slice(0, 40)}".`);
  }
}

/** `N/S`: N requests per S seconds (`10/900`). */
function rateLimit(env: NodeJS.ProcessEnv, name: string, fallback: RateLimit): RateLimit {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^\s*(\d{1,7})\s*\/\s*(\d{1,7})\s*$/.exec(raw);
  const limit = match ? Number(match[1]) : NaN;
  const windowSeconds = match ? Number(match[2]) : NaN;
  if (!match || limit < 1 || windowSeconds < 1 || windowSeconds > 86_400) {
    throw new ConfigError(`${name} must be "<requests>/<seconds>" with at least 1 request and 1 to 86400 seconds, such as "10/900"; got "${raw.slice(0, 40)}".`);
  }
  return { limit, windowSeconds };
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
