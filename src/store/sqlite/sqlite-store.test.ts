import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { openStore } from '../open-store.js';
import { storeContract } from '../store.case.js';

storeContract('sqlite :memory:', (options) => openStore('sqlite::memory:', options), { kind: 'sqlite' });

describe('SQLite file store', () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-store-'));
  const urls: string[] = [];
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  storeContract(
    'sqlite file',
    (options) => {
      urls.push(`sqlite:${join(directory, `store-${urls.length + 1}.db`)}`);
      return openStore(urls.at(-1)!, options);
    },
    { kind: 'sqlite', reopen: (options) => openStore(urls.at(-1)!, options) },
  );
});
