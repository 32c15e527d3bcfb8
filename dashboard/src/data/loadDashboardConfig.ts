import { checkDashboardConfig, type DashboardConfig } from '../../../src/site/dashboardConfig.js';

const DEFAULT: DashboardConfig = { format: 'gitfleet-dashboard', version: 1, snapshot: 'snapshot.json', live: null };

/**
 * Reads dashboard.json beside the page. Missing means "snapshot only"; a broken one is
 * reported and the page still shows the snapshot.
 */
export async function loadDashboardConfig(): Promise<{ config: DashboardConfig; problem: string | null }> {
  try {
    const res = await fetch('dashboard.json', { cache: 'no-store' });
    if (res.status === 404) return { config: DEFAULT, problem: null };
    if (!res.ok) return { config: DEFAULT, problem: `dashboard.json: HTTP ${res.status}` };
    const checked = checkDashboardConfig(await res.json());
    return 'config' in checked ? { config: checked.config, problem: null } : { config: DEFAULT, problem: checked.error };
  } catch (error) {
    return { config: DEFAULT, problem: `dashboard.json is unreadable: ${(error as Error).message}` };
  }
}
