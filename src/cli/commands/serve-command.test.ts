import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../store/open-store.js';
import { runCli } from '../main.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const adminToken = `sy_serveadmin_${'s'.repeat(43)}`;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `switchyard serve` in its own process and waits until it prints the URL it listens on. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', SWITCHYARD_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(() => reject(new Error(`serve exited early:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function call(url: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('switchyard serve', () => {
  it('serves the config file features; on SIGTERM it finishes, flushes telemetry and exits 0', async () => {
    const db = join(directory, 'sigterm.db');
    const config = join(directory, 'switchyard.yaml');
    await writeFile(
      config,
      [
        'store: "sqlite::memory:"',
        'features:',
        '  - key: coach-reply',
        '    defaultVariant: v1',
        '    variants: { v1: { type: handler }, v2: { type: handler } }',
        '    rules: [{ id: rollout, split: { v1: 50, v2: 50 } }]',
      ].join('\n'),
    );
    // --db wins over the file's store.
    const served = await serve(['--config', config, '--db', `sqlite:${db}`], {
      SWITCHYARD_ADMIN_TOKEN: adminToken,
    });
    const decision = await call(served.url, '/api/decide', adminToken, {
      feature: 'coach-reply',
      context: { attributes: { userId: 'user-7' } },
    });
    expect(await decision.json()).toMatchObject({ feature: 'coach-reply', reason: 'SPLIT' });
    expect(served.output()).not.toContain(adminToken);
    // Handler variants that no process of this server can run are named before it listens.
    expect(served.output()).toContain(
      'switchyard: warning: feature coach-reply serves variant "v1" (default, rule rollout), a code handler',
    );
    expect(served.output()).toContain('feature coach-reply serves variant "v2" (rule rollout)');
    expect(served.output().indexOf('warning')).toBeLessThan(served.output().indexOf('listening on'));
    expect(await served.stop()).toBe(0);
    expect(served.output()).toContain('switchyard: stopped');

    const store = await openStore(`sqlite:${db}`);
    try {
      const events = (await store.listEvents({ type: 'decision' })).events;
      expect(events).toEqual([
        expect.objectContaining({ feature: 'coach-reply', unitId: 'user-7', reason: 'SPLIT' }),
      ]);
      expect((await store.listTokens()).map((token) => token.role)).toEqual(['admin']);
    } finally {
      await store.close();
    }
  });

  it('prints a generated admin token once, on the first start against a store without one', async () => {
    const db = `sqlite:${join(directory, 'generated.db')}`;
    const first = await serve(['--db', db]);
    const token = /admin token.*\n(sy_\S+)/.exec(first.output())?.[1];
    expect(token).toMatch(/^sy_[0-9a-f]{16}_/);
    expect((await call(first.url, '/api/tokens', token!)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    const second = await serve(['--db', db]);
    expect(second.output()).not.toMatch(/sy_[0-9a-f]{16}_/);
    expect((await call(second.url, '/api/features', token!)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});

describe('switchyard serve with bad input', () => {
  async function run(args: string[], env: Record<string, string> = {}) {
    let stderr = '';
    const code = await runCli(['serve', ...args], {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env,
      cwd: directory,
    });
    return { code, stderr };
  }

  it('exits 2 with one line naming the problem, before listening', async () => {
    const token = await run(['--db', 'sqlite::memory:'], { SWITCHYARD_ADMIN_TOKEN: 'hunter2' });
    expect(token).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^switchyard: invalid SWITCHYARD_ADMIN_TOKEN: .+\n$/),
    });
    const port = await run(['--port', 'http']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('invalid --port');
    await writeFile(
      join(directory, 'bad.yaml'),
      `providers:\n  openai:\n    type: openai\n    apiKey: \${OPENAI_API_KEY}\n`,
    );
    const config = await run(['--config', 'bad.yaml']);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(
      /providers\.openai\.apiKey: environment variable OPENAI_API_KEY is not set\n$/,
    );
    const missing = await run(['--config', 'nope.yaml']);
    expect(missing).toEqual({ code: 2, stderr: expect.stringContaining('cannot read it (ENOENT)') });
  });
});
