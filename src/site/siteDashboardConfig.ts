import { UsageError } from '../errors/index.js';
import { checkDashboardConfig, type DashboardConfig } from './dashboardConfig.js';
import { SNAPSHOT_FILE } from './writeSiteSnapshot.js';

export interface SiteDashboardOptions {
  /** `owner/repo` for live refresh from GitHub; undefined or empty: the snapshot only. */
  github?: string | undefined;
  /** The branch the live view follows (needed with `github`). */
  branch: string;
  title?: string | undefined;
}

/**
 * The dashboard.json of a published site, checked with the same checker the page uses,
 * so a bad flag fails here (exit 2) instead of in every visitor's browser.
 */
export function siteDashboardConfig(options: SiteDashboardOptions): DashboardConfig {
  const config: DashboardConfig = { format: 'gitfleet-dashboard', version: 1, snapshot: SNAPSHOT_FILE, live: null };
  if (options.title !== undefined) config.title = options.title;
  if (options.github) {
    const parts = options.github.split('/');
    if (parts.length !== 2) {
      throw new UsageError(`--github ${JSON.stringify(options.github.slice(0, 120))} is not owner/repo`, { hint: 'e.g. --github acme/fleet' });
    }
    config.live = { type: 'github', owner: parts[0]!, repo: parts[1]!, branch: options.branch };
  }
  const checked = checkDashboardConfig(config);
  if ('error' in checked) {
    throw new UsageError(`cannot publish this dashboard.json: ${checked.error}`, {
      hint: '--github takes owner/repo (e.g. acme/fleet), --branch a branch name, --title at most 100 characters',
    });
  }
  return checked.config;
}
