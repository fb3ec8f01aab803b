import { AppError, conflict, notFound, unauthorized } from '../../core/errors.ts';

/**
 * The auth module's stable error codes that more than one part of it raises, one constructor each,
 * so every code is spelled in one place. Codes raised by a single flow sit beside that flow
 * (`oauth/oauth-errors.ts` for the OAuth log-in).
 */

/** 403 `ACCOUNT_DISABLED`: an admin disabled the account; no way of logging in works. */
export const accountDisabled = () => new AppError(403, 'ACCOUNT_DISABLED', 'This account has been disabled');

export const userNotFound = () => notFound('USER_NOT_FOUND', 'User not found');
export const sessionNotFound = () => notFound('SESSION_NOT_FOUND', 'Session not found');

/** The same words for every failed log-in, so the answer never tells whether an account exists. */
export const invalidCredentials = () => unauthorized('Invalid login or password', 'INVALID_CREDENTIALS');

/** 429 with Retry-After; the same words whether or not the account exists. */
export const loginThrottled = (waitMs: number) =>
  new AppError(429, 'LOGIN_THROTTLED', 'Too many log-in attempts; wait before trying again', {
    headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
  });

export const emailTaken = () => conflict('EMAIL_TAKEN', 'This email is already registered');
export const usernameTaken = () => conflict('USERNAME_TAKEN', 'This username is already taken');

/** An emailed link (verification, password reset) that is unknown, expired or used. */
export const invalidLink = () =>
  new AppError(400, 'INVALID_TOKEN', 'This link is invalid, has expired or was already used');

export const crossSiteRefused = () =>
  new AppError(403, 'CSRF_ORIGIN_REFUSED', 'Cross-site request refused: the Origin is not trusted');
