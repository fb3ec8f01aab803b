import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import envSchema from 'env-schema';
import { type Static, Type } from 'typebox';
import { type OAuthProviderConfig, readOAuthProviders } from './modules/auth/oauth/provider-config.ts';

/**
 * Every setting Groundwork reads, as one schema. The environment is validated against it once
 * at boot (`loadConfig`); the rest of the code reads the typed `Config`, never `process.env`.
 * `.env.example` documents each variable.
 */
export const EnvSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Optional(Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  TRUST_PROXY: Type.Boolean({ default: false }),

  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DATABASE_PREPARED_STATEMENTS: Type.Boolean({ default: true }),
  PGLITE_DATA_DIR: Type.String({ minLength: 1, default: './data/pglite' }),
  PGLITE_IN_PRODUCTION: Type.Boolean({ default: false }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),

  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),

  // Realtime (docs/realtime.md).
  REALTIME_BROKER: Type.Enum(['auto', 'redis', 'postgres', 'local'], { default: 'auto' }),
  REALTIME_REDIS_CHANNEL: Type.String({ minLength: 1, default: 'gw:realtime' }),
  REALTIME_POSTGRES_CHANNEL: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'gw_realtime' }),
  REALTIME_HEARTBEAT_SECONDS: Type.Integer({ minimum: 1, maximum: 300, default: 30 }),
  REALTIME_SEND_BUFFER_BYTES: Type.Integer({ minimum: 16_384, default: 1_048_576 }),
  REALTIME_CLIENT_EVENTS_PER_SECOND: Type.Integer({ minimum: 1, default: 5 }),
  REALTIME_MAX_CONNECTIONS_PER_USER: Type.Integer({ minimum: 1, default: 20 }),
  REALTIME_EVENT_RETENTION_HOURS: Type.Integer({ minimum: 1, default: 72 }),

  // Links, mail and OAuth log-in (docs/auth-oauth-email.md).
  PUBLIC_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3000' }),
  APP_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Groundwork <no-reply@localhost>' }),
  AUTH_EMAIL_RATE_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 3600 }),
  AUTH_EMAIL_RATE_PER_ADDRESS: Type.Integer({ minimum: 1, default: 5 }),
  AUTH_EMAIL_RATE_PER_IP: Type.Integer({ minimum: 1, default: 30 }),
  OAUTH_PROVIDERS: Type.String({ default: '' }),
  OAUTH_POST_LOGIN_URL: Type.Optional(Type.String({ pattern: '^https?://' })),

  CORS_ORIGINS: Type.String({ default: '' }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 600 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  RATE_LIMIT_PREFIX: Type.String({ minLength: 1, default: 'gw:rate:' }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, default: 1000 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10_000 }),
  JOBS_CRON_CHECK_SECONDS: Type.Integer({ minimum: 1, maximum: 45, default: 30 }),

  AUTH_ISSUER: Type.String({ minLength: 1, default: 'groundwork' }),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
  AUTH_REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 3600, default: 30 * 86_400 }),
  AUTH_SIGNING_KEY_ROTATION_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  // Cookie sessions (browsers) and log-in throttling: docs/auth.md.
  AUTH_COOKIE_SECURE: Type.Optional(Type.Boolean()),
  AUTH_SESSION_IDLE_TIMEOUT_SECONDS: Type.Integer({ minimum: 60, default: 1800 }),
  AUTH_SESSION_ABSOLUTE_TIMEOUT_SECONDS: Type.Integer({ minimum: 300, default: 7 * 86_400 }),
  AUTH_LOGIN_ACCOUNT_FREE_ATTEMPTS: Type.Integer({ minimum: 1, default: 5 }),
  AUTH_LOGIN_IP_FREE_ATTEMPTS: Type.Integer({ minimum: 1, default: 50 }),
  AUTH_LOGIN_BACKOFF_BASE_SECONDS: Type.Integer({ minimum: 1, default: 30 }),
  AUTH_LOGIN_BACKOFF_MAX_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  AUTH_LOGIN_THROTTLE_PREFIX: Type.String({ minLength: 1, default: 'gw:login:' }),
  AUTH_PASSWORD_SCREEN: Type.Enum(['on', 'off'], { default: 'on' }),

  // RealWorld has no refresh flow, so its token lives a browsing day; capped by the signing keys'
  // verification grace (2 days).
  BLOG_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 300, maximum: 172_800, default: 86_400 }),

  // Files (README, "Files"): where blobs live, and what one user may store.
  STORAGE_DRIVER: Type.Enum(['local', 's3'], { default: 'local' }),
  STORAGE_LOCAL_DIR: Type.String({ minLength: 1, default: './data/files' }),
  // Production refuses the local driver unless this says STORAGE_LOCAL_DIR is one disk every
  // instance sees (or there is only one instance): see src/production-guard.ts.
  STORAGE_LOCAL_SHARED: Type.Boolean({ default: false }),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_REGION: Type.String({ minLength: 1, default: 'us-east-1' }),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63 })),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  S3_FORCE_PATH_STYLE: Type.Boolean({ default: false }),
  FILES_MAX_BYTES: Type.Integer({ minimum: 1, default: 268_435_456 }),
  FILES_QUOTA_BYTES: Type.Integer({ minimum: 1, default: 1_073_741_824 }),
  FILES_ORPHAN_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24 }),
  FILES_LINK_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  // Expenses (README, "Expenses"): how old an exchange rate may be and still convert.
  EXPENSES_RATE_MAX_AGE_DAYS: Type.Integer({ minimum: 0, maximum: 3650, default: 7 }),

  // Notes (README, "Notes"): history kept per note, how edits coalesce, trash and sync retention.
  NOTES_REVISIONS_KEPT: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  NOTES_REVISION_WINDOW_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 120 }),
  NOTES_TRASH_DAYS: Type.Number({ exclusiveMinimum: 0, default: 30 }),
  NOTES_SYNC_RETENTION_DAYS: Type.Number({ exclusiveMinimum: 0, default: 90 }),
  // How many attachment files, and bytes of them, one import may bring in (each is also a file upload).
  NOTES_IMPORT_MAX_FILES: Type.Integer({ minimum: 0, maximum: 100_000, default: 1000 }),
  NOTES_IMPORT_MAX_FILE_BYTES: Type.Integer({ minimum: 0, default: 1_073_741_824 }),
});

