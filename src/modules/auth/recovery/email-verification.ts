import type { FastifyInstance } from 'fastify';
import type { UserRow } from '../accounts/account-repository.ts';
import * as repo from '../accounts/account-repository.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { emailAlreadyVerified, invalidLink, userNotFound } from '../errors.ts';
import * as oneTimeTokens from '../tokens/one-time-token-repository.ts';
import { issueOneTimeToken } from '../tokens/one-time-tokens.ts';
import { digestToken } from '../tokens/opaque-tokens.ts';
import { verificationMail } from './mail-templates.ts';

export const VERIFY_EMAIL_TTL_MS = 24 * 3_600_000;

/**
 * Mails a verification link to the user's current address. The token travels in the URL
 * fragment (`#token=`), which browsers never send to a server or in a Referer, and the frontend
 * page POSTs it: a mail scanner that fetches links cannot verify an address by accident.
 */
export async function sendVerificationEmail(app: FastifyInstance, user: Pick<UserRow, 'id' | 'email'>) {
  const token = await issueOneTimeToken(app.db, {
    userId: user.id,
    purpose: 'verify_email',
    email: user.email,
    ttlMs: VERIFY_EMAIL_TTL_MS,
    supersede: true,
  });
  await app.mailer.send(verificationMail(user.email, `${app.config.appUrl}/verify-email#token=${token}`));
}

/** Sends the verification mail after the current request (registration, email change). */
export function queueVerificationEmail(app: FastifyInstance, user: Pick<UserRow, 'id' | 'email'>): void {
  app.background.run('verification-email', () => sendVerificationEmail(app, user));
}

/** `POST /verify-email/request`: a fresh link for the signed-in user, unless already verified. */
export async function requestVerificationEmail(app: FastifyInstance, userId: string): Promise<void> {
  const user = await repo.findUserById(app.db, userId);
  if (!user) throw userNotFound();
  if (user.email_verified_at) throw emailAlreadyVerified();
  queueVerificationEmail(app, user);
}

/**
 * Uses a verification token. It only verifies the address it was mailed to: after an email change
 * the old link is void.
 */
export async function verifyEmail(app: FastifyInstance, token: string, client: ClientInfo): Promise<void> {
  await app.db.transaction().execute(async (trx) => {
    const used = await oneTimeTokens.consumeOneTimeToken(trx, 'verify_email', digestToken(token));
    if (!used) throw invalidLink();
    const user = await repo.findUserById(trx, used.user_id);
    if (!user || user.email.toLowerCase() !== used.email?.toLowerCase()) throw invalidLink();
    if (user.email_verified_at) return;
    await repo.updateUser(trx, user.id, { email_verified_at: new Date() });
    await recordAuditEvent(trx, { type: 'email_verified', userId: user.id, client, details: { email: user.email } });
  });
}
