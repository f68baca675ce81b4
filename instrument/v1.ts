import { SEI_ITEMS_V1 } from './bank/sei_v1.js';
import { SCALES_V1, SUPPLEMENTARY_ITEMS_V1 } from './bank/supplementary_v1.js';
import { LOCALES } from './locale.js';
import { AGREEMENT_7, RESPONSE_FORMATS } from './response_format.js';
import { publishVersion, type InstrumentVersion } from './version.js';

/** SEI-CI version 1: 72 SEI items (8 per cell, item 8 reverse-keyed) and 24 supplementary items. */
export const INSTRUMENT_V1: InstrumentVersion = publishVersion({
  id: 'v1',
  published: '2026-11-24',
  title: { en: 'SEI Coherence Index', de: 'SEI-Kohärenzindex' },
  locales: LOCALES,
  scaleMin: AGREEMENT_7.min,
  scaleMax: AGREEMENT_7.max,
  responseFormats: Object.fromEntries(RESPONSE_FORMATS.map((f) => [f.id, f])),
  scales: SCALES_V1,
  items: [...SEI_ITEMS_V1, ...SUPPLEMENTARY_ITEMS_V1],
  basedOn: null,
  changes: [],
  carriedOver: [],
  retiredIds: [],
});
