import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { OAuth2Server } from 'oauth2-mock-server';

/**
 * A real OpenID Connect provider on 127.0.0.1 (oauth2-mock-server: discovery, JWKS, authorize
 * that approves at once, token endpoint with PKCE), whose next ID token says what the test wants.
 */
export async function startMockOidc() {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  after(() => server.stop());
  const control = {
    issuer: server.issuer.url as string,
    /** Claims merged into every token the provider signs (sub, email, email_verified…). */
    claims: {} as Record<string, unknown>,
    /** When set, the ID token carries this nonce instead of the one the client sent. */
    forceNonce: undefined as string | undefined,
  };
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    Object.assign(token.payload, control.claims);
    if (control.forceNonce !== undefined && 'nonce' in token.payload) token.payload.nonce = control.forceNonce;
  });
  return control;
}

export interface FakeGitHubUser {
  id: number;
  login: string;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

/**
 * Just enough of GitHub on 127.0.0.1: /login/oauth/authorize (approves at once),
 * /login/oauth/access_token (client secret and PKCE S256 checked, errors answered 200 as GitHub
 * does), /user and /user/emails.
 */
export async function startFakeGitHub(clientId: string, clientSecret: string) {
  const control = { user: undefined as FakeGitHubUser | undefined };
  const codes = new Map<string, { user: FakeGitHubUser; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, FakeGitHubUser>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return new URLSearchParams(body);
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const user = control.user;
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (
        !user ||
        url.searchParams.get('client_id') !== clientId ||
        url.searchParams.get('code_challenge_method') !== 'S256'
      ) {
        json(res, 400, { error: 'bad authorize request' });
        return;
      }
      const code = randomUUID();
      codes.set(code, { user, challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = await readBody(req);
      const basic = req.headers.authorization?.startsWith('Basic ')
        ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent)
        : [];
      const id = form.get('client_id') ?? basic[0];
      const secret = form.get('client_secret') ?? basic[1];
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (id !== clientId || secret !== clientSecret) return json(res, 200, { error: 'incorrect_client_credentials' });
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri')) {
        return json(res, 200, {
          error: 'bad_verification_code',
          error_description: 'The code passed is incorrect or expired.',
        });
      }
      const accessToken = `gho_${randomUUID().replaceAll('-', '')}`;
      tokens.set(accessToken, grant.user);
      return json(res, 200, { access_token: accessToken, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const user = tokens.get(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
    if (req.method === 'GET' && (url.pathname === '/user' || url.pathname === '/user/emails')) {
      if (!user) return json(res, 401, { message: 'Bad credentials' });
      return json(res, 200, url.pathname === '/user' ? { id: user.id, login: user.login } : user.emails);
    }
    json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { control, url: `http://127.0.0.1:${port}` };
}

/** Env for an app with the mock OIDC provider as `mock` and the fake GitHub as `github`. */
export function oauthEnv(issuer: string, githubUrl: string): Record<string, string> {
  return {
    OAUTH_PROVIDERS: 'mock,github',
    OAUTH_MOCK_ISSUER: issuer,
    OAUTH_MOCK_CLIENT_ID: 'groundwork-test',
    OAUTH_MOCK_CLIENT_SECRET: 'mock-secret',
    OAUTH_MOCK_LABEL: 'Mock ID',
    OAUTH_GITHUB_CLIENT_ID: 'gh-client',
    OAUTH_GITHUB_CLIENT_SECRET: 'gh-secret',
    OAUTH_GITHUB_AUTHORIZE_URL: `${githubUrl}/login/oauth/authorize`,
    OAUTH_GITHUB_TOKEN_URL: `${githubUrl}/login/oauth/access_token`,
    OAUTH_GITHUB_API_URL: githubUrl,
  };
}
