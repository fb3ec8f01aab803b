import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import { AppError } from '../../../core/errors.ts';
import { isUniqueViolation } from '../../../db/errors.ts';
import type { UserRow } from '../accounts/account-repository.ts';
import * as repo from '../accounts/account-repository.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import {
  accountDisabled,
  invalidLoginCode,
  oauthAccessDenied,
  oauthAccountExists,
  oauthAccountUnverified,
  oauthCallbackFailed,
  oauthEmailRequired,
  oauthEmailUnverified,
  oauthProviderError,
  oauthProviderUnavailable,
  oauthStateInvalid,
} from '../errors.ts';
import { type IssuedTokens, issueSession } from '../sessions/session-service.ts';
import * as oneTimeTokens from '../tokens/one-time-token-repository.ts';
import { issueOneTimeToken } from '../tokens/one-time-tokens.ts';
import { digestToken } from '../tokens/opaque-tokens.ts';
import { githubProfile, type OAuthProfile, type OAuthProviders, oidcProfile } from './oauth-providers.ts';
import * as oauthRepo from './oauth-repository.ts';
import type { OAuthProviderConfig } from './provider-config.ts';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;
export const LOGIN_CODE_TTL_MS = 60_000;

export function redirectUri(app: FastifyInstance, provider: OAuthProviderConfig): string {
  return `${app.config.publicUrl}/api/auth/oauth/${provider.name}/callback`;
}

/**
 * Starts a log-in: a fresh `state`, `nonce` and PKCE verifier, kept server-side under the state's
 * digest for 10 minutes and bound to the browser's binding cookie; returns where to send it.
 */
export async function startOAuthLogin(
  app: FastifyInstance,
  providers: OAuthProviders,
  providerName: string,
  binding: string,
): Promise<URL> {
  const provider = providers.get(providerName);
  const configuration = await providers.configuration(provider);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await oauthRepo.insertOAuthState(app.db, {
    stateHash: digestToken(state),
    provider: provider.name,
    nonce,
    codeVerifier,
    bindingHash: digestToken(binding),
    expiresAt: new Date(Date.now() + OAUTH_STATE_TTL_MS),
  });
  return oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri(app, provider),
    scope: provider.scopes,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...(provider.kind === 'oidc' ? { nonce } : {}),
  });
}

export interface CallbackQuery {
  state?: string;
  error?: string;
}

/**
 * Finishes a log-in at the callback: the state must be known, unexpired, unused, for this provider
 * and from this browser; then the code is exchanged (with the PKCE verifier) and the ID token
 * checked (signature, issuer, audience, expiry, nonce). Returns a one-time login code.
 */
export async function finishOAuthLogin(
  app: FastifyInstance,
  providers: OAuthProviders,
  input: { providerName: string; query: CallbackQuery; rawQuery: string; binding: string | undefined },
  client: ClientInfo,
): Promise<string> {
  const provider = providers.get(input.providerName);
  const { state } = input.query;
  if (!state) throw oauthStateInvalid();
  const flow = await oauthRepo.takeOAuthState(app.db, digestToken(state));
  if (
    !flow ||
    flow.expires_at.getTime() <= Date.now() ||
    flow.provider !== provider.name ||
    !input.binding ||
    digestToken(input.binding) !== flow.binding_hash
  ) {
    throw oauthStateInvalid();
  }
  if (input.query.error) {
    throw input.query.error === 'access_denied' ? oauthAccessDenied() : oauthProviderError(input.query.error);
  }

  const configuration = await providers.configuration(provider);
  const currentUrl = new URL(redirectUri(app, provider));
  currentUrl.search = input.rawQuery;
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: flow.code_verifier,
      expectedState: state,
      ...(provider.kind === 'oidc' ? { expectedNonce: flow.nonce, idTokenExpected: true } : {}),
    });
  } catch (error) {
    throw classifyProviderError(app, provider, error);
  }
  const profile =
    provider.kind === 'github'
      ? await githubProfile(provider, tokens.access_token)
      : await oidcProfile(configuration, tokens).catch((error: unknown) => {
          throw classifyProviderError(app, provider, error);
        });

  const user = await findOrCreateUser(app, provider, profile, client);
  return issueOneTimeToken(app.db, {
    userId: user.id,
    purpose: 'login_code',
    email: null,
    ttlMs: LOGIN_CODE_TTL_MS,
    supersede: false,
    details: { provider: provider.name },
  });
}

