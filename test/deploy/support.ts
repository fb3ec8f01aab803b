import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import YAML from 'yaml';
import { EnvSchema, loadConfig } from '../../src/config.ts';
import { productionProblems, type Starter } from '../../src/production-guard.ts';

/** The repository root, where every platform looks for its files. */
export const ROOT = new URL('../../', import.meta.url);

export function repoFile(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

export function repoPathExists(path: string): boolean {
  return existsSync(new URL(path.replace(/^\.?\//, ''), ROOT));
}

/** YAML as the platforms read it; `<<` merge keys as Compose reads them. */
export function readYaml<T = Record<string, unknown>>(path: string): T {
  return YAML.parse(repoFile(path), { merge: true }) as T;
}

/** Every variable src/config.ts reads. */
export const CONFIG_VARIABLES = new Set(Object.keys(EnvSchema.properties));

/**
 * The production image as deploy/Dockerfile describes it: its final stage's environment, user,
 * command, and what each stage copies.
 */
export function readDockerfile() {
  const dockerfile = DockerfileParser.parse(repoFile('deploy/Dockerfile'));
  const stages: Array<{ name: string; instructions: Array<{ keyword: string; args: string[]; flags: string[] }> }> = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((arg) => arg.getValue());
    if (keyword === 'FROM') {
      stages.push({ name: args[2] ?? String(stages.length), instructions: [] });
      continue;
    }
    // COPY and RUN have flags (--from=, --mount=); other instructions have none.
    const withFlags = instruction as { getFlags?: () => Array<{ toString(): string }> };
    const flags = withFlags.getFlags?.().map(String) ?? [];
    stages.at(-1)?.instructions.push({ keyword, args, flags });
  }
  const runtime = stages.at(-1);
  assert.ok(runtime, 'deploy/Dockerfile has no stage');
  const env: Record<string, string> = {};
  for (const instruction of dockerfile.getENVs()) {
    for (const property of instruction.getProperties()) env[property.getName()] = property.getValue() ?? '';
  }
  const cmd = dockerfile.getCMDs().at(-1);
  const entrypoint = dockerfile.getENTRYPOINTs().at(-1);
  const user = runtime.instructions.findLast((i) => i.keyword === 'USER')?.args[0];
  return {
    stages,
    env,
    user,
    command: cmd ? (JSON.parse(cmd.getRawArgumentsContent() ?? '[]') as string[]) : [],
    entrypoint: entrypoint ? (JSON.parse(entrypoint.getRawArgumentsContent() ?? '[]') as string[]) : [],
  };
}

/** The commands a platform may run: npm's scripts (as written) and the image's command. */
export function knownCommands(): Map<string, string> {
  const pkg = JSON.parse(repoFile('package.json')) as { scripts: Record<string, string> };
  const commands = new Map(Object.entries(pkg.scripts).map(([name, command]) => [command, `npm run ${name}`]));
  commands.set(readDockerfile().command.join(' '), 'the Dockerfile CMD');
  return commands;
}

/** Asserts `command` is one of `knownCommands()` and that the file it runs is in the image. */
export function assertKnownCommand(command: string | string[], where: string) {
  const line = Array.isArray(command) ? command.join(' ') : command;
  assert.ok(knownCommands().has(line), `${where}: "${line}" is neither an npm script nor the Dockerfile's command`);
  const script = line.split(' ').find((word) => word.endsWith('.ts'));
  assert.ok(script && repoPathExists(script), `${where}: ${script} does not exist`);
  assert.ok(script.startsWith('src/'), `${where}: ${script} is outside src/, which is all the image copies`);
}

/**
 * Asserts every variable a platform sets is one the service reads, and that the set, with plausible
 * values for what the platform fills in at deploy time, is a valid production configuration — for the
 * service, or for a one-off tool (the migration step) that needs only the database.
 */
export function assertProductionEnv(env: Record<string, string>, where: string, starter: Starter = 'service') {
  for (const name of Object.keys(env)) {
    assert.ok(CONFIG_VARIABLES.has(name), `${where} sets ${name}, which src/config.ts does not read`);
  }
  const config = loadConfig({ ...readDockerfile().env, ...env });
  assert.equal(config.env, 'production', `${where}: not NODE_ENV=production`);
  assert.deepEqual(productionProblems(config, starter), [], `${where} is refused by the production guard`);
  return config;
}

/**
 * Asserts the instances of a multi-instance deployment share one file store: an S3 bucket (the
 * production guard already refuses unshared local storage; this says which store each platform uses).
 */
export function assertFilesInBucket(config: ReturnType<typeof loadConfig>, where: string) {
  const storage = config.files.storage;
  assert.equal(storage.driver, 's3', `${where}: uploaded files must go to a bucket every instance sees`);
  assert.ok(storage.driver === 's3' && storage.bucket, `${where}: S3_BUCKET`);
  return storage;
}
