import { iso } from '../../clock.js';
import { HttpError, notFound } from '../../errors.js';
import { audit } from '../../handlers/audit.js';
import { getUnit } from '../../handlers/units.js';
import type { Services } from '../../services.js';
import { deleteTraceImport, findTraceImport, insertTraceImport, listTraceImports, type TraceImportRecord } from '../queries/traces.js';
import { isUnreadUpload } from '../../imports/csv_upload.js';
import { readTraceImport, readTraceUpload, type TraceFormat } from '../trace_formats.js';

/**
 * Imports a unit's coordination events (see readTraceUpload for the formats and the unit
 * rule). The whole file is validated first, as it streams in, into typed columns; then the
 * import record, every event and the audit entry are stored in one transaction, so a refused
 * or failed import stores nothing.
 */
export async function importTraces(
  s: Services,
  actor: string,
  unitKey: string,
  format: TraceFormat,
  body: unknown,
  source: string | undefined,
): Promise<TraceImportRecord> {
  const unit = await getUnit(s, unitKey);
  const events = isUnreadUpload(body) ? await readTraceUpload(body, format, unit.key) : readTraceImport(format, body, unit.key);
  const summary = events.summary(unit.key);
  if (summary === undefined) throw new HttpError(400, `The ${format} import holds no coordination events, so there is nothing to store.`);
  return s.db.transaction(async (trx) => {
    const id = await insertTraceImport(trx, { unitId: unit.id, format, source: source ?? null, summary, importedAt: iso(s.clock()), importedBy: actor }, events);
    await audit(s, actor, 'traces.import', `unit:${unit.key}`, { importId: id, format, source: source ?? null, events: events.length, first: summary.first, last: summary.last, types: summary.types }, trx);
    return (await findTraceImport(trx, unit.id, id))!;
  });
}

export async function listTraces(s: Services, unitKey: string): Promise<{ imports: TraceImportRecord[] }> {
  const unit = await getUnit(s, unitKey);
  return { imports: await listTraceImports(s.db, unit.id) };
}

/** Deletes one import of a unit and its events (audited). */
export async function deleteTraces(s: Services, actor: string, unitKey: string, importId: number): Promise<TraceImportRecord> {
  const unit = await getUnit(s, unitKey);
  return s.db.transaction(async (trx) => {
    const record = await findTraceImport(trx, unit.id, importId);
    if (!record) throw notFound(`Unit "${unit.key}" has no trace import with the id ${importId}.`);
    await deleteTraceImport(trx, importId);
    await audit(s, actor, 'traces.delete', `unit:${unit.key}`, { importId, format: record.format, events: record.events }, trx);
    return record;
  });
}
