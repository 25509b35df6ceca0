import { afterAll, describe } from 'vitest';
import { openStore } from '../open-store.js';
import { postgresTestDatabase } from '../testing/postgres-test-database.js';
import { analyticsContract } from './analytics.case.js';

const postgres = await postgresTestDatabase('analytics');

describe.skipIf(postgres === undefined)('PostgreSQL analytics', () => {
  afterAll(() => postgres?.cleanup());
  analyticsContract('postgres', (options) => openStore(postgres!.schemaUrl(), options));
});
