import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { AppError, unauthorized, unprocessable } from '../errors.ts';
import { problemResponses } from '../schemas.ts';
import { CloseCode, type ConnectionUser } from './connection.ts';
import { MAX_SUBSCRIPTIONS } from './hub.ts';
import { SseConnection } from './sse-connection.ts';
import { runWebSocketSession } from './websocket-session.ts';

/** How the realtime endpoints learn who is connecting; the auth module provides it (app.ts). */
export interface RealtimeAuthenticator {
  /**
   * The user of an upgrade or SSE request (Authorization header or session cookie), or null when
   * it presents no credentials; throws a 401/403 AppError for credentials it refuses.
   */
  fromRequest(request: FastifyRequest, reply: FastifyReply): Promise<ConnectionUser | null>;
  /** The user an access token (from a WebSocket `auth` message) belongs to, or null. */
  fromToken(app: FastifyInstance, token: string): Promise<ConnectionUser | null>;
}

// Frames are small JSON commands; anything bigger is refused by ws with close code 1009.
const MAX_FRAME_BYTES = 16 * 1024;
const tooManyConnections = () =>
  new AppError(429, 'TOO_MANY_CONNECTIONS', 'This user has too many realtime connections open');

/** `GET /api/realtime` (WebSocket) and `GET /api/realtime/events` (SSE). docs/realtime.md describes the protocol. */
export const realtimeRoutes = fp(
  async (app: FastifyInstance, { authenticator }: { authenticator: RealtimeAuthenticator }) => {
    const { hub } = app.realtime;
    await app.register(websocket, {
      options: { maxPayload: MAX_FRAME_BYTES },
      // Going away (1001): clients reconnect, to another instance behind the load balancer.
      preClose(done) {
        hub.closeAll(CloseCode.goingAway, 'server shutting down');
        app.websocketServer.close(() => done());
      },
    });

    const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
      const user = await authenticator.fromRequest(request, reply);
      if (user && !hub.hasRoomFor(user.id)) throw tooManyConnections();
    };

    app.get('/api/realtime', { websocket: true, onRequest: authenticate, schema: { hide: true } }, (socket, request) =>
      runWebSocketSession(app, socket, request, authenticator),
    );

    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/realtime/events',
      {
        onRequest: authenticate,
        schema: {
          summary: 'Server-Sent Events: live events of the given topics',
          description:
            'A `text/event-stream` of the events of `topics`, resumed exactly after `Last-Event-ID`. See docs/realtime.md.',
          tags: ['realtime'],
          querystring: Type.Object({
            topics: Type.String({
              minLength: 1,
              maxLength: MAX_SUBSCRIPTIONS * 50,
              description: 'Comma-separated topics, e.g. `conversation:<id>,user:<id>`',
            }),
          }),
          headers: Type.Object({
            'last-event-id': Type.Optional(
              Type.String({ maxLength: 2048, description: 'The `id` of the last event received on this URL' }),
            ),
          }),
          response: {
            200: Type.String({ description: 'text/event-stream' }),
            ...problemResponses(401, 404, 422, 429),
          },
        },
      },
      async (request, reply) => {
        const user = request.user;
        if (!user) throw unauthorized();
        const topics = [...new Set(request.query.topics.split(','))];
        if (topics.length > MAX_SUBSCRIPTIONS) {
          throw unprocessable([{ field: 'query.topics', message: `at most ${MAX_SUBSCRIPTIONS} topics` }]);
        }
        const resumeFrom = parseLastEventId(request.headers['last-event-id'], topics.length);
        for (const topic of topics) {
          if (!(await hub.audienceFor(user.id, topic)))
            throw new AppError(404, 'TOPIC_NOT_FOUND', `No such topic: ${topic}`);
        }
        // Every topic's starting position is fixed before the first event is written, because each
        // event's id carries all of them: a first connection starts at each topic's latest event
        // (anything after it is replayed, so nothing falls between this read and the subscription).
        const positions = resumeFrom ?? (await Promise.all(topics.map((topic) => hub.latestId(topic))));

        const connection = new SseConnection(
          reply.raw,
          topics,
          app.realtime.instanceId,
          user,
          app.config.realtime,
          request.log,
        );
        for (const [i, topic] of topics.entries()) connection.started(topic, positions[i] as number);
        if (!hub.add(connection)) throw tooManyConnections();
        reply.hijack();
        reply.raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // Proxies (nginx) must pass each event on as it comes, not buffer the response.
          'x-accel-buffering': 'no',
        });
        // How long the browser waits before it reconnects after the stream drops.
        reply.raw.write('retry: 2000\n\n');
        for (const [i, topic] of topics.entries()) {
          if (connection.closed) break;
          const result = await hub.subscribe(connection, topic, positions[i]);
          if (result === 'not_found') connection.control({ type: 'unsubscribed', topic, reason: 'forbidden' });
        }
      },
    );
  },
  { name: 'realtime-routes', dependencies: ['realtime'] },
);

/** `Last-Event-ID` as one position per topic, or undefined for a first connection. */
function parseLastEventId(header: string | undefined, count: number): number[] | undefined {
  if (header === undefined || header === '') return undefined;
  const parts = header.split(',');
  if (parts.length !== count || !parts.every((part) => /^\d{1,15}$/.test(part))) {
    throw unprocessable([
      { field: 'headers.last-event-id', message: 'must be the id of an event of this stream (one number per topic)' },
    ]);
  }
  return parts.map(Number);
}
