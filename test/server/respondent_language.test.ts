import { describe, expect, it } from 'vitest';
import { respondentLocale } from '../../server/handlers/pages.js';
import { invitationLetter, reminderLetter } from '../../server/mail.js';
import { negotiateLocale } from '../../server/respondent/negotiate_locale.js';
import { formatMoment } from '../../server/respondent/texts.js';

describe('the respondent\'s language', () => {
  it('follows Accept-Language by quality among the offered locales, matching primary subtags', () => {
    expect(negotiateLocale('de-DE,de;q=0.9,en;q=0.8', ['en', 'de'])).toBe('de');
    expect(negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7', ['en', 'de'])).toBe('en');
    expect(negotiateLocale('en;q=0.5, de-AT;q=0.6', ['en', 'de'])).toBe('de');
    expect(negotiateLocale('de;q=0, en', ['de'])).toBeUndefined();
    expect(negotiateLocale('*', ['en', 'de'])).toBeUndefined();
    expect(negotiateLocale(undefined, ['en'])).toBeUndefined();
  });

  it('takes the page switch, then the language answered in before, then the browser, then the wave\'s default', () => {
    expect(respondentLocale(['en', 'de'], { lang: 'de', acceptLanguage: 'en' }, 'en')).toBe('de');
    expect(respondentLocale(['en', 'de'], { lang: 'fr', acceptLanguage: 'en' }, 'de')).toBe('de');
    expect(respondentLocale(['en', 'de'], { acceptLanguage: 'de-DE' })).toBe('de');
    expect(respondentLocale(['de', 'en'], { acceptLanguage: 'fr-FR' })).toBe('de');
  });

  it('writes times in the organisation\'s time zone and the reader\'s language', () => {
    expect(formatMoment('2026-12-01T16:00:00.000Z', 'de', 'Europe/Berlin')).toBe('1. Dezember 2026 um 17:00 MEZ');
    expect(formatMoment('2026-12-01T16:00:00.000Z', 'en', 'UTC')).toBe('December 1, 2026 at 04:00 PM UTC');
  });

  it('writes the invitation and the reminder in each of the wave\'s languages, with the link once and never the wave\'s name', () => {
    const context = { title: { en: 'SEI Coherence Index', de: 'SEI-Kohärenzindex' }, locales: ['de', 'en'], closesAt: '2026-12-01T16:00:00.000Z', minGroupSize: 5, timeZone: 'Europe/Berlin' };
    const url = 'https://survey.example/s/abc';
    const invitation = invitationLetter(context, url);
    expect(invitation.subject).toBe('Umfrage: SEI-Kohärenzindex');
    expect(invitation.text).toContain('Sie sind eingeladen, an der Umfrage „SEI-Kohärenzindex“ teilzunehmen.');
    expect(invitation.text).toContain('You are invited to answer the survey "SEI Coherence Index".');
    expect(invitation.text).toContain('Die Umfrage schließt am 1. Dezember 2026 um 17:00 MEZ.');
    expect(invitation.text.split(url)).toHaveLength(2);
    const reminder = reminderLetter({ ...context, locales: ['en'] }, undefined);
    expect(reminder.subject).toBe('Reminder: SEI Coherence Index');
    expect(reminder.text).toContain('Please use the personal link in your invitation e-mail');
    expect(reminder.text).not.toContain('Sie');
  });
});
