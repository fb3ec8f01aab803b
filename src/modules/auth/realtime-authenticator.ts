import type { RealtimeAuthenticator } from '../../core/realtime/routes.ts';
import { crossSiteRefused } from './errors.ts';
import { authenticateOptional, userFromAccessToken } from './guard.ts';
import { authenticatedByCookie, fromTrustedOrigin } from './sessions/cookie-session.ts';

/**
 * How the realtime endpoints authenticate: the same access token or session cookie as the REST
 * API. A WebSocket is not subject to CORS, and a browser sends cookies with a cross-site upgrade,
 * so a cookie-authenticated stream must come from one of our origins (cross-site WebSocket
 * hijacking); a token-authenticated one proves itself.
 */
export const realtimeAuthenticator: RealtimeAuthenticator = {
  async fromRequest(request, reply) {
    await authenticateOptional(request, reply);
    if (request.user && authenticatedByCookie(request) && !fromTrustedOrigin(request)) throw crossSiteRefused();
    return request.user;
  },
  fromToken: (app, token) => userFromAccessToken(app, token),
};
