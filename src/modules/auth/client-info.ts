import type { FastifyRequest } from 'fastify';

/** Where a request came from, recorded on sessions and in the audit log. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: agent ? agent.slice(0, 512) : null };
}
