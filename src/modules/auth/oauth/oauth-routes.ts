import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../../../core/schemas.ts';
import { clientInfo } from '../client-info.ts';
import { toUser } from '../mappers.ts';
import { perIp } from '../rate-limits.ts';
import { Tokens } from '../sessions/session-schemas.ts';
import { newOpaqueToken } from '../tokens/opaque-tokens.ts';
import { OAuthProviders } from './oauth-providers.ts';
import { OAuthCallbackQuery, OAuthExchangeBody, OAuthProviderList, OAuthProviderParams } from './oauth-schemas.ts';
import { exchangeLoginCode, finishOAuthLogin, OAUTH_STATE_TTL_MS, startOAuthLogin } from './oauth-service.ts';

const tags = ['auth'];

/**
 * Ties an OAuth flow to the browser that started it: without it, an attacker could start a flow,
 * stop at the callback and get a victim's browser to finish it, logging the victim into the
 * attacker's account (login CSRF). One value per browser, reused, so parallel tabs still work.
 */
const BINDING_COOKIE = 'gw_oauth_binding';
const BINDING_VALUE = /^[A-Za-z0-9_-]{43}$/;

const Redirect = (description: string) => Type.Null({ description });

/** OAuth 2.0 / OpenID Connect log-in, under `/api/auth/oauth`. */
export const oauthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The cookie-session work registers @fastify/cookie app-wide; until then (and in any order) this
  // scope brings its own.
  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);

  const providers = new OAuthProviders(app.config.oauth.providers);
  const secure = app.config.publicUrl.startsWith('https:');

  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'The configured log-in providers, with the URL that starts each log-in',
        response: { 200: OAuthProviderList },
      },
    },
    async () => ({
      items: providers.list().map((p) => ({
        name: p.name,
        label: p.label,
        kind: p.kind,
        loginUrl: `${app.config.publicUrl}/api/auth/oauth/${p.name}`,
      })),
    }),
  );

  app.get(
    '/:provider',
    {
      schema: {
        tags,
        summary: 'Start a log-in: redirects to the provider (state, nonce, PKCE S256)',
        params: OAuthProviderParams,
        response: { 302: Redirect('To the provider'), ...problemResponses(404, 502) },
      },
    },
    async (request, reply) => {
      const existing = request.cookies[BINDING_COOKIE];
      const binding = existing && BINDING_VALUE.test(existing) ? existing : newOpaqueToken();
      const location = await startOAuthLogin(app, providers, request.params.provider, binding);
      reply.setCookie(BINDING_COOKIE, binding, {
        path: '/api/auth/oauth',
        httpOnly: true,
        // Lax: the cookie must come back on the provider's top-level redirect to the callback.
        sameSite: 'lax',
        secure,
        maxAge: OAUTH_STATE_TTL_MS / 1000,
      });
      reply.header('cache-control', 'no-store');
      return reply.redirect(location.href, 302);
    },
  );

  app.get(
    '/:provider/callback',
    {
      schema: {
        tags,
        summary: 'Where the provider sends the browser back; redirects to the app with a one-time `code`',
        params: OAuthProviderParams,
        querystring: OAuthCallbackQuery,
        response: {
          302: Redirect('To OAUTH_POST_LOGIN_URL?code=…'),
          ...problemResponses(400, 403, 404, 409, 422, 502),
        },
      },
    },
    async (request, reply) => {
      const code = await finishOAuthLogin(
        app,
        providers,
        {
          providerName: request.params.provider,
          query: request.query,
          rawQuery: request.url.split('?')[1] ?? '',
          binding: request.cookies[BINDING_COOKIE],
        },
        clientInfo(request),
      );
      const target = new URL(app.config.oauth.postLoginUrl);
      target.searchParams.set('code', code);
      reply.header('cache-control', 'no-store');
      // The code is single-use and dies in 60 s; no-referrer keeps it out of the next page's Referer.
      reply.header('referrer-policy', 'no-referrer');
      return reply.redirect(target.href, 302);
    },
  );

  app.post(
    '/exchange',
    {
      config: perIp(app),
      schema: {
        tags,
        summary: 'Exchange the one-time login code from the callback (single use, 60 s) for bearer tokens',
        body: OAuthExchangeBody,
        response: { 200: Tokens, ...problemResponses(400, 403, 422, 429) },
      },
    },
    async (request) => {
      const { user, tokens } = await exchangeLoginCode(app, request.body.code, clientInfo(request));
      return { ...tokens, tokenType: 'Bearer' as const, user: toUser(user) };
    },
  );
};
