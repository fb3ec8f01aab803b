/**
 * The auth module's public face: the only file another module may import
 * (`test/architecture/module-boundaries.test.ts` fails the build on any other import).
 * What is here is a promise to the other modules; everything else in auth may change freely.
 */
import type { UserRow } from './accounts/account-repository.ts';

export { type ClientInfo, clientInfo } from './client-info.ts';

// Guards: authenticate a request (as an `onRequest` hook), require a role, read the caller.
export {
  type AuthUser,
  authenticate,
  authenticateOptional,
  authorize,
  currentUser,
  presentedAccessToken,
} from './guard.ts';
// The plugin app.ts registers: `/api/auth/*`, the JWKS, `app.auth` and `request.user`.
export { authModule } from './module.ts';
// How the realtime endpoints (src/core/realtime) authenticate a connection: the same token or cookie.
export { realtimeAuthenticator } from './realtime-authenticator.ts';

/** An account as other modules see it: never its password hash. */
export type Account = Omit<UserRow, 'password_hash'>;

// Accounts, for a module with a contract of its own over the same user base (the RealWorld blog).
export { type AccountChanges, getAccount, registerAccount, updateAccount } from './accounts/account-service.ts';
// Finding a person by what they typed, without reading `users`.
export { findUserByUsernameOrEmail } from './accounts/directory.ts';
// Field schemas, so every module validates an email address or a username the same way.
export { Email, Password, Username } from './schemas.ts';
// Sessions and their tokens, for the same kind of module.
export {
  accessTokenForSession,
  type IssuedTokens,
  issueSession,
  loginWithPassword,
} from './sessions/session-service.ts';
