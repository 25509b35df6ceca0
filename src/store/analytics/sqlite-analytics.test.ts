import { openStore } from '../open-store.js';
import { analyticsContract } from './analytics.case.js';

analyticsContract('sqlite :memory:', (options) => openStore('sqlite::memory:', options));
