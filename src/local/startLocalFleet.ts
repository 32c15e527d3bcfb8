import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { CacheLock } from '../git/CacheLock.js';
import { CliBackend } from '../git/CliBackend.js';
import { parseRemote } from '../git/RemoteSpec.js';
import { initFleetPlan } from '../fleet/initFleetPlan.js';
import { createBareRepo } from '../serve/createBareRepo.js';
import { GitHttpServer } from '../serve/GitHttpServer.js';
import { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';

export interface LocalFleetOptions {
  /** Where the embedded fleet keeps its repository and caches (default .gitfleet-local). */
  dataDir: string;
  host?: string;
  /** Port of the git server; when the default is taken, a free one is used. */
  port?: number;
  logger: Logger;
}

export interface LocalFleet {
  /** The fleet repository over loopback HTTP. */
  repoUrl: string;
  dataDir: string;
  bareDir: string;
  server: GitHttpServer;
  stop(): Promise<void>;
}

export const DEFAULT_LOCAL_PORT = 8470;

/**
 * The embedded default fleet behind `npm start`: a bare repository in a data folder,
 * created on first run, served over loopback HTTP by git http-backend, and initialised.
 */
export async function startLocalFleet(options: LocalFleetOptions): Promise<LocalFleet> {
  const dataDir = path.resolve(options.dataDir);
  const projectRoot = path.join(dataDir, 'remote');
  const bareDir = path.join(projectRoot, 'fleet.git');
  await fs.mkdir(projectRoot, { recursive: true });
  if (!existsSync(path.join(bareDir, 'HEAD'))) {
    await createBareRepo(bareDir);
    options.logger.info('local.repo-created', { path: bareDir });
  }
  const host = options.host ?? '127.0.0.1';
  let server = new GitHttpServer({ projectRoot, host, port: options.port ?? DEFAULT_LOCAL_PORT });
  try {
    await server.start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port !== undefined) throw error;
    options.logger.warn('local.port-taken', { port: DEFAULT_LOCAL_PORT, using: 'a free port' });
    server = await new GitHttpServer({ projectRoot, host, port: 0 }).start();
  }
  const repoUrl = `${server.url}/fleet.git`;
  const cacheDir = path.join(dataDir, 'cache', 'local-init');
  const store = new Store({
    backend: new CliBackend({ remote: parseRemote(repoUrl), branch: 'main', cacheDir }),
    actor: 'op:local',
    lock: new CacheLock(cacheDir),
    logger: options.logger,
  });
  await store.transact('init local fleet', initFleetPlan({ name: 'local fleet', pushBudget: { pushesPerMinute: 600 } }), { createBranch: true });
  await store.close();
  return {
    repoUrl,
    dataDir,
    bareDir,
    server,
    stop: () => server.stop(),
  };
}
