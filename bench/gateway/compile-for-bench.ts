import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** JavaScript compiled for one benchmark run, and how to remove it. */
export interface CompiledTree {
  /** The directory that mirrors the repository: `<root>/src/...`, `<root>/bench/gateway/...`. */
  readonly root: string;
  readonly remove: () => void;
}

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bench scripts a compiled Switchyard child needs besides `src/`. */
const BENCH_FILES = [
  'bench/gateway/switchyard-process.ts',
  'bench/gateway/bare-proxy-process.ts',
  'bench/gateway/bare-proxies.ts',
  'bench/gateway/answer-parent.ts',
  'bench/gateway/bench-chat.ts',
];

/**
 * Compiles `src/` (tests left out) and the bench children's scripts to JavaScript in a temporary
 * directory, file by file with the repository's compiler options (the way `npm run build` emits them, without
 * type checking), so the benchmarked server runs as the published package does rather than under tsx, whose
 * `keepNames` transform wraps every function it creates in a naming call. Packages resolve through a link
 * to the repository's `node_modules`.
 *
 * @example
 * const compiled = compileForBench();
 * try {
 *   spawn(process.execPath, [join(compiled.root, 'bench/gateway/switchyard-process.js')]);
 * } finally {
 *   compiled.remove();
 * }
 */
export function compileForBench(): CompiledTree {
  const root = mkdtempSync(join(tmpdir(), 'switchyard-bench-js-'));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    const configFile = ts.readConfigFile(join(repository, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, repository);
    // The package is ESM (`"type": "module"`), which a file compiled alone cannot see: say it.
    const compilerOptions = {
      ...options,
      module: ts.ModuleKind.ESNext,
      sourceMap: false,
      declaration: false,
      noEmit: false,
    };
    const files = [
      ...sourceFiles(join(repository, 'src')),
      ...BENCH_FILES.map((file) => join(repository, file)),
    ];
    for (const file of files) {
      const output = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      const target = join(root, relative(repository, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, output.outputText);
    }
    writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    symlinkSync(join(repository, 'node_modules'), join(root, 'node_modules'), 'dir');
    return { root, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (
      /\.ts$/.test(entry.name) &&
      !/\.(test|test-helper|case|fixture)\.ts$|\.d\.ts$/.test(entry.name)
    ) {
      files.push(path);
    }
  }
  return files;
}
