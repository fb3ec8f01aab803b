import type { FastifyInstance } from 'fastify';
import * as repo from '../accounts/account-repository.ts';
import { checkNewPassword } from '../accounts/account-service.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { invalidLink } from '../errors.ts';
import { endAllSessions } from '../sessions/session-service.ts';
import * as oneTimeTokens from '../tokens/one-time-token-repository.ts';
import { digestToken } from '../tokens/opaque-tokens.ts';
import { passwordResetMailJob } from './mail-jobs.ts';

/**
 * `POST /password-reset/request`. The route answers 202 after queueing a job
 * (recovery/mail-jobs.ts) that looks the address up and mails a link if it names an account, so
 * the response is the same, after the same work, whether or not it does; only an account's owner
 * learns anything (by mail).
 */
export async function queuePasswordReset(app: FastifyInstance, email: string, client: ClientInfo): Promise<void> {
  await app.jobs.enqueue(app.db, passwordResetMailJob, { email, ip: client.ip });
}

/**
 * `POST /password-reset`: sets a new password with a mailed token, proves the address (so marks
 * it verified), and ends every session of the account: whoever knew the old password is out.
 */
export async function resetPassword(
  app: FastifyInstance,
  input: { token: string; password: string },
  client: ClientInfo,
): Promise<void> {
  const tokenHash = digestToken(input.token);
  // Cheap checks first, so a bad token or a refused password neither costs a hash nor burns the link.
  if (!(await oneTimeTokens.findLiveOneTimeToken(app.db, 'password_reset', tokenHash))) throw invalidLink();
  checkNewPassword(app, input.password);
  const passwordHash = await hashPassword(input.password);

  const userId = await app.db.transaction().execute(async (trx) => {
    const used = await oneTimeTokens.consumeOneTimeToken(trx, 'password_reset', tokenHash);
    if (!used) throw invalidLink();
    const user = await repo.findUserById(trx, used.user_id);
    if (!user || user.disabled_at || user.email.toLowerCase() !== used.email?.toLowerCase()) throw invalidLink();
    await repo.updateUser(trx, user.id, {
      password_hash: passwordHash,
      ...(user.email_verified_at ? {} : { email_verified_at: new Date() }),
    });
    await recordAuditEvent(trx, { type: 'password_reset', userId: user.id, client });
    return user.id;
  });
  await endAllSessions(app, userId, 'password_reset');
}