type Env = Static<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  logLevel: NonNullable<Env['LOG_LEVEL']>;
  trustProxy: boolean;
  database:
    | { kind: 'postgres'; url: string; poolMax: number; preparedStatements?: boolean }
    | { kind: 'pglite'; dataDir: string | undefined /* undefined: in memory */ };
  /** The embedded database was chosen on purpose for production (one instance); see production-guard.ts. */
  pgliteInProduction: boolean;
  migrateOnStart: boolean;
  redisUrl: string | undefined;
  realtime: {
    /** auto: Redis when REDIS_URL is set, else PostgreSQL when DATABASE_URL is, else in-process. */
    broker: 'auto' | 'redis' | 'postgres' | 'local';
    redisChannel: string;
    postgresChannel: string;
    heartbeatMs: number;
    sendBufferBytes: number;
    clientEventsPerSecond: number;
    maxConnectionsPerUser: number;
    retentionHours: number;
  };
  /** The service's own base URL (OAuth redirect URIs), and the frontend's (links in mail). No trailing slash. */
  publicUrl: string;
  appUrl: string;
  mail: { smtpUrl: string | undefined; from: string };
  /** Per-window limits on the endpoints that send mail or take an emailed token. */
  emailRateLimit: { windowMs: number; perAddress: number; perIp: number };
  oauth: { providers: OAuthProviderConfig[]; postLoginUrl: string };
  corsOrigins: string[];
  bodyLimitBytes: number;
  rateLimit: { max: number; windowMs: number; redisPrefix: string };
  maxEventLoopDelayMs: number;
  shutdownTimeoutMs: number;
  /** How often each instance looks for due schedules (pg-boss's cron pass); a tick is sent within this. */
  jobsCronCheckSeconds: number;
  auth: {
    issuer: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    signingKeyRotationDays: number;
    cookie: { name: string; secure: boolean; idleTimeoutSeconds: number; absoluteTimeoutSeconds: number };
    loginThrottle: {
      accountFreeAttempts: number;
      ipFreeAttempts: number;
      backoffBaseSeconds: number;
      backoffMaxSeconds: number;
      redisPrefix: string;
    };
    passwordScreen: boolean;
  };
  blog: { tokenTtlSeconds: number };
  files: {
    storage: LocalStorageConfig | S3StorageConfig;
    maxBytes: number;
    quotaBytes: number;
    orphanHours: number;
    /** Key of the HMAC that signs local download links; unset: the files module makes a random one. */
    linkSecret: Buffer | undefined;
  };
  expenses: {
    /** A conversion uses the latest rate on or before its date, if it is at most this many days older. */
    rateMaxAgeDays: number;
  };
  notes: {
    /** Revisions kept per note (older ones are dropped). */
    revisionsKept: number;
    /** Edits by the same person within this many seconds of the last revision update it. */
    revisionWindowSeconds: number;
    /** Notes in the trash longer than this are deleted for good. */
    trashDays: number;
    /** How long the sync feed remembers deletions; an older cursor answers 410. */
    syncRetentionDays: number;
    /** Attachment files one import may store, and their bytes all together. */
    importMaxFiles: number;
    importMaxFileBytes: number;
  };
}

