import path from 'node:path';
import { createStore } from '../config/createStore.js';
import { dashboardAssetsDir } from '../site/dashboardAssets.js';
import { DashboardServer, DEFAULT_DASHBOARD_PORT } from '../site/DashboardServer.js';
import type { Logger } from '../util/logger.js';

export interface LocalDashboard {
  url: string;
  stop(): Promise<void>;
}

/**
 * The dashboard of the embedded fleet (`npm start`), on its own cache. Its default port
 * falls back to a free one like the git server's; a dashboard that was not built only
 * costs a warning, since the fleet itself runs without it.
 */
export async function startLocalDashboard(options: {
  repoUrl: string;
  dataDir: string;
  host: string;
  port?: number;
  logger: Logger;
}): Promise<LocalDashboard | null> {
  let assetsDir: string;
  try {
    assetsDir = dashboardAssetsDir();
  } catch (error) {
    options.logger.warn('local.no-dashboard', { reason: (error as Error).message });
    return null;
  }
  const store = createStore({
    remote: options.repoUrl,
    cacheDir: path.join(options.dataDir, 'cache', 'dashboard'),
    actor: 'op:dashboard',
    logger: options.logger,
    // The dashboard hands files on unparsed: the parsed-record cache is barely used.
    recordCacheBytes: 1024 * 1024,
  });
  // Quicker than the default 5 s: the demo fleet changes every few seconds, on loopback.
  const common = { store, assetsDir, host: options.host, pollMs: 2_000, logger: options.logger };
  let server = new DashboardServer({ ...common, port: options.port ?? DEFAULT_DASHBOARD_PORT });
  let url: string;
  try {
    try {
      ({ url } = await server.start());
    } catch (error) {
      await server.stop();
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port !== undefined) throw error;
      options.logger.warn('local.port-taken', { port: DEFAULT_DASHBOARD_PORT, using: 'a free port' });
      server = new DashboardServer({ ...common, port: 0 });
      ({ url } = await server.start());
    }
  } catch (error) {
    await server.stop();
    await store.close();
    throw error;
  }
  return {
    url,
    stop: async () => {
      await server.stop();
      await store.close();
    },
  };
}
