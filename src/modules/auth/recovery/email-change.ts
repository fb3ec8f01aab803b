import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../../db/transactions.ts';
import * as repo from '../accounts/account-repository.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { emailTaken, invalidLink } from '../errors.ts';
import { endAllSessions } from '../sessions/session-service.ts';
import * as oneTimeTokens from '../tokens/one-time-token-repository.ts';
import { digestToken } from '../tokens/opaque-tokens.ts';

/**
 * `POST /email-change/revert`, the link the old address is mailed after an email change
 * (`emailChangedMailJob`): puts back the address the link was mailed to (verified: the link
 * proves it), voids the revert links issued after this one (which went to addresses that came
 * later, possibly an intruder's), and ends every session of the account.
 */
export async function revertEmailChange(app: FastifyInstance, token: string, client: ClientInfo): Promise<void> {
  const tokenHash = digestToken(token);
  const userId = await inTransaction(app.db, async (trx) => {
    const used = await oneTimeTokens.consumeOneTimeToken(trx, 'revert_email_change', tokenHash);
    if (!used?.email) throw invalidLink();
    const user = await repo.findUserById(trx, used.user_id);
    if (!user) throw invalidLink();
    const restored = await repo.updateUser(trx, user.id, { email: used.email, email_verified_at: new Date() });
    if (restored === undefined) throw invalidLink();
    // Someone registered the old address in the meantime; the link stays unused (rolled back).
    if (typeof restored === 'string') throw emailTaken();
    await oneTimeTokens.deleteLaterOneTimeTokens(trx, 'revert_email_change', tokenHash);
    await recordAuditEvent(trx, {
      type: 'email_change_reverted',
      userId: user.id,
      client,
      details: { from: user.email, to: used.email },
    });
    return user.id;
  });
  await endAllSessions(app, userId, 'email_change_reverted');
}
