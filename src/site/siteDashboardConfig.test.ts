import { describe, expect, it } from 'vitest';
import { siteDashboardConfig } from './siteDashboardConfig.js';

describe('siteDashboardConfig', () => {
  it('live from GitHub with owner/repo, the snapshot only without', () => {
    expect(siteDashboardConfig({ github: 'acme/fleet', branch: 'main', title: 'Acme' })).toEqual({
      format: 'gitfleet-dashboard',
      version: 1,
      title: 'Acme',
      snapshot: 'snapshot.json',
      live: { type: 'github', owner: 'acme', repo: 'fleet', branch: 'main' },
    });
    expect(siteDashboardConfig({ github: '', branch: 'main' }).live).toBeNull();
    expect(siteDashboardConfig({ branch: 'main' }).live).toBeNull();
  });

  it.each([
    [{ github: 'acme', branch: 'main' }, /not owner\/repo/],
    [{ github: 'acme/fleet/x', branch: 'main' }, /not owner\/repo/],
    [{ github: 'ac me/fleet', branch: 'main' }, /owner/],
    [{ github: 'acme/fle"et', branch: 'main' }, /repository name/],
    [{ github: 'acme/fleet', branch: 'a..b' }, /branch/],
    [{ branch: 'main', title: 'x'.repeat(101) }, /title/],
  ])('refuses %j with a usage error', (options, reason) => {
    expect(() => siteDashboardConfig(options)).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(reason) }));
  });
});
