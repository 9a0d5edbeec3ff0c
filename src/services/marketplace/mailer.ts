/**
 * Outgoing e-mail through the configured SMTP server (nodemailer). Without `smtpUrl` nothing is
 * sent and the caller is told so: notifications still reach the action center.
 */
import nodemailer from 'nodemailer';

export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  /** Sends the message; resolves with the accepted recipients, rejects when the server refuses. */
  send(message: MailMessage): Promise<{ readonly accepted: readonly string[] }>;
  readonly configured: boolean;
}

/** A mailer over `smtp://` or `smtps://`; a no-op reporting `configured: false` without a URL. */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (smtpUrl === undefined) {
    return { configured: false, send: () => Promise.reject(new Error('no SMTP server is configured (LANTERN_SMTP_URL)')) };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    configured: true,
    async send(message) {
      const info = await transport.sendMail({ from, to: [...message.to], subject: message.subject, text: message.text });
      return { accepted: info.accepted.map((a) => (typeof a === 'string' ? a : a.address)) };
    },
  };
}
