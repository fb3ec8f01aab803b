import type { FastifyInstance } from 'fastify';

/**
 * What follows sessions being ended (revoked) in the database, once that has committed: this
 * instance's session cache forgets them at once (other instances' within its few seconds), and every
 * realtime connection that authenticated with one of them is closed, on every instance — a socket
 * must not outlive the log-out or password change that ended its session.
 */
export function sessionsEnded(app: FastifyInstance, userId: string, sessionIds: readonly string[]): void {
  for (const sessionId of sessionIds) app.auth.sessions.forget(sessionId);
  if (sessionIds.length) app.realtime.endSessions(userId, sessionIds);
}
