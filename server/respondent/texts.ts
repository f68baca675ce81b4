import { LOCALES, type Locale } from '../../instrument/locale.js';

/**
 * Every sentence a respondent reads from seici itself (the questionnaire's own texts live in
 * instrument/, SurveyJS's in survey-core's i18n): the survey page's frame, the save and
 * closing notices of respondent.js, the message pages, and the invitation and reminder
 * e-mails, in each locale the instrument is written in. `{name}` marks a value filled in.
 * Respondents are never shown a wave's internal name: the questionnaire's title stands for it.
 */
export interface RespondentTexts {
  /** The survey page: the header, the language switch, the no-JavaScript notice. */
  readonly privacy: string;
  readonly language: string;
  readonly noscript: string;
  /** respondent.js: saving, failures, stopping, the skipped-page question, the rating buttons. */
  readonly client: {
    readonly saving: string;
    readonly saved: string;
    readonly retrying: string;
    readonly rejected: string;
    readonly closed: string;
    readonly used: string;
    readonly notOpen: string;
    readonly offline: string;
    readonly sending: string;
    readonly skippedTitle: string;
    readonly skippedText: string;
    readonly skippedContinue: string;
    readonly skippedStay: string;
    readonly notApplicableShort: string;
  };
  /** The refusal of a complete answer set that leaves a cell without a score (handlers/responses.ts). */
  readonly submit: {
    readonly incomplete: string;
    readonly cellMissing: string;
    readonly dimensions: Readonly<Record<'S' | 'R' | 'T', string>>;
    readonly levers: Readonly<Record<'A' | 'C' | 'V', string>>;
  };
  readonly messages: {
    readonly unknownTitle: string;
    readonly unknownText: string;
    readonly usedTitle: string;
    readonly usedText: string;
    readonly closedTitle: string;
    readonly closedText: string;
    readonly notOpenTitle: string;
    readonly notOpenText: string;
  };
  readonly mail: {
    readonly invitationSubject: string;
    readonly invitationText: string;
    readonly linkOnce: string;
    readonly closes: string;
    readonly anonymous: string;
    readonly reminderSubject: string;
    readonly reminderText: string;
    readonly linkResumes: string;
    readonly noLink: string;
    readonly finished: string;
    readonly averages: string;
  };
}

const EN: RespondentTexts = {
  privacy: 'Your answers are anonymous. They are reported only as averages of groups of at least {n} people, never individually.',
  language: 'Language',
  noscript: 'This survey needs JavaScript to show its questions and save your answers. Please turn JavaScript on, or open your link in another browser.',
  client: {
    saving: 'Saving…',
    saved: 'All your answers are saved.',
    retrying: 'Your latest answers are not saved yet: the connection failed. Trying again…',
    rejected: 'Your latest answers could not be saved: {reason}',
    closed: 'This survey has closed, so no more answers can be saved. Thank you for taking part.',
    used: 'This link has already been used for a complete set of answers; nothing more can be saved.',
    notOpen: 'This survey is not open yet; your answers cannot be saved until it opens.',
    offline: 'You are offline. Your answers are kept on this page and will be saved when the connection is back.',
    sending: 'Sending your answers…',
    skippedTitle: 'You skipped this page; continue?',
    skippedText: 'You have not answered any question on this page. If a statement does not apply to you, choose "{na}".',
    skippedContinue: 'Continue without answering',
    skippedStay: 'Answer this page',
    notApplicableShort: 'N/A',
  },
  submit: {
    incomplete: 'Please answer at least half of the statements in each part before submitting ("Not applicable / don\'t know" does not count); still missing: {missing}.',
    cellMissing: '{cell}: {answered} of {items} answered, at least {needed} needed',
    dimensions: { S: 'Structural', R: 'Relational', T: 'Translational' },
    levers: { A: 'Accountability', C: 'Communication', V: 'Visibility' },
  },
  messages: {
    unknownTitle: 'This link is not known',
    unknownText: 'We could not find a survey for this link. Please check that you copied the whole link from your invitation.',
    usedTitle: 'You have already answered',
    usedText: 'Thank you: your answers were saved. Each link can be used once, so there is nothing more to do.',
    closedTitle: 'This survey is closed',
    closedText: 'This survey closed on {time} and takes no more answers. Thank you for your interest.',
    notOpenTitle: 'This survey has not opened yet',
    notOpenText: 'This survey opens on {time}. Please come back then with the same link.',
  },
  mail: {
    invitationSubject: 'Survey: {title}',
    invitationText: 'You are invited to answer the survey "{title}".',
    linkOnce: 'Your personal link (use it only yourself; it works once):',
    closes: 'The survey closes on {time}.',
    anonymous: 'Your answers are anonymous: they are reported only as averages of groups of at least {n} people, never individually.',
    reminderSubject: 'Reminder: {title}',
    reminderText: 'This is a reminder of the survey "{title}", which closes on {time}.',
    linkResumes: 'Your personal link (use it only yourself; it resumes where you stopped):',
    noLink: 'Please use the personal link in your invitation e-mail; it resumes where you stopped.',
    finished: 'If you have finished since this reminder was sent, thank you, and please ignore it.',
    averages: 'Answers are reported only as averages of groups of at least {n} people.',
  },
};

