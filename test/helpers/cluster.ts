import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** Why a test that needs its own PostgreSQL cluster cannot run here, or undefined when it can. */
export function clusterUnavailable(): string | undefined {
  if (!existsSync(join(BIN, 'initdb'))) return `no PostgreSQL binaries in ${BIN}`;
  return undefined;
}

/** A port nothing listens on right now (the OS's pick), for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A throwaway PostgreSQL cluster of the test's own (initdb into a temp dir, its own port), which
 * the test may stop and start: the shared server is never touched. initdb refuses to run as root,
 * so as root it runs as the `postgres` user.
 */
export class TestCluster {
  readonly url: string;
  readonly #dir: string;
  readonly #port: number;
  readonly #asUser: string[];

  private constructor(dir: string, port: number, asUser: string[]) {
    this.#dir = dir;
    this.#port = port;
    this.#asUser = asUser;
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  static async create(): Promise<TestCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'gw-cluster-'));
    const root = process.getuid?.() === 0;
    if (root) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    const cluster = new TestCluster(dir, await freePort(), root ? ['runuser', '-u', 'postgres', '--'] : []);
    await cluster.#pg('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
    return cluster;
  }

  async start(): Promise<void> {
    // fsync off: these tests crash the service, never the machine.
    const options = `-p ${this.#port} -k ${this.#dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
    await this.#pg('pg_ctl', [
      '-D',
      join(this.#dir, 'data'),
      '-o',
      options,
      '-l',
      join(this.#dir, 'log'),
      '-w',
      'start',
    ]);
  }

  /** Stops at once (in-flight sessions are cut off), as an outage would. */
  async stop(): Promise<void> {
    await this.#pg('pg_ctl', ['-D', join(this.#dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => {});
    rmSync(this.#dir, { recursive: true, force: true });
  }

  async #pg(command: string, args: string[]) {
    const [program, ...rest] = [...this.#asUser, join(BIN, command), ...args];
    await run(program as string, rest, { cwd: this.#dir });
  }
}
