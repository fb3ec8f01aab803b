import { type Config, ConfigError } from './config.ts';

/**
 * Who is starting: the service itself, or a one-off tool (migrations, make-admin) that touches only
 * the database, so settings of the service alone (file storage) are not its concern.
 */
export type Starter = 'service' | 'tool';

/**
 * Settings that are fine on a laptop but unsafe once real browsers and several instances are involved.
 * The process entry points (`server.ts`, the migration CLI) refuse to start in production while any of
 * them holds; `loadConfig` itself stays a pure parser, so tests can build a production-mode app on the
 * embedded database. Each problem names the setting to change.
 */
export function productionProblems(config: Config, starter: Starter = 'service'): string[] {
  if (config.env !== 'production') return [];
  const problems: string[] = [];

  if (config.database.kind === 'pglite' && !config.pgliteInProduction) {
    problems.push(
      'DATABASE_URL is not set, so the embedded PGlite database would be used: its data lives on one instance’s disk ' +
        'and every further instance would get a database of its own. Set DATABASE_URL to a PostgreSQL server ' +
        '(or PGLITE_IN_PRODUCTION=true for a deliberate single-instance deployment with a persistent disk)',
    );
  }

  // The process cannot count its siblings (platforms scale and autoscale them), so the rule is
  // about intent: local file storage in production must be declared shared on purpose. Without
  // that, an upload would land on one instance's disk and be missing on every other.
  const storage = config.files.storage;
  if (starter === 'service' && storage.driver === 'local' && !storage.shared) {
    problems.push(
      'STORAGE_DRIVER is local, so uploaded files would live on this instance’s disk and be missing on every ' +
        'other instance. Set STORAGE_DRIVER=s3 with S3_BUCKET (and S3_ENDPOINT, S3_REGION, keys as your store ' +
        'needs), or STORAGE_LOCAL_SHARED=true when STORAGE_LOCAL_DIR is one volume every instance mounts, or ' +
        'there is a single instance',
    );
  }

  // Links in mail carry one-time tokens; the post-login redirect carries a log-in code. Each URL
  // defaults to the one before it, so a mistake is reported once, under the name that holds it.
  const urls = [
    { name: 'PUBLIC_URL', value: config.publicUrl, inherited: undefined },
    { name: 'APP_URL', value: config.appUrl, inherited: config.publicUrl },
    { name: 'OAUTH_POST_LOGIN_URL', value: config.oauth.postLoginUrl, inherited: `${config.appUrl}/` },
  ];
  for (const { name, value, inherited } of urls) {
    if (value === inherited) continue;
    // The schema checks only the scheme: a platform variable that expanded to nothing leaves "https://".
    if (!URL.canParse(value)) {
      problems.push(`${name} is "${value}", which is not a URL`);
      continue;
    }
    const url = new URL(value);
    if (url.protocol === 'https:' || isThisMachine(url)) continue;
    if (name !== 'PUBLIC_URL') {
      problems.push(
        `${name} is ${value}, plain http to another host: the tokens it carries would be readable on the way. Use https://`,
      );
    } else {
      problems.push(
        `PUBLIC_URL is ${value}, plain http to another host: ` +
          (config.auth.cookie.secure
            ? 'session cookies are Secure in production, so browsers would drop them'
            : 'session cookies would cross the network unencrypted') +
          ', and OAuth providers require https redirect URIs. Use https://',
      );
    }
  }
  if (!config.auth.cookie.secure && URL.canParse(config.publicUrl)) {
    const url = new URL(config.publicUrl);
    if (url.protocol === 'https:' && !isThisMachine(url)) {
      problems.push(
        `AUTH_COOKIE_SECURE is false: browsers would also send the session cookie of ${url.host} over plain http. ` +
          'Leave it unset (Secure in production)',
      );
    }
  }
  return problems;
}

/** Throws a `ConfigError` listing every problem `productionProblems` finds. */
export function assertSafeForProduction(config: Config, starter: Starter = 'service'): void {
  const problems = productionProblems(config, starter);
  if (problems.length) throw new ConfigError(`Unsafe configuration for production: ${problems.join('; ')}`);
}

/**
 * Loopback names and addresses: browsers treat http://localhost as a secure context (Secure cookies
 * work there), and nothing crosses a network, which is what a production-like local stack uses.
 */
function isThisMachine(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
