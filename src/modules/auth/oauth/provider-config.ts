/**
 * OAuth log-in providers, read from the environment. Pure (no app imports): `config.ts` calls it
 * while validating the environment, so a misconfigured provider fails at boot with its variable's
 * name.
 *
 *   OAUTH_PROVIDERS=google,acme,github
 *   OAUTH_GOOGLE_ISSUER=https://accounts.google.com      (any OpenID Connect issuer, by discovery)
 *   OAUTH_GOOGLE_CLIENT_ID=…   OAUTH_GOOGLE_CLIENT_SECRET=…  (secret optional: a public client)
 *   OAUTH_GITHUB_CLIENT_ID=…   OAUTH_GITHUB_CLIENT_SECRET=…  (`github` is OAuth 2 + its REST API)
 */
export type OAuthProviderConfig =
  | {
      kind: 'oidc';
      name: string;
      label: string;
      issuer: string;
      clientId: string;
      clientSecret: string | undefined;
      scopes: string;
    }
  | {
      kind: 'github';
      name: 'github';
      label: string;
      clientId: string;
      clientSecret: string;
      scopes: string;
      authorizeUrl: string;
      tokenUrl: string;
      apiUrl: string;
    };

const NAME = /^[a-z][a-z0-9-]{0,30}$/;

export function readOAuthProviders(
  env: Record<string, string | undefined>,
  names: string[],
): { providers: OAuthProviderConfig[]; errors: string[] } {
  const providers: OAuthProviderConfig[] = [];
  const errors: string[] = [];
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (!NAME.test(name)) {
      errors.push(`OAUTH_PROVIDERS has "${raw}", which is not a provider name (letters, digits, -)`);
      continue;
    }
    if (providers.some((p) => p.name === name)) {
      errors.push(`OAUTH_PROVIDERS names "${name}" twice`);
      continue;
    }
    const prefix = `OAUTH_${name.toUpperCase().replaceAll('-', '_')}_`;
    const read = (key: string) => {
      const value = env[prefix + key]?.trim();
      return value ? value : undefined;
    };
    const required = (key: string) => {
      const value = read(key);
      if (value === undefined) errors.push(`${prefix}${key} is required for the "${name}" provider`);
      return value ?? '';
    };
    const url = (key: string, fallback?: string) => {
      const value = fallback === undefined ? required(key) : (read(key) ?? fallback);
      if (value && !URL.canParse(value)) errors.push(`${prefix}${key} has "${value}", which is not a URL`);
      return value.replace(/\/+$/, '');
    };
    const label = read('LABEL') ?? name.charAt(0).toUpperCase() + name.slice(1);

    if (name === 'github') {
      providers.push({
        kind: 'github',
        name,
        label: read('LABEL') ?? 'GitHub',
        clientId: required('CLIENT_ID'),
        clientSecret: required('CLIENT_SECRET'),
        scopes: read('SCOPES') ?? 'read:user user:email',
        // Configurable so tests (and GitHub Enterprise) can point them elsewhere.
        authorizeUrl: url('AUTHORIZE_URL', 'https://github.com/login/oauth/authorize'),
        tokenUrl: url('TOKEN_URL', 'https://github.com/login/oauth/access_token'),
        apiUrl: url('API_URL', 'https://api.github.com'),
      });
    } else {
      providers.push({
        kind: 'oidc',
        name,
        label,
        issuer: url('ISSUER'),
        clientId: required('CLIENT_ID'),
        clientSecret: read('CLIENT_SECRET'),
        scopes: read('SCOPES') ?? 'openid email profile',
      });
    }
  }
  return { providers, errors };
}
