import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PostgreSQL cluster of a test's own, on a free port, that the test may stop and start. */
export interface OwnPostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  /** Stops the server at once (`-m immediate`, as a crash or a failover would). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  cleanup(): Promise<void>;
}

/**
 * Creates a throwaway cluster (initdb into a temp folder, trust auth, no fsync) and starts it on a free
 * port, as the `postgres` user when running as root. Without PostgreSQL's binaries: throws under
 * `CI=true`, otherwise prints one line and resolves undefined so the caller can skip.
 */
export async function ownPostgresCluster(
  env: NodeJS.ProcessEnv = process.env,
): Promise<OwnPostgresCluster | undefined> {
  const bin = postgresBinaries();
  if (bin === undefined) {
    const line =
      'PostgreSQL binaries (initdb, pg_ctl) not found: install PostgreSQL to run the store outage suite';
    if (env.CI === 'true') throw new Error(line);
    console.warn(line);
    return undefined;
  }
  const root = await mkdtemp(join(tmpdir(), 'switchyard-pg-'));
  const asRoot = process.getuid?.() === 0;
  const as = async (command: string, args: string[]) => {
    const file = join(bin, command);
    await (asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args));
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout.trim()), Number(group.trim()));
  }
  const data = join(root, 'data');
  await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () =>
    as('pg_ctl', ['-D', data, '-o', options, '-l', join(root, 'log'), '-w', '-t', '60', 'start']);
  const stop = () => as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async cleanup() {
      if (running) await stop().catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The folder holding initdb and pg_ctl: on the PATH, or Debian's /usr/lib/postgresql/<version>/bin. */
function postgresBinaries(): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(':')) {
    if (folder !== '' && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl')))
      return folder;
  }
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
  return versions
    .map((version) => join(debian, version, 'bin'))
    .find((folder) => existsSync(join(folder, 'initdb')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
