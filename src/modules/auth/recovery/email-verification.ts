import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/database.ts';
import type { UserRow } from '../accounts/account-repository.ts';
import * as repo from '../accounts/account-repository.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { emailAlreadyVerified, invalidLink, userNotFound } from '../errors.ts';
import * as oneTimeTokens from '../tokens/one-time-token-repository.ts';
import { digestToken } from '../tokens/opaque-tokens.ts';
import { verificationMailJob } from './mail-jobs.ts';

/**
 * Queues the verification mail (recovery/mail-jobs.ts) in `db`: pass the transaction that changes
 * the address, so the mail is sent exactly when that change commits.
 */
export async function queueVerificationEmail(app: FastifyInstance, db: Db, user: Pick<UserRow, 'id' | 'email'>) {
  await app.jobs.enqueue(db, verificationMailJob, { userId: user.id, email: user.email });
}

/** `POST /verify-email/request`: a fresh link for the signed-in user, unless already verified. */
export async function requestVerificationEmail(app: FastifyInstance, userId: string): Promise<void> {
  const user = await repo.findUserById(app.db, userId);
  if (!user) throw userNotFound();
  if (user.email_verified_at) throw emailAlreadyVerified();
  await queueVerificationEmail(app, app.db, user);
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
