import type { Db } from '../db.js';
import { whereStartsWith } from './starts_with.js';

export interface AdminTokenRecord {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

function toToken(r: { id: number; name: string; created_at: string; revoked_at: string | null }): AdminTokenRecord {
  return { id: Number(r.id), name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at ?? null };
}

export async function insertAdminToken(db: Db, name: string, tokenHash: string, createdAt: string): Promise<AdminTokenRecord> {
  const [row] = await db('admin_tokens').insert({ name, token_hash: tokenHash, created_at: createdAt }).returning(['id', 'name', 'created_at', 'revoked_at']);
  return toToken(row);
}

/** The unrevoked admin token with this hash, if any. */
export async function findActiveAdminToken(db: Db, tokenHash: string): Promise<{ id: number; name: string } | undefined> {
  const row = await db('admin_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').first('id', 'name');
  return row ? { id: Number(row.id), name: row.name } : undefined;
}

export async function listAdminTokens(db: Db): Promise<AdminTokenRecord[]> {
  return (await db('admin_tokens').orderBy('id')).map(toToken);
}

export async function revokeAdminToken(db: Db, id: number, at: string): Promise<AdminTokenRecord | undefined> {
  await db('admin_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: at });
  const row = await db('admin_tokens').where({ id }).first();
  return row ? toToken(row) : undefined;
}

/** A console session as listed to admins (never its cookie or CSRF token). */
export interface SessionRecord {
  readonly id: number;
  readonly actor: string;
  readonly tokenId: number | null;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
}

/** What a request's session cookie opens, with the id of the admin token it was opened with. */
export interface ActiveSession extends SessionRecord {
  readonly csrfToken: string;
}

interface SessionRow {
  id: number;
  actor: string;
  token_id: number | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  csrf_token: string;
}

function toSession(r: SessionRow): ActiveSession {
  return {
    id: Number(r.id),
    actor: r.actor,
    tokenId: r.token_id === null || r.token_id === undefined ? null : Number(r.token_id),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    csrfToken: r.csrf_token,
  };
}

export async function insertSession(
  db: Db,
  session: { sessionHash: string; csrfToken: string; actor: string; tokenId: number | null; createdAt: string; expiresAt: string },
): Promise<void> {
  await db('admin_sessions').insert({
    session_hash: session.sessionHash,
    csrf_token: session.csrfToken,
    actor: session.actor,
    token_id: session.tokenId,
    created_at: session.createdAt,
    last_seen_at: session.createdAt,
    expires_at: session.expiresAt,
  });
}

/**
 * The session with this cookie hash, if it is still valid: not past its absolute expiry, used
 * since `idleSince`, and opened with an admin token that is still unrevoked (or with
 * SEICI_ADMIN_TOKEN, token_id null). The token is checked on every request, so a revoked
 * token's sessions end at their next request even if the deletion at revocation were missed.
 */
export async function findSession(db: Db, sessionHash: string, now: string, idleSince: string): Promise<ActiveSession | undefined> {
  const row = await db('admin_sessions as s')
    .leftJoin('admin_tokens as t', 't.id', 's.token_id')
    .where('s.session_hash', sessionHash)
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', idleSince)
    .where((q) => q.whereNull('s.token_id').orWhere((q2) => q2.whereNotNull('t.id').whereNull('t.revoked_at')))
    .first('s.id', 's.actor', 's.token_id', 's.created_at', 's.last_seen_at', 's.expires_at', 's.csrf_token');
  return row ? toSession(row) : undefined;
}

/** Records that a session was used (for the idle timeout). */
export async function touchSession(db: Db, id: number, at: string): Promise<void> {
  await db('admin_sessions').where({ id }).update({ last_seen_at: at });
}

/** The sessions that are still valid, newest first. */
export async function listSessions(db: Db, now: string, idleSince: string): Promise<SessionRecord[]> {
  const rows = await db('admin_sessions as s')
    .leftJoin('admin_tokens as t', 't.id', 's.token_id')
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', idleSince)
    .where((q) => q.whereNull('s.token_id').orWhere((q2) => q2.whereNotNull('t.id').whereNull('t.revoked_at')))
    .orderBy('s.created_at', 'desc')
    .select('s.id', 's.actor', 's.token_id', 's.created_at', 's.last_seen_at', 's.expires_at', 's.csrf_token');
  return rows.map((r: SessionRow) => {
    const { csrfToken: _csrf, ...listed } = toSession(r);
    return listed;
  });
}

/** Ends one session; returns whether it existed. */
export async function deleteSessionById(db: Db, id: number): Promise<boolean> {
  return Number(await db('admin_sessions').where({ id }).delete()) > 0;
}

/** Ends every session opened with an admin token; returns how many. */
export async function deleteTokenSessions(db: Db, tokenId: number): Promise<number> {
  return Number(await db('admin_sessions').where({ token_id: tokenId }).delete());
}

export async function deleteSession(db: Db, sessionHash: string): Promise<void> {
  await db('admin_sessions').where({ session_hash: sessionHash }).delete();
}

/** Removes sessions past their absolute expiry or idle for longer than the idle timeout. */
export async function deleteExpiredSessions(db: Db, now: string, idleSince: string): Promise<void> {
  await db('admin_sessions').where('expires_at', '<=', now).orWhere('last_seen_at', '<=', idleSince).delete();
}

export interface AuditRecord {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly details: unknown;
}

export async function insertAudit(db: Db, at: string, actor: string, action: string, target: string | null, details: unknown): Promise<void> {
  await db('audit_log').insert({ at, actor, action, target, details: JSON.stringify(details ?? {}) });
}

/** Narrows the audit log: the actor exactly, actions and targets starting with a prefix, a time range (ISO, UTC). */
export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
  readonly since?: string;
  readonly until?: string;
}

export async function listAudit(db: Db, limit: number, filter: AuditFilter = {}): Promise<AuditRecord[]> {
  const query = db('audit_log').orderBy('id', 'desc').limit(limit);
  if (filter.actor) query.where('actor', filter.actor);
  if (filter.action) whereStartsWith(query, 'action', filter.action);
  if (filter.target) whereStartsWith(query, 'target', filter.target);
  if (filter.since) query.where('at', '>=', filter.since);
  if (filter.until) query.where('at', '<', filter.until);
  const rows = await query;
  return rows.map((r: { id: number; at: string; actor: string; action: string; target: string | null; details: string }) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target ?? null,
    details: JSON.parse(r.details),
  }));
}
