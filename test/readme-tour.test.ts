import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const tour = readFileSync(join(root, 'examples', 'tour.sh'), 'utf8');

describe('README tour', () => {
  it('lists exactly the commands that `npm run tour` runs, in order', () => {
    const steps = [...tour.matchAll(/^step (.+)$/gm)].map((match) => `npx switchyard ${match[1]}`);
    const section = readme.slice(readme.indexOf('`npm run tour` runs exactly these commands'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(steps.length).toBeGreaterThan(3);
    expect(block.trimEnd().split('\n')).toEqual(steps);
  });

  it('shows the demo options after `--`, where npm passes them on', () => {
    expect(readme).toContain('npm run demo -- --duration 90s --port 0');
    expect(readme).not.toMatch(/npm run demo --[a-z]/);
  });
});
