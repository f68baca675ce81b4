import type { Cell } from './model.js';
import type { Locale } from './locale.js';
import type { ScaleId } from './item.js';
import { InputError } from '../analysis/errors.js';
import type { InstrumentVersion } from './version.js';

/** A version's items in one locale: the body of `GET /api/v1/instrument` and `seici instrument show --json`. */
export interface InstrumentDescription {
  readonly version: string;
  readonly locale: Locale;
  readonly published: string;
  readonly basedOn: string | null;
  readonly scaleMin: number;
  readonly scaleMax: number;
  readonly items: readonly {
    readonly id: string;
    readonly scale: ScaleId;
    readonly cell: Cell | null;
    readonly reverse: boolean;
    readonly scaleMin: number;
    readonly scaleMax: number;
    readonly text: string;
  }[];
}

/** Describes a version's items in one locale (shared/CONTRACT.md's instrument answer, plus scale and range). */
export function describeInstrument(version: InstrumentVersion, locale: Locale = 'en'): InstrumentDescription {
  if (!version.locales.includes(locale)) {
    throw new InputError('locale', `Instrument version ${version.id} has no locale "${locale}"; it has ${version.locales.join(', ')}.`);
  }
  return {
    version: version.id,
    locale,
    published: version.published,
    basedOn: version.basedOn,
    scaleMin: version.scaleMin,
    scaleMax: version.scaleMax,
    items: version.items.map((i) => ({
      id: i.id,
      scale: i.scale,
      cell: i.cell,
      reverse: i.reverse,
      scaleMin: i.scaleMin,
      scaleMax: i.scaleMax,
      text: i.text[locale],
    })),
  };
}
