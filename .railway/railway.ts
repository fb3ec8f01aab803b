/**
 * Railway Infrastructure as Code (https://docs.railway.com/infrastructure-as-code): the whole project,
 * which Railway's per-service railway.json/railway.toml cannot describe. With the Railway CLI:
 *   npm ci && railway login && railway config plan && railway config apply
 * Replace OWNER/groundwork with your fork. Checked by test/deploy/platforms.test.ts.
 */
import { bucket, defineRailway, github, postgres, project, redis, service } from 'railway/iac';

/** The bucket's S3 settings, by the names of Railway's AWS SDK preset (expanded by Railway at deploy). */
const FILES_BUCKET = 'files';
const fromBucket = (variable: string) => `\${{${FILES_BUCKET}.${variable}}}`;

export default defineRailway((ctx) => {
  const db = postgres('postgres');
  const cache = redis('redis');
  // Uploaded files: a Railway Bucket (S3-compatible, private), one store every replica sees.
  const files = bucket(FILES_BUCKET, { region: 'iad' });

  const api = service('groundwork', {
    source: github('OWNER/groundwork'),
    build: { builder: 'DOCKERFILE', dockerfilePath: 'deploy/Dockerfile' },
    // Runs once per deploy, before the new replicas start; a failure stops the deploy.
    preDeploy: 'node src/db/cli.ts migrate',
    healthcheck: '/health/ready',
    healthcheckTimeout: 60,
    replicas: ctx.isEnvironment('production') ? 2 : 1,
    deploy: {
      restartPolicyType: 'ON_FAILURE',
      restartPolicyMaxRetries: 5,
      // The old deployment keeps serving for overlapSeconds after the new one is healthy; after SIGTERM
      // it gets drainingSeconds before SIGKILL, more than the service's SHUTDOWN_TIMEOUT_MS (10 s).
      overlapSeconds: 10,
      drainingSeconds: 30,
    },
    env: {
      DATABASE_URL: db.env.DATABASE_URL,
      REDIS_URL: cache.env.REDIS_URL,
      MIGRATE_ON_START: 'false',
      // Railway's edge terminates TLS and sets X-Forwarded-For/-Proto.
      TRUST_PROXY: 'true',
      // The domain Railway generates (Settings > Networking), or your custom one; Railway expands the reference.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Railway's reference syntax, expanded by Railway.
      PUBLIC_URL: 'https://${{RAILWAY_PUBLIC_DOMAIN}}',
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: fromBucket('AWS_ENDPOINT_URL'),
      S3_REGION: fromBucket('AWS_DEFAULT_REGION'),
      S3_BUCKET: fromBucket('AWS_S3_BUCKET_NAME'),
      S3_ACCESS_KEY_ID: fromBucket('AWS_ACCESS_KEY_ID'),
      S3_SECRET_ACCESS_KEY: fromBucket('AWS_SECRET_ACCESS_KEY'),
      // No FILES_LINK_SECRET: it signs only the local driver's links; s3 links are presigned by the store.
    },
  });

  return project('groundwork', { resources: [db, cache, files, api] });
});
