import { iso } from '../clock.js';
import type { Db } from '../db.js';
import { insertAudit } from '../queries/admin.js';
import type { Services } from '../services.js';

/** Writes one admin change to the audit log: who, what, on which target, with which details. */
export async function audit(s: Services, actor: string, action: string, target: string | null, details: unknown = {}, db: Db = s.db): Promise<void> {
  await insertAudit(db, iso(s.clock()), actor, action, target, details);
}
