import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadServerConfig, type ServerConfig } from '../server/config-file/load-server-config.js';
import type { CliIo } from './cli-io.js';

/** The config file `serve` reads when `--config` is not given and the file exists. */
export const DEFAULT_CONFIG_FILE = 'switchyard.yaml';

/** The config file: `--config`, else ./switchyard.yaml when present, else none (the embedded defaults). */
export async function readServerConfig(flag: string | undefined, io: CliIo): Promise<ServerConfig> {
  if (flag !== undefined) return loadServerConfig(resolve(io.cwd, flag), io.env);
  const fallback = resolve(io.cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? loadServerConfig(fallback, io.env) : {};
}
