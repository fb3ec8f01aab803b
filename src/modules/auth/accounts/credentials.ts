import type { FastifyInstance } from 'fastify';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { accountDisabled, invalidCredentials, loginThrottled } from '../errors.ts';
import type { UserRow } from './account-repository.ts';
import * as repo from './account-repository.ts';
import { loginThrottleKeys } from './login-throttle.ts';
import { verifyPassword } from './passwords.ts';

/**
 * Runs a password check under log-in throttling: the attempt is counted per login and per client
 * IP before `check` runs (429 while locked); a correct password resets the account's counter and
 * gives the IP its attempt back. Log-in and the current-password check of an account change share
 * it, on the same account key, so neither can be used to get around the other's limits.
 */
export async function throttledPasswordCheck(
  app: FastifyInstance,
  login: string,
  ip: string | undefined,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const keys = loginThrottleKeys(app.config.auth.loginThrottle, login, ip);
  const waitMs = await app.auth.throttle.attempt(keys.ip ? [keys.account, keys.ip] : [keys.account]);
  if (waitMs > 0) throw loginThrottled(waitMs);
  if (!(await check())) return false;
  await app.auth.throttle.reset([keys.account.key]);
  if (keys.ip) await app.auth.throttle.refund([keys.ip.key]);
  return true;
}

/**
 * Checks a log-in. Every failure (no such account, wrong password, password-less account) gives
 * the same error after the same work, so the answer never tells whether an account exists.
 * Attempts are throttled per login and per client IP (`client`) before any password is checked;
 * the limits count the login as typed, so they behave the same for accounts that do not exist.
 */
export async function verifyCredentials(
  app: FastifyInstance,
  login: string,
  password: string,
  client?: ClientInfo,
): Promise<UserRow> {
  let user: UserRow | undefined;
  const ok = await throttledPasswordCheck(app, login, client?.ip, async () => {
    user = await repo.findUserByLogin(app.db, login.trim());
    return (await verifyPassword(user?.password_hash ?? null, password)) && user !== undefined;
  });
  if (!user || !ok) {
    const reason = user ? 'wrong_password' : 'unknown_login';
    await recordAuditEvent(app.db, { type: 'login_failed', userId: user?.id ?? null, client, details: { reason } });
    throw invalidCredentials();
  }
  if (user.disabled_at) {
    await recordAuditEvent(app.db, { type: 'login_failed', userId: user.id, client, details: { reason: 'disabled' } });
    throw accountDisabled();
  }
  await recordAuditEvent(app.db, { type: 'login_succeeded', userId: user.id, client, details: { method: 'password' } });
  return user;
}
