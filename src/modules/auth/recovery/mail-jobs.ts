import { defineJob } from '../../../core/jobs/index.ts';
import * as repo from '../accounts/account-repository.ts';
import { issueOneTimeToken } from '../tokens/one-time-tokens.ts';
import { emailChangedMail, passwordChangedMail, passwordResetMail, verificationMail } from './mail-templates.ts';

export const VERIFY_EMAIL_TTL_MS = 24 * 3_600_000;
export const PASSWORD_RESET_TTL_MS = 30 * 60_000;
export const REVERT_EMAIL_CHANGE_TTL_MS = 7 * 24 * 3_600_000;

// Mail is retried for about an hour and a half (5 s doubling, at most 30 min apart) before the job
// is failed and shows up in GET /api/admin/jobs?state=failed.
const MAIL_RETRIES = { retryLimit: 8, retryDelaySeconds: 5, retryDelayMaxSeconds: 1800, timeoutSeconds: 60 };

/**
 * Mails a verification link to the address the user had when it was asked for. The payload holds
 * ids, never the token: the token is issued when the mail is sent (a retry issues a fresh one and
 * voids the last), so the job table never holds a live credential. The token travels in the URL
 * fragment (`#token=`), which browsers never send to a server or in a Referer, and the frontend
 * page POSTs it: a mail scanner that fetches links cannot verify an address by accident.
 */
export const verificationMailJob = defineJob<{ userId: string; email: string }>(
  'auth.verification-mail',
  async ({ userId, email }, { app }) => {
    const user = await repo.findUserById(app.db, userId);
    // Changed or verified since: this mail would be stale (a newer one is on its way, if needed).
    if (!user || user.email !== email || user.email_verified_at) return;
    const token = await issueOneTimeToken(app.db, {
      userId: user.id,
      purpose: 'verify_email',
      email: user.email,
      ttlMs: VERIFY_EMAIL_TTL_MS,
      supersede: true,
    });
    await app.mailer.send(verificationMail(user.email, `${app.config.appUrl}/verify-email#token=${token}`));
  },
  MAIL_RETRIES,
);

/**
 * A password-reset link, if `email` names a live account. The lookup happens here, not in the
 * request: the request does the same work (one insert) whether or not the account exists.
 */
export const passwordResetMailJob = defineJob<{ email: string; ip: string }>(
  'auth.password-reset-mail',
  async ({ email, ip }, { app }) => {
    const user = await repo.findUserByLogin(app.db, email.trim());
    if (!user || user.disabled_at) return;
    const token = await issueOneTimeToken(app.db, {
      userId: user.id,
      purpose: 'password_reset',
      email: user.email,
      ttlMs: PASSWORD_RESET_TTL_MS,
      supersede: true,
      details: { ip },
    });
    await app.mailer.send(passwordResetMail(user.email, `${app.config.appUrl}/reset-password#token=${token}`));
  },
  MAIL_RETRIES,
);

/** "Your password was changed", to the address the account had before the change. */
export const passwordChangedMailJob = defineJob<{ email: string; changedAt: string }>(
  'auth.password-changed-mail',
  async ({ email, changedAt }, { app }) => {
    await app.mailer.send(passwordChangedMail(email, new Date(changedAt)));
  },
  MAIL_RETRIES,
);

/**
 * An email change is the step that turns a stolen session into a lasting takeover (the new address
 * receives every password reset), and the RealWorld API makes it without the current password. So
 * the old address is told, with a single-use link that undoes it (`POST /email-change/revert`), the
 * way account providers do. Older links stay valid (`supersede: false`): a second change must not
 * cancel the link the real owner received for the first. The token is issued when the mail is sent,
 * never kept in the job's payload; a retry issues another (each undoes the same change).
 */
export const emailChangedMailJob = defineJob<{ userId: string; from: string; to: string }>(
  'auth.email-changed-mail',
  async ({ userId, from, to }, { app }) => {
    const token = await issueOneTimeToken(app.db, {
      userId,
      purpose: 'revert_email_change',
      email: from,
      ttlMs: REVERT_EMAIL_CHANGE_TTL_MS,
      supersede: false,
      details: { to },
    });
    await app.mailer.send(emailChangedMail(from, to, `${app.config.appUrl}/revert-email-change#token=${token}`));
  },
  MAIL_RETRIES,
);
