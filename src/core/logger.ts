import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/**
 * Never let credentials reach the logs: auth headers, cookies (in and out) and any field that
 * looks like a password or token, at any depth pino's redaction supports.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.*.password',
  '*.*.token',
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(config.env === 'development' ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  };
}