const DE: RespondentTexts = {
  privacy: 'Ihre Antworten sind anonym. Sie werden nur als Mittelwerte von Gruppen mit mindestens {n} Personen berichtet, nie einzeln.',
  language: 'Sprache',
  noscript: 'Diese Umfrage braucht JavaScript, um ihre Fragen zu zeigen und Ihre Antworten zu speichern. Bitte schalten Sie JavaScript ein oder öffnen Sie Ihren Link in einem anderen Browser.',
  client: {
    saving: 'Wird gespeichert…',
    saved: 'Alle Ihre Antworten sind gespeichert.',
    retrying: 'Ihre letzten Antworten sind noch nicht gespeichert: Die Verbindung ist fehlgeschlagen. Neuer Versuch…',
    rejected: 'Ihre letzten Antworten konnten nicht gespeichert werden: {reason}',
    closed: 'Diese Umfrage ist geschlossen; weitere Antworten können nicht gespeichert werden. Danke für Ihre Teilnahme.',
    used: 'Mit diesem Link wurden bereits vollständige Antworten abgeschickt; es kann nichts mehr gespeichert werden.',
    notOpen: 'Diese Umfrage ist noch nicht geöffnet; Ihre Antworten können erst danach gespeichert werden.',
    offline: 'Sie sind offline. Ihre Antworten bleiben auf dieser Seite und werden gespeichert, sobald die Verbindung wieder besteht.',
    sending: 'Ihre Antworten werden gesendet…',
    skippedTitle: 'Sie haben diese Seite übersprungen; weiter?',
    skippedText: 'Sie haben auf dieser Seite keine Frage beantwortet. Wenn eine Aussage auf Sie nicht zutrifft, wählen Sie „{na}“.',
    skippedContinue: 'Ohne Antwort weiter',
    skippedStay: 'Diese Seite beantworten',
    notApplicableShort: 'k. A.',
  },
  submit: {
    incomplete: 'Bitte beantworten Sie vor dem Absenden in jedem Teil mindestens die Hälfte der Aussagen („Nicht relevant / weiß nicht“ zählt nicht); es fehlen noch: {missing}.',
    cellMissing: '{cell}: {answered} von {items} beantwortet, mindestens {needed} nötig',
    dimensions: { S: 'Strukturell', R: 'Relational', T: 'Translational' },
    levers: { A: 'Verantwortlichkeit', C: 'Kommunikation', V: 'Sichtbarkeit' },
  },
  messages: {
    unknownTitle: 'Dieser Link ist unbekannt',
    unknownText: 'Zu diesem Link gibt es keine Umfrage. Bitte prüfen Sie, ob Sie den ganzen Link aus Ihrer Einladung kopiert haben.',
    usedTitle: 'Sie haben bereits geantwortet',
    usedText: 'Danke: Ihre Antworten wurden gespeichert. Jeder Link gilt nur einmal, es ist also nichts mehr zu tun.',
    closedTitle: 'Diese Umfrage ist geschlossen',
    closedText: 'Diese Umfrage wurde am {time} geschlossen und nimmt keine Antworten mehr an. Danke für Ihr Interesse.',
    notOpenTitle: 'Diese Umfrage ist noch nicht geöffnet',
    notOpenText: 'Diese Umfrage öffnet am {time}. Bitte kommen Sie dann mit demselben Link wieder.',
  },
  mail: {
    invitationSubject: 'Umfrage: {title}',
    invitationText: 'Sie sind eingeladen, an der Umfrage „{title}“ teilzunehmen.',
    linkOnce: 'Ihr persönlicher Link (nur für Sie; er gilt einmal):',
    closes: 'Die Umfrage schließt am {time}.',
    anonymous: 'Ihre Antworten sind anonym: Sie werden nur als Mittelwerte von Gruppen mit mindestens {n} Personen berichtet, nie einzeln.',
    reminderSubject: 'Erinnerung: {title}',
    reminderText: 'Wir erinnern Sie an die Umfrage „{title}“, die am {time} schließt.',
    linkResumes: 'Ihr persönlicher Link (nur für Sie; er führt dorthin zurück, wo Sie aufgehört haben):',
    noLink: 'Bitte verwenden Sie den persönlichen Link aus Ihrer Einladung; er führt dorthin zurück, wo Sie aufgehört haben.',
    finished: 'Falls Sie inzwischen fertig sind: Danke, und bitte betrachten Sie diese Erinnerung als gegenstandslos.',
    averages: 'Antworten werden nur als Mittelwerte von Gruppen mit mindestens {n} Personen berichtet.',
  },
};

const TEXTS: Readonly<Record<Locale, RespondentTexts>> = { en: EN, de: DE };

/** The names of the languages in the language switch, each in its own language. */
export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', de: 'Deutsch' };

/** The texts of a locale; a locale seici has no texts for falls back to English. */
export function respondentTexts(locale: string): RespondentTexts {
  return (LOCALES as readonly string[]).includes(locale) ? TEXTS[locale as Locale] : EN;
}

/** Fills `{name}` placeholders; a placeholder without a value is left as it is. */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * A moment as a respondent reads it: date, time and zone abbreviation in the organisation's
 * time zone, in the respondent's language ("29 November 2026 at 20:10 CET",
 * "29. November 2026 um 20:10 MEZ").
 */
export function formatMoment(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}
