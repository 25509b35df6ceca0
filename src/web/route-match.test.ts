import { describe, expect, it } from 'vitest';
import { matchRoute, pathOf } from './route-match.js';

describe('matchRoute', () => {
  it('names the page of every dashboard path', () => {
    expect(matchRoute('/')).toEqual({ page: 'features' });
    expect(matchRoute('/features')).toEqual({ page: 'features' });
    expect(matchRoute('/features/coach-reply')).toEqual({ page: 'feature', key: 'coach-reply' });
    expect(matchRoute('/features/coach-reply/metrics/')).toEqual({
      page: 'feature-metrics',
      key: 'coach-reply',
    });
    expect(matchRoute('/experiments/coach-v2')).toEqual({ page: 'experiment', key: 'coach-v2' });
    for (const page of ['experiments', 'alerts', 'audit', 'events'] as const) {
      expect(matchRoute(`/${page}`)).toEqual({ page });
    }
  });

  it('reads escaped keys and calls anything else not found', () => {
    expect(matchRoute(pathOf('feature', 'a b'))).toEqual({ page: 'feature', key: 'a b' });
    expect(matchRoute('/features/x/history')).toEqual({ page: 'not-found' });
    expect(matchRoute('/alerts/x')).toEqual({ page: 'not-found' });
    expect(matchRoute('/nothing')).toEqual({ page: 'not-found' });
    expect(matchRoute('/features/%E0%A4%A')).toEqual({ page: 'feature', key: '%E0%A4%A' });
  });
});
