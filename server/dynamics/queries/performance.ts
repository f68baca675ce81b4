import type { Db } from '../../db.js';
import type { PerformanceTable } from '../performance_table.js';

/** One stored PQ import of a unit. */
export interface PerformanceImportRecord {
  readonly id: number;
  readonly unitKey: string;
  readonly source: string | null;
  readonly records: number;
  readonly importedAt: string;
  readonly importedBy: string;
}

/** A stored PQ value with the import it came from. */
export interface StoredPerformance {
  readonly importId: number;
  readonly period: string;
  readonly measure: string;
  readonly value: number;
}

function selectImports(db: Db) {
  return db('performance_imports as i')
    .join('units as u', 'u.id', 'i.unit_id')
    .select('i.id', 'u.key as unit_key', 'i.source', 'i.records', 'i.imported_at', 'i.imported_by');
}

function toImport(r: { id: number; unit_key: string; source: string | null; records: number; imported_at: string; imported_by: string }): PerformanceImportRecord {
  return { id: Number(r.id), unitKey: r.unit_key, source: r.source ?? null, records: Number(r.records), importedAt: r.imported_at, importedBy: r.imported_by };
}

/** Rows per INSERT (SQLite caps a compound SELECT at 500 terms). */
const BATCH = 400;

/** Stores one PQ import and its values (call inside a transaction). */
export async function insertPerformanceImport(
  db: Db,
  imp: { unitId: number; source: string | null; importedAt: string; importedBy: string },
  records: PerformanceTable,
): Promise<number> {
  const [row] = await db('performance_imports')
    .insert({ unit_id: imp.unitId, source: imp.source, records: records.length, imported_at: imp.importedAt, imported_by: imp.importedBy })
    .returning('id');
  const importId = Number(row.id);
  for (let i = 0; i < records.length; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(i + BATCH, records.length); j++) {
      rows.push({ import_id: importId, unit_id: imp.unitId, period: records.period(j), measure: records.measure(j), value: records.value(j) });
    }
    await db('performance_records').insert(rows);
  }
  return importId;
}

/** Every stored (period, measure) of a unit, as `JSON.stringify([period, measure])`, with the import holding it. */
export async function storedPerformanceKeys(db: Db, unitId: number): Promise<Map<string, number>> {
  const rows: { period: string; measure: string; import_id: number }[] = await db('performance_records')
    .where({ unit_id: unitId })
    .select('period', 'measure', 'import_id');
  return new Map(rows.map((r) => [JSON.stringify([r.period, r.measure]), Number(r.import_id)]));
}

export async function listPerformanceImports(db: Db, unitId: number): Promise<PerformanceImportRecord[]> {
  return (await selectImports(db).where('i.unit_id', unitId).orderBy('i.id')).map(toImport);
}

export async function findPerformanceImport(db: Db, unitId: number, id: number): Promise<PerformanceImportRecord | undefined> {
  const row = await selectImports(db).where({ 'i.unit_id': unitId, 'i.id': id }).first();
  return row ? toImport(row) : undefined;
}

export async function deletePerformanceImport(db: Db, id: number): Promise<boolean> {
  await db('performance_records').where({ import_id: id }).delete();
  return Number(await db('performance_imports').where({ id }).delete()) > 0;
}

/** A unit's PQ values in import order, then row order. */
export async function unitPerformance(db: Db, unitId: number): Promise<StoredPerformance[]> {
  const rows: { import_id: number; period: string; measure: string; value: number | string }[] = await db('performance_records')
    .where({ unit_id: unitId })
    .orderBy('id')
    .select('import_id', 'period', 'measure', 'value');
  return rows.map((r) => ({ importId: Number(r.import_id), period: r.period, measure: r.measure, value: Number(r.value) }));
}
