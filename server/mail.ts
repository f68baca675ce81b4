import nodemailer from 'nodemailer';
import type { SmtpConfig } from './config.js';
import { fill, formatMoment, respondentTexts, type RespondentTexts } from './respondent/texts.js';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mail; the only part of the server that talks SMTP. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer over SMTP with nodemailer, or undefined when no SMTP server is configured. */
export function createMailer(smtp: SmtpConfig | undefined): Mailer | undefined {
  if (!smtp) return undefined;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    // Local and test servers often offer STARTTLS with a self-signed certificate.
    tls: { rejectUnauthorized: false },
  });
  return {
    async send(message) {
      await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transport.close();
    },
  };
}

/** What a respondent's letter needs to know about its wave; never the wave's internal name. */
export interface LetterContext {
  /** The questionnaire's title in each locale (the instrument version's `title`). */
  readonly title: Readonly<Record<string, string>>;
  /** The wave's locales, its default first: the letter is written in each, the default first. */
  readonly locales: readonly string[];
  readonly closesAt: string;
  readonly minGroupSize: number;
  /** The organisation's time zone, in which the closing time is written. */
  readonly timeZone: string;
}

/**
 * The invitation e-mail: the subject in the wave's default language; each paragraph of the
 * text in each of the wave's languages (default first) and the recipient's link once, with
 * the closing time in the organisation's time zone and the minimum group size.
 */
export function invitationLetter(c: LetterContext, url: string): { subject: string; text: string } {
  const each = (line: (t: RespondentTexts['mail'], locale: string) => string) => c.locales.map((l) => line(respondentTexts(l).mail, l));
  const title = (l: string) => c.title[l] ?? c.title.en;
  return {
    subject: fill(respondentTexts(c.locales[0]).mail.invitationSubject, { title: title(c.locales[0]) }),
    text: [
      ...each((t, l) => fill(t.invitationText, { title: title(l) })),
      '',
      ...each((t) => t.linkOnce),
      url,
      '',
      ...each((t, l) => `${fill(t.closes, { time: formatMoment(c.closesAt, l, c.timeZone) })} ${fill(t.anonymous, { n: c.minGroupSize })}`),
    ].join('\n'),
  };
}

/** The reminder e-mail, written as the invitation is; with the recipient's own link when it could be opened. */
export function reminderLetter(c: LetterContext, url: string | undefined): { subject: string; text: string } {
  const each = (line: (t: RespondentTexts['mail'], locale: string) => string) => c.locales.map((l) => line(respondentTexts(l).mail, l));
  const title = (l: string) => c.title[l] ?? c.title.en;
  return {
    subject: fill(respondentTexts(c.locales[0]).mail.reminderSubject, { title: title(c.locales[0]) }),
    text: [
      ...each((t, l) => fill(t.reminderText, { title: title(l), time: formatMoment(c.closesAt, l, c.timeZone) })),
      '',
      ...(url ? [...each((t) => t.linkResumes), url] : each((t) => t.noLink)),
      '',
      ...each((t) => t.finished),
      '',
      ...each((t) => fill(t.averages, { n: c.minGroupSize })),
    ].join('\n'),
  };
}
