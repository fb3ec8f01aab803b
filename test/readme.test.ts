import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildTestApp } from './helpers/app.ts';

/** The README's first sections, as a new user follows them. */
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The text of a `## title` section, up to the next `## `. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

const codeBlocks = (text: string) => [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);

test('Quick start: the two commands CI runs, the port, and the warnings an older npm prints', () => {
  const quickStart = section('Quick start');
  assert.deepEqual(codeBlocks(quickStart)[0]?.trim().split('\n'), ['npm install && npm start', 'npm test']);
  assert.match(quickStart, /`PORT=8080 npm start`/);
  assert.match(quickStart, /EBADENGINE/);
});

const hasCurl = spawnSync('curl', ['--version']).status === 0;

test('Getting started: every curl example runs as written and answers 2xx', {
  skip: hasCurl ? false : 'curl is absent',
}, async () => {
  const app = await buildTestApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // Each command, its `\` continuations joined, without comments or the variable lines a reader pastes into.
  const commands = codeBlocks(section('Getting started: the first calls'))
    .flatMap((block) => block.replaceAll('\\\n', ' ').split('\n'))
    .filter((line) => line.startsWith('curl '));
  assert.ok(commands.length >= 6, `only ${commands.length} curl examples`);

  // What the reader pastes, taken from the answers as they come.
  const env: Record<string, string> = {};
  for (const command of commands) {
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', `${command.replaceAll('localhost:3000', base)} -w '\\n%{http_code}'`],
      { env: { ...env, PATH: process.env.PATH ?? '' } },
    );
    const [body = '', status = ''] = stdout.split(/\n(?=\d{3}$)/);
    assert.match(status, /^2\d\d$/, `${command}\n→ ${status} ${body}`);
    const answer = JSON.parse(body);
    if (answer.accessToken) Object.assign(env, { ACCESS: answer.accessToken, REFRESH: answer.refreshToken });
    if (answer.user?.token) env.TOKEN = answer.user.token;
  }
  assert.deepEqual(Object.keys(env).sort(), ['ACCESS', 'REFRESH', 'TOKEN']);
});
