import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A server process started for the benchmark, with what the report needs to know of it. */
export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The Node options `npm start` runs the service with (`node <options> src/server.ts`): the
 * benchmark starts the service, and the baseline, with the same ones production uses.
 */
export function productionNodeOptions(): string[] {
  const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const [command, ...args] = String(packageJson.scripts.start).split(/\s+/);
  if (command !== 'node' || args.at(-1) !== 'src/server.ts') {
    throw new Error(`expected "start" to be "node [options] src/server.ts", found "${packageJson.scripts.start}"`);
  }
  return args.slice(0, -1);
}

/**
 * Starts `node <options> <entry>` with `env` and waits until `readyPath` answers 200. The
 * benchmark runs the service exactly as production does: its own process, the production Node
 * options, NODE_ENV=production, logs at `warn`.
 */
export async function startServer(entry: string, env: Record<string, string>, readyPath: string): Promise<Server> {
  const port = env.PORT ?? '0';
  const child = spawn(process.execPath, [...productionNodeOptions(), entry], {
    env: { ...process.env, ...env, PORT: port },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) return { url, pid: child.pid ?? 0, stop: () => stop(child) };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop(child);
  throw new Error(`${entry} was not ready within 60 s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

/** Samples a process's resident memory while `work` runs; returns the work's result and the peak. */
export async function withPeakRss<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakRssBytes: number }> {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 100);
  try {
    const result = await work;
    return { result, peakRssBytes: Math.max(peak, rssBytes(pid)) };
  } finally {
    clearInterval(timer);
  }
}

/** A process's resident memory now (0 when it is gone). */
export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
