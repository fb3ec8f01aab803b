import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { CloseCode, type ConnectionUser } from './connection.ts';
import type { Realtime } from './plugin.ts';
import { type ClientMessage, parseClientMessage } from './protocol.ts';
import type { RealtimeAuthenticator } from './routes.ts';
import { WebSocketConnection } from './websocket-connection.ts';

// A client that has not authenticated by then is closed: an open socket holds memory.
const AUTH_TIMEOUT_MS = 10_000;
// Messages over the rate are answered with an error; a client that keeps sending is closed.
const MAX_DROPPED_IN_A_ROW = 50;

/**
 * One WebSocket from upgrade to close: authentication (already done from the upgrade request's
 * Authorization header or cookie, or by a first `auth` message — browsers cannot set headers on
 * a WebSocket, and a token in the URL would end up in logs), then the client's messages.
 */
export function runWebSocketSession(
  app: FastifyInstance,
  socket: WebSocket,
  request: FastifyRequest,
  authenticator: RealtimeAuthenticator,
): void {
  const { hub, instanceId } = app.realtime;
  const { realtime: limits } = app.config;
  const log = request.log;
  let connection: WebSocketConnection | null = null;
  let dropped = 0;

  const open = (user: ConnectionUser) => {
    const candidate = new WebSocketConnection(socket, instanceId, user, limits, log);
    if (!hub.add(candidate)) {
      socket.close(CloseCode.tooManyConnections, 'too many connections');
      return;
    }
    connection = candidate;
    connection.control({ type: 'welcome', userId: user.id, heartbeatSeconds: limits.heartbeatMs / 1000 });
  };

  let authTimer: NodeJS.Timeout | undefined;
  if (request.user) open(request.user);
  else {
    authTimer = setTimeout(() => socket.close(CloseCode.unauthorized, 'authentication timed out'), AUTH_TIMEOUT_MS);
    authTimer.unref();
  }
  socket.on('close', () => clearTimeout(authTimer));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = isBinary ? null : parseClientMessage(data.toString());
    if (!connection) {
      void authenticate(message);
      return;
    }
    if (!connection.allowClientMessage()) {
      dropped += 1;
      if (dropped > MAX_DROPPED_IN_A_ROW)
        connection.close(CloseCode.policyViolation, 'rate limit exceeded', 'rate_limited');
      else connection.control({ type: 'error', code: 'RATE_LIMITED', message: 'Too many messages; slow down' });
      return;
    }
    dropped = 0;
    if (!message) {
      connection.control({ type: 'error', code: 'INVALID_MESSAGE', message: 'Not a message this server understands' });
      return;
    }
    handle(app.realtime, connection, message).catch((error: unknown) => {
      log.error({ err: error }, 'realtime: failed to handle a client message');
      connection?.control({ type: 'error', code: 'INTERNAL_ERROR', message: 'An unexpected error occurred' });
    });
  });

  async function authenticate(message: ClientMessage | null) {
    if (message?.type !== 'auth' || !('token' in message)) {
      socket.close(CloseCode.unauthorized, 'authenticate first');
      return;
    }
    clearTimeout(authTimer);
    const user = await authenticator.fromToken(app, message.token).catch(() => null);
    if (socket.readyState !== socket.OPEN) return;
    if (!user) socket.close(CloseCode.unauthorized, 'invalid or expired token');
    else if (!connection) open(user);
  }
}

async function handle(realtime: Realtime, connection: WebSocketConnection, message: ClientMessage): Promise<void> {
  const { hub } = realtime;
  const topic = 'topic' in message ? message.topic : undefined;
  switch (message.type) {
    case 'ping':
      connection.control({ type: 'pong' });
      return;
    case 'auth':
      connection.control({ type: 'error', code: 'ALREADY_AUTHENTICATED', message: 'This connection is authenticated' });
      return;
    case 'subscribe': {
      const after = 'after' in message ? message.after : undefined;
      const result = await hub.subscribe(connection, message.topic as string, after);
      if (result === 'not_found') {
        connection.control({ type: 'error', code: 'TOPIC_NOT_FOUND', topic, message: 'No such topic' });
      } else if (result === 'too_many') {
        connection.control({ type: 'error', code: 'TOO_MANY_SUBSCRIPTIONS', topic, message: 'Too many subscriptions' });
      } else if (result === 'already_subscribed') {
        connection.control({ type: 'error', code: 'ALREADY_SUBSCRIBED', topic, message: 'Already subscribed' });
      }
      return;
    }
    case 'unsubscribe':
      if (hub.unsubscribe(connection, message.topic as string)) {
        connection.control({ type: 'unsubscribed', topic, reason: 'requested' });
      } else connection.control({ type: 'error', code: 'NOT_SUBSCRIBED', topic, message: 'Not subscribed' });
      return;
    default:
      await clientEvent(realtime, connection, message.type, topic as string);
  }
}

/** An ephemeral event from the client (`typing`): checked against the topic's kind and the sender's access. */
async function clientEvent(
  realtime: Realtime,
  connection: WebSocketConnection,
  type: string,
  topic: string,
): Promise<void> {
  const { hub } = realtime;
  const kind = hub.parseTopic(topic)?.kind;
  if (!connection.subscriptions.has(topic) || !kind?.clientEvents?.includes(type)) {
    connection.control({ type: 'error', code: 'EVENT_NOT_ALLOWED', topic, message: `Cannot send "${type}" here` });
    return;
  }
  const audience = await hub.audienceFor(connection.userId, topic);
  if (!audience) {
    hub.unsubscribe(connection, topic);
    connection.control({ type: 'unsubscribed', topic, reason: 'forbidden' });
    return;
  }
  realtime.publish(topic, { type, data: { userId: connection.userId }, audience, origin: connection.key });
}
