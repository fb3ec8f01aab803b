import type { FastifyInstance } from 'fastify';
import { type AppError, unprocessable } from '../../../core/errors.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { emailTaken, userNotFound, usernameTaken } from '../errors.ts';
import { queueVerificationEmail } from '../recovery/email-verification.ts';
import { emailChangedMailJob, passwordChangedMailJob } from '../recovery/mail-jobs.ts';
import { revokeUserSessions } from '../sessions/session-repository.ts';
import { sessionsEnded } from '../sessions/sessions-ended.ts';
import type { UserRow } from './account-repository.ts';
import * as repo from './account-repository.ts';
import { throttledPasswordCheck } from './credentials.ts';
import { hashPassword, isCommonPassword, verifyPassword } from './passwords.ts';

/** Rules for accounts: registration, reading and changing one's own account. */

function takenError(field: repo.TakenField): AppError {
  return field === 'email' ? emailTaken() : usernameTaken();
}

export function checkNewPassword(app: FastifyInstance, password: string, field = 'body.password'): void {
  if (app.config.auth.passwordScreen && isCommonPassword(password)) {
    throw unprocessable([{ field, message: 'is too common; choose a less guessable password' }]);
  }
}

export async function registerAccount(
  app: FastifyInstance,
  input: { email: string; username: string; password: string },
): Promise<UserRow> {
  checkNewPassword(app, input.password);
  const passwordHash = await hashPassword(input.password);
  // The account and its verification mail commit together.
  return app.db.transaction().execute(async (trx) => {
    const result = await repo.insertUser(trx, {
      email: input.email.trim(),
      username: input.username.trim(),
      passwordHash,
    });
    if (typeof result === 'string') throw takenError(result);
    await queueVerificationEmail(app, trx, result);
    return result;
  });
}

export async function getAccount(app: FastifyInstance, userId: string): Promise<UserRow> {
  const user = await repo.findUserById(app.db, userId);
  if (!user) throw userNotFound();
  return user;
}

export interface AccountChanges {
  email?: string;
  username?: string;
  password?: string;
  bio?: string | null;
  image?: string | null;
  currentPassword?: string;
}

/**
 * Updates a user's account. Changing the email or password needs the current password, unless the
 * caller's contract says otherwise (`requireCurrentPassword: false`, for the RealWorld spec). Either
 * way a new password ends every other session and is announced by mail, and a new email address
 * starts unverified while the old one is mailed a link that undoes the change.
 */
export async function updateAccount(
  app: FastifyInstance,
  userId: string,
  changes: AccountChanges,
  options: {
    requireCurrentPassword?: boolean;
    client?: ClientInfo;
    /** The session the request came with: a password change ends every session but this one. */
    sessionId?: string;
  } = {},
): Promise<UserRow> {
  const user = await getAccount(app, userId);
  const sensitive =
    changes.password !== undefined || (changes.email !== undefined && changes.email.trim() !== user.email);
  if (sensitive && (options.requireCurrentPassword ?? true)) {
    // Guessing the current password (with a stolen session) is throttled like log-in, on the same
    // account key, so it cannot be used to get around the log-in limits.
    const { currentPassword } = changes;
    const ok = await throttledPasswordCheck(
      app,
      user.email,
      options.client?.ip,
      async () => currentPassword !== undefined && (await verifyPassword(user.password_hash, currentPassword)),
    );
    if (!ok) throw unprocessable([{ field: 'body.currentPassword', message: 'is incorrect' }]);
  }
  if (changes.password !== undefined) checkNewPassword(app, changes.password);
  const emailChanged = changes.email !== undefined && changes.email.trim().toLowerCase() !== user.email.toLowerCase();
  const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
  const { result, endedSessions } = await inTransaction(app.db, async (trx) => {
    const result = await repo.updateUser(trx, userId, {
      ...(changes.email !== undefined ? { email: changes.email.trim() } : {}),
      ...(emailChanged ? { email_verified_at: null } : {}),
      ...(changes.username !== undefined ? { username: changes.username.trim() } : {}),
      ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
      ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
      ...(changes.image !== undefined ? { image: changes.image } : {}),
    });
    if (result === undefined) throw userNotFound();
    if (typeof result === 'string') throw takenError(result);
    let endedSessions: string[] = [];
    if (passwordHash !== undefined) {
      // Whoever knew the old password, or holds a token of another session, is out; the request's
      // own session goes on. Every access token names its session and the guard checks that session
      // on every request, so this ends the blog's day-long tokens too.
      endedSessions = await revokeUserSessions(trx, userId, 'password_changed', options.sessionId);
      await recordAuditEvent(trx, { type: 'password_changed', userId, client: options.client });
    }
    if (emailChanged) {
      await recordAuditEvent(trx, {
        type: 'email_changed',
        userId,
        client: options.client,
        details: { from: user.email, to: result.email },
      });
    }
    // The change, its audit events and its mails commit together. Notices go to the address the
    // account had before this request: if the request was an intruder's, the new address is theirs.
    if (passwordHash !== undefined) {
      await app.jobs.enqueue(trx, passwordChangedMailJob, { email: user.email, changedAt: new Date().toISOString() });
    }
    if (emailChanged) {
      await queueVerificationEmail(app, trx, result);
      await app.jobs.enqueue(trx, emailChangedMailJob, { userId, from: user.email, to: result.email });
    }
    return { result, endedSessions };
  });
  sessionsEnded(app, userId, endedSessions);
  return result;
}
