import { AppError, conflict, forbidden, notFound, unauthorized } from '../../core/errors.ts';

/**
 * The auth module's stable error codes that more than one part of it raises, one constructor each,
 * so every code is spelled in one place. Codes raised by a single flow sit beside that flow
 * (the OAuth log-in's are grouped at the end).
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

export const emailAlreadyVerified = () => conflict('EMAIL_ALREADY_VERIFIED', 'This email address is already verified');
export const selfChangeRefused = () =>
  forbidden('You cannot change your own role or disable your own account', 'SELF_CHANGE_REFUSED');

export const refreshTokenReused = () =>
  unauthorized('Refresh token was already used; the session has been ended', 'REFRESH_TOKEN_REUSED');
export const invalidRefreshToken = () => unauthorized('Invalid or expired refresh token', 'INVALID_REFRESH_TOKEN');

/** 429 `RATE_LIMITED` from a limit on something other than the caller's IP (an address, an account). */
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} seconds`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

// ---- OAuth log-in --------------------------------------------------------------------------------

export const oauthProviderNotFound = (name: string) =>
  notFound('OAUTH_PROVIDER_NOT_FOUND', `No log-in provider named "${name}"`);
export const oauthProviderUnavailable = (cause?: unknown) =>
  new AppError(502, 'OAUTH_PROVIDER_UNAVAILABLE', 'The log-in provider could not be reached; try again later', {
    cause,
  });
export const oauthStateInvalid = () =>
  new AppError(
    400,
    'OAUTH_STATE_INVALID',
    'This log-in attempt is unknown, expired, already used or was started in another browser; start again',
  );
export const oauthCallbackFailed = (detail = 'The provider’s answer could not be verified; start the log-in again') =>
  new AppError(400, 'OAUTH_CALLBACK_FAILED', detail);
export const oauthAccessDenied = () =>
  new AppError(400, 'OAUTH_ACCESS_DENIED', 'The log-in was cancelled at the provider');
export const oauthProviderError = (error: string) =>
  new AppError(400, 'OAUTH_PROVIDER_ERROR', `The provider refused the log-in (${error.slice(0, 64)})`);
export const oauthEmailRequired = () =>
  new AppError(403, 'OAUTH_EMAIL_REQUIRED', 'The provider did not share an email address with us');
export const oauthAccountExists = () =>
  conflict(
    'OAUTH_ACCOUNT_EXISTS',
    'An account with this email already exists and the provider has not verified the address, so it cannot be linked; log in with your password',
  );
export const oauthAccountUnverified = () =>
  conflict(
    'OAUTH_ACCOUNT_UNVERIFIED',
    'An account with this email already exists but its address is not verified yet; log in with your password and verify it (or reset your password), then try again',
  );
export const oauthEmailUnverified = () =>
  new AppError(
    403,
    'OAUTH_EMAIL_UNVERIFIED',
    'The provider has not verified your email address; verify it there and try again',
  );
export const invalidLoginCode = () =>
  new AppError(400, 'INVALID_LOGIN_CODE', 'This login code is invalid, has expired or was already used');
