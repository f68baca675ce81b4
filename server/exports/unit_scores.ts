import type { PublishedUnit, WavePublication } from '../../analysis/index.js';
import { CELLS, DIMENSIONS, DIMENSION_NAMES, LEVERS, LEVER_NAMES } from '../../instrument/model.js';
import type { Dataset, DatasetValue, DatasetVariable } from './dataset.js';
import { contentOrder } from './row_order.js';

/**
 * The stated precision of each kind of number in the unit-score export: scores on the answer
 * scale (cell, dimension and lever means, the SEI-CI) to 2 decimals, as the reports show them
 * (a hundredth of a scale point is below any difference the instrument can resolve);
 * standardised quantities (z, misalignment M, drift) to 3 decimals, since they are compared
 * against thresholds such as 0.5; agreement rwg(j) to 2 decimals, as its .70 convention is
 * stated; counts as whole numbers.
 */
export const PRECISION = { scaleScore: 2, standardised: 3, agreement: 2 } as const;

/**
 * The published units of a wave as one table: what the unit reports show, and nothing they do
 * not (read from the stored publication; suppressed units are left out, roll-ups marked). One
 * row per published unit or roll-up, in content order.
 */
export function unitScoreDataset(waveId: number, publication: WavePublication): Dataset {
  const dims = DIMENSIONS.map((d) => DIMENSION_NAMES[d]);
  const levers = LEVERS.map((l) => LEVER_NAMES[l]);
  const decimal = (name: string, label: string, decimals: number): DatasetVariable => ({ name, label, kind: 'decimal', decimals, measure: 'scale', valueLabels: [], missingCodes: [], labelSet: null });
  const plain = (name: string, label: string, kind: 'integer' | 'text'): DatasetVariable => ({ name, label, kind, decimals: 0, measure: kind === 'text' ? 'nominal' : 'scale', valueLabels: [], missingCodes: [], labelSet: null });
  const variables: DatasetVariable[] = [
    plain('wave', 'Wave id', 'integer'),
    plain('unit', 'Unit key', 'text'),
    { ...plain('rollup', 'Roll-up of the units below it (1) or a unit of its own members (0)', 'integer'), measure: 'nominal', valueLabels: [{ value: 0, label: 'unit' }, { value: 1, label: 'roll-up' }], labelSet: 'rollup' },
    plain('n', 'Respondents', 'integer'),
    ...CELLS.map((c) => decimal(c, `Cell score ${c.replace('x', '×')} (mean of item means)`, PRECISION.scaleScore)),
    ...dims.map((d) => decimal(d, `Dimension score: ${d}`, PRECISION.scaleScore)),
    ...levers.map((l) => decimal(l, `Lever score: ${l}`, PRECISION.scaleScore)),
    decimal('sei_ci', 'SEI Coherence Index (mean of the nine cells)', PRECISION.scaleScore),
    ...dims.map((d) => decimal(`rwgj_${d}`, `Within-unit agreement rwg(j), ${d}`, PRECISION.agreement)),
    ...dims.map((d) => decimal(`z_${d}`, `Standardised ${d} score (z against the baseline wave's units)`, PRECISION.standardised)),
    decimal('misalignment', 'Misalignment M: SD of the three dimension z scores', PRECISION.standardised),
    plain('dominant', 'Dominant dimension (largest z)', 'text'),
    decimal('drift', "Drift: change in M since the unit's baseline wave", PRECISION.standardised),
  ];
  const units = publication.units.filter((u): u is PublishedUnit => !u.suppressed);
  const rows = units.map((u): DatasetValue[] => [
    waveId,
    u.unitKey,
    u.rollup ? 1 : 0,
    u.n,
    ...CELLS.map((c) => u.cells[c]),
    ...dims.map((d) => u.dimensions[d]),
    ...levers.map((l) => u.levers[l]),
    u.seiCi,
    ...dims.map((d) => u.rwgj?.[d] ?? null),
    ...dims.map((d) => u.z?.[d] ?? null),
    u.misalignment ?? null,
    u.dominant ?? null,
    u.drift ?? null,
  ]);
  return { name: `wave-${waveId}-unit-scores`, label: `seici wave ${waveId}: published unit scores`, variables, rows: contentOrder(rows) };
}
