import nodemailer from 'nodemailer';
import type { SmtpConfig } from './config.js';

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
