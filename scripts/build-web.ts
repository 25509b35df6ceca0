import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/** Options of `buildWeb`. */
export interface BuildWebOptions {
  /** Where the files go; default `dist/web` of this checkout, where the server looks for them. */
  readonly outDir?: string;
  /** Minify the script and styles; default true. */
  readonly minify?: boolean;
}

/** What `buildWeb` wrote: the folder and the size of each file in bytes. */
export interface BuildWebResult {
  readonly outDir: string;
  readonly bytes: Readonly<Record<string, number>>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles the dashboard (src/web) into static files: app.js (Preact, uPlot and the pages, one ES module),
 * app.css, uplot.css and index.html, written last so a half-written build is never served.
 *
 * @example
 * const { outDir, bytes } = await buildWeb(); // dist/web, { 'app.js': 61234, ... }
 */
export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const outDir = options.outDir ?? join(root, 'dist', 'web');
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [
      { in: join(root, 'src/web/main.tsx'), out: 'app' },
      { in: join(root, 'src/web/app.css'), out: 'app' },
    ],
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    tsconfig: join(root, 'src/web/tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  await copyFile(require.resolve('uplot/dist/uPlot.min.css'), join(outDir, 'uplot.css'));
  await copyFile(join(root, 'src/web/index.html'), join(outDir, 'index.html'));
  const files = ['index.html', 'app.js', 'app.css', 'uplot.css'];
  const sizes = await Promise.all(files.map(async (file) => (await stat(join(outDir, file))).size));
  return { outDir, bytes: Object.fromEntries(files.map((file, index) => [file, sizes[index] ?? 0])) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { outDir, bytes } = await buildWeb();
  const listing = Object.entries(bytes)
    .map(([file, size]) => `${file} ${(size / 1024).toFixed(1)} KiB`)
    .join(', ');
  process.stdout.write(`dashboard built in ${outDir}: ${listing}\n`);
}
