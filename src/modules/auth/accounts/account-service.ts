import type { FastifyInstance } from 'fastify';
import { type AppError, unprocessable } from '../../../core/errors.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { emailTaken, userNotFound, usernameTaken } from '../errors.ts';
import { queueVerificationEmail } from '../recovery/email-verification.ts';
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
 * caller's contract says otherwise (`requireCurrentPassword: false`, for the RealWorld spec).
 */
export async function updateAccount(
  app: FastifyInstance,
  userId: string,
  changes: AccountChanges,
  options: { requireCurrentPassword?: boolean; client?: ClientInfo } = {},
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
  // The change, its audit events and the new address's verification mail commit together.
  const result = await app.db.transaction().execute(async (trx) => {
    const updated = await repo.updateUser(trx, userId, {
      ...(changes.email !== undefined ? { email: changes.email.trim() } : {}),
      ...(emailChanged ? { email_verified_at: null } : {}),
      ...(changes.username !== undefined ? { username: changes.username.trim() } : {}),
      ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
      ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
      ...(changes.image !== undefined ? { image: changes.image } : {}),
    });
    if (updated === undefined) throw userNotFound();
    if (typeof updated === 'string') throw takenError(updated);
    if (changes.password !== undefined) {
      await recordAuditEvent(trx, { type: 'password_changed', userId, client: options.client });
    }
    if (emailChanged) {
      await recordAuditEvent(trx, {
        type: 'email_changed',
        userId,
        client: options.client,
        details: { from: user.email, to: updated.email },
      });
      await queueVerificationEmail(app, trx, updated);
    }
    return updated;
  });
  return result;
}
