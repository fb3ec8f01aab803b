import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../../src/server.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  output(): { stdout: string; stderr: string };
  /** Resolves with the base URL once the server logs that it listens (production JSON logs). */
  listening(timeoutMs?: number): Promise<string>;
}

/** Starts `node src/server.ts` with only `env` (outside the repo, so no `.env` file is read). */
export function startServer(env: Record<string, string>): ServerProcess {
  const cwd = mkdtempSync(`${tmpdir()}/gw-server-`);
  after(() => rmSync(cwd, { recursive: true, force: true }));
  const child = spawn(process.execPath, [SERVER], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const output = () => ({ stdout, stderr });
  return {
    child,
    exited,
    output,
    async listening(timeoutMs = 60_000) {
      for (const deadline = Date.now() + timeoutMs; ; await sleep(50)) {
        const address = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        if (address) return address;
        if (child.exitCode !== null) throw new Error(`the server exited: ${JSON.stringify(output())}`);
        if (Date.now() > deadline) throw new Error(`the server did not start: ${JSON.stringify(output())}`);
      }
    },
  };
}
