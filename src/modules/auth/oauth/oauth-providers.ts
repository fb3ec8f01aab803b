import * as oidc from 'openid-client';
import { oauthCallbackFailed, oauthProviderNotFound, oauthProviderUnavailable } from '../errors.ts';
import type { OAuthProviderConfig } from './provider-config.ts';

/** Who the provider says the user is, after the code exchange and every check passed. */
export interface OAuthProfile {
  /** The provider's stable id for the user (OIDC `sub`, GitHub's numeric id). */
  subject: string;
  email: string | null;
  /** True only when the provider itself vouches for the address. */
  emailVerified: boolean;
  /** A hint for a new account's username (`preferred_username`, GitHub login). */
  username: string | null;
}

const HTTP_TIMEOUT_SECONDS = 10;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Plain http is allowed only to this machine (a local provider in development and tests). */
function allowsInsecure(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname);
}

/**
 * The configured providers and their openid-client configurations. OIDC issuers are discovered on
 * first use, not at boot, so a provider that is down never stops the service from starting; a
 * failed discovery is retried by the next log-in.
 */
export class OAuthProviders {
  readonly #providers: Map<string, OAuthProviderConfig>;
  readonly #configurations = new Map<string, Promise<oidc.Configuration>>();

  constructor(providers: OAuthProviderConfig[]) {
    this.#providers = new Map(providers.map((p) => [p.name, p]));
  }

  list(): OAuthProviderConfig[] {
    return [...this.#providers.values()];
  }

  get(name: string): OAuthProviderConfig {
    const provider = this.#providers.get(name.toLowerCase());
    if (!provider) throw oauthProviderNotFound(name);
    return provider;
  }

  configuration(provider: OAuthProviderConfig): Promise<oidc.Configuration> {
    let configuration = this.#configurations.get(provider.name);
    if (!configuration) {
      configuration = configure(provider);
      this.#configurations.set(provider.name, configuration);
      configuration.catch(() => this.#configurations.delete(provider.name));
    }
    return configuration.catch((error: unknown) => {
      throw oauthProviderUnavailable(error);
    });
  }
}

async function configure(provider: OAuthProviderConfig): Promise<oidc.Configuration> {
  if (provider.kind === 'github') {
    // GitHub is OAuth 2 without OpenID Connect: no discovery, no ID token; who the user is comes
    // from its REST API (see githubProfile).
    const configuration = new oidc.Configuration(
      {
        issuer: 'https://github.com',
        authorization_endpoint: provider.authorizeUrl,
        token_endpoint: provider.tokenUrl,
      },
      provider.clientId,
      provider.clientSecret,
    );
    configuration.timeout = HTTP_TIMEOUT_SECONDS;
    if (allowsInsecure(provider.tokenUrl)) oidc.allowInsecureRequests(configuration);
    return configuration;
  }
  const execute: Array<(c: oidc.Configuration) => void> = [
    // Check the ID token's signature against the issuer's JWKS too, not only TLS to its token
    // endpoint: defence in depth, and the only check when a local issuer speaks plain http.
    oidc.enableNonRepudiationChecks,
  ];
  if (allowsInsecure(provider.issuer)) execute.push(oidc.allowInsecureRequests);
  return oidc.discovery(
    new URL(provider.issuer),
    provider.clientId,
    provider.clientSecret,
    // No secret: a public client, protected by PKCE alone.
    provider.clientSecret ? undefined : oidc.None(),
    { execute, timeout: HTTP_TIMEOUT_SECONDS },
  );
}

/** The verified ID token's claims (plus UserInfo when the token lacks the email). */
export async function oidcProfile(
  configuration: oidc.Configuration,
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
): Promise<OAuthProfile> {
  const claims = tokens.claims();
  if (!claims) throw oauthCallbackFailed('The provider returned no ID token');
  let source: Record<string, unknown> = claims;
  if (typeof claims.email !== 'string' && configuration.serverMetadata().userinfo_endpoint) {
    source = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub)), sub: claims.sub };
  }
  return {
    subject: claims.sub,
    email: typeof source.email === 'string' ? source.email : null,
    // Only the boolean true counts: absent, "true" or anything else is not a verified address.
    emailVerified: source.email_verified === true,
    username: typeof source.preferred_username === 'string' ? source.preferred_username : null,
  };
}

interface GitHubUser {
  id: number;
  login: string;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

async function githubGet<T>(url: string, accessToken: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${accessToken}`,
        'user-agent': 'groundwork',
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_SECONDS * 1000),
    });
  } catch (error) {
    throw oauthProviderUnavailable(error);
  }
  if (!response.ok) throw oauthProviderUnavailable(new Error(`GitHub ${url} answered ${response.status}`));
  return (await response.json()) as T;
}

/** GitHub's user and its primary email, which counts only if GitHub has verified it. */
export async function githubProfile(
  provider: Extract<OAuthProviderConfig, { kind: 'github' }>,
  accessToken: string,
): Promise<OAuthProfile> {
  const [user, emails] = await Promise.all([
    githubGet<GitHubUser>(`${provider.apiUrl}/user`, accessToken),
    githubGet<GitHubEmail[]>(`${provider.apiUrl}/user/emails`, accessToken),
  ]);
  if (typeof user?.id !== 'number' || !Array.isArray(emails)) {
    throw oauthProviderUnavailable(new Error('GitHub answered with an unexpected shape'));
  }
  const primary = emails.find((e) => e.primary);
  return {
    subject: String(user.id),
    email: primary?.email ?? null,
    emailVerified: primary?.verified === true,
    username: typeof user.login === 'string' ? user.login : null,
  };
}