/** Network trouble is the provider being away (502); anything it said that fails a check is 400. */
function classifyProviderError(app: FastifyInstance, provider: OAuthProviderConfig, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code;
  if ((error instanceof TypeError && error.message === 'fetch failed') || code === 'OAUTH_TIMEOUT') {
    return oauthProviderUnavailable(error);
  }
  app.log.warn({ provider: provider.name, code, reason: (error as Error).message }, 'oauth callback refused');
  return oauthCallbackFailed();
}

/**
 * Who logs in. An identity seen before logs in its user. Otherwise the provider's email decides,
 * and only a verified one counts: it links to an existing account whose own email is verified
 * too, or creates a new account. Everything else is a 409 (or 403) that says what to do, never a
 * silent link: linking through an unverified address would hand the account to whoever typed it.
 */
async function findOrCreateUser(
  app: FastifyInstance,
  provider: OAuthProviderConfig,
  profile: OAuthProfile,
  client: ClientInfo,
): Promise<UserRow> {
  for (let attempt = 0; ; attempt++) {
    const identity = await oauthRepo.findIdentity(app.db, provider.name, profile.subject);
    if (identity) {
      await oauthRepo.touchIdentity(app.db, identity.id, profile);
      const user = await repo.findUserById(app.db, identity.user_id);
      if (!user) throw new Error('identity without user');
      return usable(user);
    }
    const email = profile.email?.trim();
    if (!email) throw oauthEmailRequired();
    const existing = await repo.findUserByLogin(app.db, email);
    if (existing) {
      if (!profile.emailVerified) throw oauthAccountExists();
      if (!existing.email_verified_at) throw oauthAccountUnverified();
      usable(existing);
    } else if (!profile.emailVerified) {
      throw oauthEmailUnverified();
    }
    try {
      return await app.db.transaction().execute(async (trx) => {
        let user = existing;
        if (!user) {
          const created = await repo.insertUser(trx, {
            email,
            username: await freeUsername(trx, profile.username ?? email.split('@')[0] ?? 'user'),
            passwordHash: null,
          });
          if (typeof created === 'string') throw new RaceLost();
          user = (await repo.updateUser(trx, created.id, { email_verified_at: new Date() })) as UserRow;
        }
        await oauthRepo.insertIdentity(trx, {
          provider: provider.name,
          subject: profile.subject,
          userId: user.id,
          email,
          emailVerified: profile.emailVerified,
        });
        await recordAuditEvent(trx, {
          type: 'oauth_linked',
          userId: user.id,
          client,
          details: { provider: provider.name, newAccount: !existing },
        });
        return user;
      });
    } catch (error) {
      // A concurrent callback created the identity (or the account) first: look again, once.
      if (attempt < 1 && (error instanceof RaceLost || isUniqueViolation(error))) continue;
      throw error;
    }
  }
}

class RaceLost extends Error {}

function usable(user: UserRow): UserRow {
  if (user.disabled_at) throw accountDisabled();
  return user;
}

/** A free username from the provider's hint: sanitized to our alphabet, suffixed when taken. */
async function freeUsername(db: Parameters<typeof repo.findUserByLogin>[0], hint: string): Promise<string> {
  const base = hint.replace(/[^A-Za-z0-9_.-]+/g, '').slice(0, 30) || 'user';
  for (let i = 0; i < 5; i++) {
    const candidate = i === 0 ? base : `${base}-${randomBytes(3).toString('hex')}`;
    if (!(await repo.findUserByLogin(db, candidate))) return candidate;
  }
  return `user-${randomBytes(6).toString('hex')}`;
}

/** `POST /oauth/exchange`: the one-time login code (single use, 60 s) for ordinary bearer tokens. */
export async function exchangeLoginCode(
  app: FastifyInstance,
  code: string,
  client: ClientInfo,
): Promise<{ user: UserRow; tokens: IssuedTokens }> {
  const used = await oneTimeTokens.consumeOneTimeToken(app.db, 'login_code', digestToken(code));
  const user = used ? await repo.findUserById(app.db, used.user_id) : undefined;
  if (!used || !user) {
    throw invalidLoginCode();
  }
  usable(user);
  const tokens = await issueSession(app, user, client);
  await recordAuditEvent(app.db, {
    type: 'login_succeeded',
    userId: user.id,
    client,
    details: { method: 'oauth', provider: used.details.provider ?? null, sessionId: tokens.sessionId },
  });
  return { user, tokens };
}
