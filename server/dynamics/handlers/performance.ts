import { iso } from '../../clock.js';
import { HttpError, conflict, notFound } from '../../errors.js';
import { audit } from '../../handlers/audit.js';
import { getUnit } from '../../handlers/units.js';
import type { Services } from '../../services.js';
import {
  deletePerformanceImport,
  findPerformanceImport,
  insertPerformanceImport,
  listPerformanceImports,
  storedPerformanceKeys,
  unitPerformance,
  type PerformanceImportRecord,
  type StoredPerformance,
} from '../queries/performance.js';
import { readPerformanceUpload } from '../trace_formats.js';
import { isUnreadUpload } from '../../imports/csv_upload.js';

/**
 * Imports a unit's performance-quality outcomes (period, measure, value), kept apart from the
 * coordination events: they never feed a breakpoint rule. A period and measure stored by an
 * earlier import is a 409 naming the line (delete that import first to replace it); a bad
 * row is a 400 naming the line; either way nothing is stored.
 */
export async function importPerformance(s: Services, actor: string, unitKey: string, body: unknown, source: string | undefined): Promise<PerformanceImportRecord> {
  if (typeof body !== 'string' && !(isUnreadUpload(body) && body.type === 'csv')) {
    throw new HttpError(415, 'Send the performance outcomes as CSV (period, measure, value) with Content-Type: text/csv.');
  }
  const unit = await getUnit(s, unitKey);
  const records = await readPerformanceUpload(body, unit.key);
  if (records.length === 0) throw new HttpError(400, 'The performance import holds no values, so there is nothing to store.');
  return s.db.transaction(async (trx) => {
    const stored = await storedPerformanceKeys(trx, unit.id);
    for (let i = 0; i < records.length; i++) {
      const by = stored.get(JSON.stringify([records.period(i), records.measure(i)]));
      if (by !== undefined) throw conflict(`pq line ${records.line(i)}: ${records.measure(i)} of ${records.period(i)} is stored already by import ${by}; delete that import to replace it.`);
    }
    const id = await insertPerformanceImport(trx, { unitId: unit.id, source: source ?? null, importedAt: iso(s.clock()), importedBy: actor }, records);
    const measures = records.measures;
    await audit(s, actor, 'performance.import', `unit:${unit.key}`, { importId: id, source: source ?? null, records: records.length, measures }, trx);
    return (await findPerformanceImport(trx, unit.id, id))!;
  });
}

export async function listPerformance(s: Services, unitKey: string): Promise<{ imports: PerformanceImportRecord[]; values: StoredPerformance[] }> {
  const unit = await getUnit(s, unitKey);
  return { imports: await listPerformanceImports(s.db, unit.id), values: await unitPerformance(s.db, unit.id) };
}

export async function deletePerformance(s: Services, actor: string, unitKey: string, importId: number): Promise<PerformanceImportRecord> {
  const unit = await getUnit(s, unitKey);
  return s.db.transaction(async (trx) => {
    const record = await findPerformanceImport(trx, unit.id, importId);
    if (!record) throw notFound(`Unit "${unit.key}" has no performance import with the id ${importId}.`);
    await deletePerformanceImport(trx, importId);
    await audit(s, actor, 'performance.delete', `unit:${unit.key}`, { importId, records: record.records }, trx);
    return record;
  });
}
