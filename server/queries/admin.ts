import type { Db } from '../db.js';

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

/** The name of the unrevoked admin token with this hash, if any. */
export async function findActiveAdminToken(db: Db, tokenHash: string): Promise<string | undefined> {
  const row = await db('admin_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').first('name');
  return row?.name;
}

export async function listAdminTokens(db: Db): Promise<AdminTokenRecord[]> {
  return (await db('admin_tokens').orderBy('id')).map(toToken);
}

export async function revokeAdminToken(db: Db, id: number, at: string): Promise<AdminTokenRecord | undefined> {
  await db('admin_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: at });
  const row = await db('admin_tokens').where({ id }).first();
  return row ? toToken(row) : undefined;
}

export async function insertSession(db: Db, sessionHash: string, csrfToken: string, actor: string, createdAt: string, expiresAt: string): Promise<void> {
  await db('admin_sessions').insert({ session_hash: sessionHash, csrf_token: csrfToken, actor, created_at: createdAt, expires_at: expiresAt });
}

export async function findSession(db: Db, sessionHash: string, now: string): Promise<{ actor: string; csrfToken: string } | undefined> {
  const row = await db('admin_sessions').where({ session_hash: sessionHash }).where('expires_at', '>', now).first('actor', 'csrf_token');
  return row ? { actor: row.actor, csrfToken: row.csrf_token } : undefined;
}

export async function deleteSession(db: Db, sessionHash: string): Promise<void> {
  await db('admin_sessions').where({ session_hash: sessionHash }).delete();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<void> {
  await db('admin_sessions').where('expires_at', '<=', now).delete();
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

export async function listAudit(db: Db, limit: number): Promise<AuditRecord[]> {
  const rows = await db('audit_log').orderBy('id', 'desc').limit(limit);
  return rows.map((r: { id: number; at: string; actor: string; action: string; target: string | null; details: string }) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target ?? null,
    details: JSON.parse(r.details),
  }));
}
