import { iso } from '../clock.js';
import { notFound } from '../errors.js';
import { deleteTokenSessions, type AuditFilter, insertAdminToken, listAdminTokens, listAudit, revokeAdminToken, type AdminTokenRecord } from '../queries/admin.js';
import type { Services } from '../services.js';
import { hashToken, newToken } from '../tokens.js';
import { audit } from './audit.js';

/** Creates a named admin bearer token; the token itself is shown once, only its hash is stored. */
export async function createAdminToken(s: Services, actor: string, name: string): Promise<AdminTokenRecord & { token: string }> {
  const token = newToken();
  return s.db.transaction(async (trx) => {
    const record = await insertAdminToken(trx, name, hashToken(token, 'admin:'), iso(s.clock()));
    await audit(s, actor, 'admin-token.create', `admin-token:${record.id}`, { name }, trx);
    return { ...record, token };
  });
}

export async function listTokens(s: Services): Promise<AdminTokenRecord[]> {
  return listAdminTokens(s.db);
}

/** Revokes an admin token and ends every console session opened with it, in one transaction. */
export async function revokeToken(s: Services, actor: string, id: number): Promise<AdminTokenRecord> {
  return s.db.transaction(async (trx) => {
    const record = await revokeAdminToken(trx, id, iso(s.clock()));
    if (!record) throw notFound(`No admin token has the id ${id}.`);
    const sessions = await deleteTokenSessions(trx, id);
    await audit(s, actor, 'admin-token.revoke', `admin-token:${id}`, { name: record.name, sessionsEnded: sessions }, trx);
    return record;
  });
}

/** The newest `limit` entries of the audit log that pass the filter (actor, action and target prefixes, a time range). */
export async function auditLog(s: Services, limit: number, filter: AuditFilter = {}) {
  const utc = (t: string | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
  return { entries: await listAudit(s.db, limit, { ...filter, since: utc(filter.since), until: utc(filter.until) }) };
}
