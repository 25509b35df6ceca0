import { runCli } from './main.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with `env` and `cwd`, capturing what it prints. */
export async function runCliCapturing(
  argv: readonly string[],
  where: { env: Record<string, string>; cwd: string },
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...argv], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: where.env,
    cwd: where.cwd,
  });
  return { code, stdout, stderr };
}
