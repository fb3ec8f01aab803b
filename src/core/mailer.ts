import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** A link the message carries; logged (in development only) so a developer can follow it. */
  link?: string;
}

export interface SentMail {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | undefined;
  sentAt: Date;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /**
   * Messages "sent" without an SMTP server (development, tests), newest last, at most
   * `OUTBOX_SIZE` of them. Always empty when SMTP_URL is set.
   */
  readonly outbox: SentMail[];
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
  }
}

const OUTBOX_SIZE = 200;

/**
 * Outgoing mail through nodemailer: an SMTP server when `SMTP_URL` is set, otherwise nodemailer's
 * JSON transport (the message is fully composed, addresses checked, then kept in memory), so
 * development and tests exercise the same code path and can read what would have been sent.
 */
export const mailerPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const smtp = config.mail.smtpUrl;
    const transport: Transporter = smtp
      ? nodemailer.createTransport({
          url: smtp,
          // Fail in seconds, not nodemailer's minutes: a stuck server must not pile up work.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : nodemailer.createTransport({ jsonTransport: true });
    if (!smtp && config.env === 'production') {
      app.log.warn('SMTP_URL is not set: verification and password-reset mail is kept in memory, never delivered');
    }
    app.addHook('onClose', async () => transport.close());

    const outbox: SentMail[] = [];
    app.decorate('mailer', {
      outbox,
      async send(message: MailMessage) {
        const info = await transport.sendMail({
          from: config.mail.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        });
        if (smtp) {
          app.log.info({ messageId: info.messageId, subject: message.subject }, 'mail sent');
          return;
        }
        outbox.push({
          messageId: info.messageId,
          from: config.mail.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          sentAt: new Date(),
        });
        if (outbox.length > OUTBOX_SIZE) outbox.splice(0, outbox.length - OUTBOX_SIZE);
        // The link carries a live token: only a developer's own console may see it.
        const log = {
          to: message.to,
          subject: message.subject,
          ...(config.env === 'development' ? { link: message.link } : {}),
        };
        app.log.info(log, 'mail kept in the development outbox (no SMTP_URL)');
      },
    });
  },
  { name: 'mailer' },
);
