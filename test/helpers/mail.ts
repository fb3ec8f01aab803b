import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';

/** Mail to `to` in the app's outbox (after the mail jobs have run), newest last. */
export async function mailsTo(app: FastifyInstance, to: string) {
  await app.jobs.idle();
  return app.mailer.outbox.filter((m) => m.to === to);
}

/** The token of the newest mail to `to` whose subject matches, from its `#token=` link. */
export async function lastMailedToken(app: FastifyInstance, to: string, subject: RegExp): Promise<string> {
  const mail = (await mailsTo(app, to)).filter((m) => subject.test(m.subject)).at(-1);
  assert.ok(mail, `a mail matching ${subject} was sent to ${to}`);
  const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  assert.ok(token, 'the mail carries a token link');
  assert.ok(mail.html?.includes(token), 'the HTML part carries the same link');
  return token;
}
