import { InputError } from '../analysis/errors.js';
import { INSTRUMENT_V1 } from './v1.js';
import type { InstrumentVersion } from './version.js';

/** Every published instrument version shipped with seici, oldest first. */
export const INSTRUMENT_VERSIONS: readonly InstrumentVersion[] = Object.freeze([INSTRUMENT_V1]);

/** The newest published version. */
export const CURRENT_VERSION: InstrumentVersion = INSTRUMENT_VERSIONS[INSTRUMENT_VERSIONS.length - 1];

/** The published version with `id`, or an InputError listing the known ones. */
export function getInstrumentVersion(id: string): InstrumentVersion {
  const v = INSTRUMENT_VERSIONS.find((x) => x.id === id);
  if (!v) {
    throw new InputError('version', `Unknown instrument version "${id}"; known versions: ${INSTRUMENT_VERSIONS.map((x) => x.id).join(', ')}.`);
  }
  return v;
}
