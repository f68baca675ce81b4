/** The languages every instrument text is written in. English is SurveyJS's default locale. */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** A text in every locale of the instrument. */
export type Localized = Readonly<Record<Locale, string>>;

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