export interface LocalStorageConfig {
  driver: 'local';
  dir: string;
  /** STORAGE_LOCAL_SHARED: the operator vouches that every instance sees this one directory. */
  shared: boolean;
}

export interface S3StorageConfig {
  driver: 's3';
  /** Unset for AWS itself; R2, Spaces and MinIO name theirs. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Both unset: the AWS SDK's default credential chain (instance role, AWS_* variables). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates `env` and turns it into a `Config`. Throws a `ConfigError` whose message names every
 * variable that is wrong, so a misconfigured deploy fails at boot and says why.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { dotenv?: boolean } = {}): Config {
  // `.env` fills in what the real environment leaves unset, for every reader below: the schema, and
  // the per-provider OAuth variables outside it.
  const source = options.dotenv ? { ...readDotenv('.env'), ...env } : env;
  let parsed: Env;
  try {
    parsed = envSchema<Env>({
      schema: EnvSchema,
      data: source,
      // env-schema merges process.env under `data` unless told not to; `source` must be all we read.
      env: false,
    });
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${describeErrors(error)}`);
  }

  const corsOrigins = splitList(parsed.CORS_ORIGINS);
  const badOrigin = corsOrigins.find((origin) => !URL.canParse(origin));
  if (badOrigin) throw new ConfigError(`Invalid configuration: CORS_ORIGINS has "${badOrigin}", which is not a URL`);

  const oauth = readOAuthProviders(source, splitList(parsed.OAUTH_PROVIDERS));
  if (oauth.errors.length) throw new ConfigError(`Invalid configuration: ${oauth.errors.join('; ')}`);
  const publicUrl = parsed.PUBLIC_URL.replace(/\/+$/, '');
  const appUrl = (parsed.APP_URL ?? publicUrl).replace(/\/+$/, '');

  const storage = storageSettings(parsed);

  const defaultLevel = parsed.NODE_ENV === 'test' ? 'silent' : 'info';
  return {
    env: parsed.NODE_ENV,
    // A platform that hands us PORT (Render, Railway, Heroku-likes) routes traffic from outside,
    // so we must listen on all interfaces there; a bare local start stays on loopback.
    host: parsed.HOST ?? (parsed.PORT === undefined ? '127.0.0.1' : '0.0.0.0'),
    port: parsed.PORT ?? 3000,
    logLevel: parsed.LOG_LEVEL ?? defaultLevel,
    trustProxy: parsed.TRUST_PROXY,
    database: parsed.DATABASE_URL
      ? {
          kind: 'postgres',
          url: parsed.DATABASE_URL,
          poolMax: parsed.DATABASE_POOL_MAX,
          preparedStatements: parsed.DATABASE_PREPARED_STATEMENTS,
        }
      : { kind: 'pglite', dataDir: parsed.PGLITE_DATA_DIR === 'memory' ? undefined : parsed.PGLITE_DATA_DIR },
    pgliteInProduction: parsed.PGLITE_IN_PRODUCTION,
    migrateOnStart: parsed.MIGRATE_ON_START,
    redisUrl: parsed.REDIS_URL,
    realtime: {
      broker: parsed.REALTIME_BROKER,
      redisChannel: parsed.REALTIME_REDIS_CHANNEL,
      postgresChannel: parsed.REALTIME_POSTGRES_CHANNEL,
      heartbeatMs: parsed.REALTIME_HEARTBEAT_SECONDS * 1000,
      sendBufferBytes: parsed.REALTIME_SEND_BUFFER_BYTES,
      clientEventsPerSecond: parsed.REALTIME_CLIENT_EVENTS_PER_SECOND,
      maxConnectionsPerUser: parsed.REALTIME_MAX_CONNECTIONS_PER_USER,
      retentionHours: parsed.REALTIME_EVENT_RETENTION_HOURS,
    },
    publicUrl,
    appUrl,
    mail: { smtpUrl: parsed.SMTP_URL, from: parsed.MAIL_FROM },
    emailRateLimit: {
      windowMs: parsed.AUTH_EMAIL_RATE_WINDOW_SECONDS * 1000,
      perAddress: parsed.AUTH_EMAIL_RATE_PER_ADDRESS,
      perIp: parsed.AUTH_EMAIL_RATE_PER_IP,
    },
    oauth: { providers: oauth.providers, postLoginUrl: parsed.OAUTH_POST_LOGIN_URL ?? `${appUrl}/` },
    corsOrigins,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    rateLimit: {
      max: parsed.RATE_LIMIT_MAX,
      windowMs: parsed.RATE_LIMIT_WINDOW_MS,
      redisPrefix: parsed.RATE_LIMIT_PREFIX,
    },
    maxEventLoopDelayMs: parsed.MAX_EVENT_LOOP_DELAY_MS,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    jobsCronCheckSeconds: parsed.JOBS_CRON_CHECK_SECONDS,
    auth: {
      issuer: parsed.AUTH_ISSUER,
      accessTokenTtlSeconds: parsed.AUTH_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: parsed.AUTH_REFRESH_TOKEN_TTL_SECONDS,
      signingKeyRotationDays: parsed.AUTH_SIGNING_KEY_ROTATION_DAYS,
      cookie: cookieSettings(parsed),
      loginThrottle: {
        accountFreeAttempts: parsed.AUTH_LOGIN_ACCOUNT_FREE_ATTEMPTS,
        ipFreeAttempts: parsed.AUTH_LOGIN_IP_FREE_ATTEMPTS,
        backoffBaseSeconds: parsed.AUTH_LOGIN_BACKOFF_BASE_SECONDS,
        backoffMaxSeconds: Math.max(parsed.AUTH_LOGIN_BACKOFF_MAX_SECONDS, parsed.AUTH_LOGIN_BACKOFF_BASE_SECONDS),
        redisPrefix: parsed.AUTH_LOGIN_THROTTLE_PREFIX,
      },
      passwordScreen: parsed.AUTH_PASSWORD_SCREEN === 'on',
    },
    blog: { tokenTtlSeconds: parsed.BLOG_TOKEN_TTL_SECONDS },
    files: {
      storage,
      maxBytes: parsed.FILES_MAX_BYTES,
      quotaBytes: parsed.FILES_QUOTA_BYTES,
      orphanHours: parsed.FILES_ORPHAN_HOURS,
      linkSecret: parsed.FILES_LINK_SECRET ? Buffer.from(parsed.FILES_LINK_SECRET) : undefined,
    },
    expenses: { rateMaxAgeDays: parsed.EXPENSES_RATE_MAX_AGE_DAYS },
    notes: {
      revisionsKept: parsed.NOTES_REVISIONS_KEPT,
      revisionWindowSeconds: parsed.NOTES_REVISION_WINDOW_SECONDS,
      trashDays: parsed.NOTES_TRASH_DAYS,
      syncRetentionDays: parsed.NOTES_SYNC_RETENTION_DAYS,
      importMaxFiles: parsed.NOTES_IMPORT_MAX_FILES,
      importMaxFileBytes: parsed.NOTES_IMPORT_MAX_FILE_BYTES,
    },
  };
}

function storageSettings(parsed: Env): Config['files']['storage'] {
  if (parsed.STORAGE_DRIVER === 'local')
    return { driver: 'local', dir: parsed.STORAGE_LOCAL_DIR, shared: parsed.STORAGE_LOCAL_SHARED };
  if (!parsed.S3_BUCKET) throw new ConfigError('Invalid configuration: STORAGE_DRIVER=s3 needs S3_BUCKET');
  const keyId = parsed.S3_ACCESS_KEY_ID;
  const secret = parsed.S3_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined)) {
    throw new ConfigError('Invalid configuration: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither');
  }
  return {
    driver: 's3',
    endpoint: parsed.S3_ENDPOINT,
    region: parsed.S3_REGION,
    bucket: parsed.S3_BUCKET,
    credentials: keyId && secret ? { accessKeyId: keyId, secretAccessKey: secret } : undefined,
    forcePathStyle: parsed.S3_FORCE_PATH_STYLE,
  };
}

/**
 * The session cookie is Secure in production unless told otherwise. A Secure cookie gets the
 * `__Host-` prefix, which makes browsers refuse it unless it is Secure, host-only and `Path=/`, so
 * no sibling subdomain can plant or overwrite it.
 */
function cookieSettings(parsed: Env): Config['auth']['cookie'] {
  const secure = parsed.AUTH_COOKIE_SECURE ?? parsed.NODE_ENV === 'production';
  const idle = parsed.AUTH_SESSION_IDLE_TIMEOUT_SECONDS;
  return {
    name: secure ? '__Host-gw_session' : 'gw_session',
    secure,
    idleTimeoutSeconds: idle,
    absoluteTimeoutSeconds: Math.max(parsed.AUTH_SESSION_ABSOLUTE_TIMEOUT_SECONDS, idle),
  };
}

interface AjvError {
  instancePath: string;
  message?: string;
  params: { allowedValues?: unknown[] };
}

/** Turns Ajv's errors into "PORT must be integer; NODE_ENV must be one of: …". */
function describeErrors(error: unknown): string {
  const errors = (error as { errors?: AjvError[] }).errors;
  if (!errors) return (error as Error).message;
  return errors
    .map((e) => {
      const name = e.instancePath.replace(/^\//, '');
      const allowed = e.params.allowedValues;
      return allowed ? `${name} must be one of: ${allowed.join(', ')}` : `${name} ${e.message}`;
    })
    .join('; ');
}

function readDotenv(path: string): Record<string, string | undefined> {
  try {
    return parseEnv(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
