import { existsSync, promises as fs } from 'node:fs';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { AGENT_CACHE_BYTES, createAgent } from '../config/createAgent.js';
import { createStore } from '../config/createStore.js';
import { resolveAgentConfig } from '../config/resolveAgentConfig.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { createBareRepo } from '../git/server/createBareRepo.js';
import { runGit } from '../git/runGit.js';
import { GitHttpServer } from '../git/server/GitHttpServer.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import { runAgentDaemon } from '../agent/runAgentDaemon.js';
import { simulatedCollector } from '../status/simulatedCollector.js';
import { Coordinator } from '../coordinator/Coordinator.js';
import { runCoordinatorLoop } from '../coordinator/runCoordinatorLoop.js';
import { DEMO_KINDS, startDemoJobs } from './demoJobs.js';
import { startDemoMessages } from './demoMessages.js';
import { startLocalDashboard } from './startLocalDashboard.js';

export interface LocalFleetOptions {
  /** Where the embedded fleet keeps its repository and caches (default .gitfleet-local). */
  dataDir: string;
  host?: string;
  /** Port of the git server; when the default is taken, a free one is used. */
  port?: number;
  logger: Logger;
  /** How many simulated agents to run (default: all of LOCAL_SERVERS). */
  agents?: number;
  /** Let the simulated servers exchange demo messages, reported through this function. */
  demo?: (line: string) => void;
  /** Port of the dashboard (default 8480, or a free one when that is taken). */
  dashboardPort?: number;
}

/** The simulated servers of the local fleet: distinct ids and labels. */
export const LOCAL_SERVERS: readonly { id: string; labels: string[] }[] = [
  { id: 'web-01', labels: ['web', 'linux'] },
  { id: 'web-02', labels: ['web', 'linux'] },
  { id: 'build-01', labels: ['build', 'linux', 'docker'] },
  { id: 'build-02', labels: ['build', 'linux', 'gpu'] },
  { id: 'db-01', labels: ['db', 'linux'] },
];

export interface LocalFleet {
  /** The fleet repository over loopback HTTP. */
  repoUrl: string;
  servers: string[];
  dataDir: string;
  bareDir: string;
  server: GitHttpServer;
  /** The dashboard with live data, or null when it was not built. */
  dashboardUrl: string | null;
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
  const store = createStore({ remote: repoUrl, cacheDir: path.join(dataDir, 'cache', 'local-init'), actor: 'op:local', logger: options.logger });
  await store.transact(
    'init local fleet',
    // Calm on a busy laptop: a 30 s heartbeat (suspect after 90 s of silence) does not
    // flap when the machine is slow for a moment, so the demo shows the product, not the laptop.
    initFleetPlan({
      name: 'local fleet',
      heartbeat: { periodSeconds: 30, sampleSeconds: 10 },
      pushBudget: { pushesPerMinute: 600 },
      coordinator: { leaseSeconds: 30, tickSeconds: 2 },
      jobs: { retryBaseSeconds: 5, retryMaxSeconds: 60 },
    }),
    { createBranch: true },
  );
  await store.close();
  // Before the agents: a dashboard port that is taken then stops nothing but the git server.
  const dashboard = await startLocalDashboard({
    repoUrl,
    dataDir,
    host,
    logger: options.logger,
    ...(options.dashboardPort !== undefined ? { port: options.dashboardPort } : {}),
  }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });

  // Simulated servers: the real agent code, with made-up metrics.
  const controller = new AbortController();
  // Every agent, its job loop and the coordinator wait on this one signal: not a leak.
  setMaxListeners(100, controller.signal);
  const running: Promise<void>[] = [];
  const servers = LOCAL_SERVERS.slice(0, options.agents ?? LOCAL_SERVERS.length);
  const stores = new Map<string, Store>();
  const demo = options.demo ? startDemoMessages(stores, { everyMs: 20_000, logger: options.logger, say: options.demo }) : null;
  for (const { id, labels } of servers) {
    const agentStore = createStore({
      remote: repoUrl,
      cacheDir: path.join(dataDir, 'cache', id),
      actor: id,
      outboxDir: path.join(dataDir, 'outbox', id),
      logger: options.logger,
      recordCacheBytes: AGENT_CACHE_BYTES,
    });
    const { agent, jobs } = createAgent({
      server: id,
      store: agentStore,
      remoteUrl: repoUrl,
      logger: options.logger,
      collector: simulatedCollector(id),
      mode: 'simulated',
      stateFile: path.join(dataDir, 'agents', `${id}.json`),
      // As if each simulated server had this local config.
      config: resolveAgentConfig(
        { labels, jobs: { kinds: DEMO_KINDS, slots: 2, pollSeconds: 1, logDir: path.join(dataDir, 'job-logs', id) } },
        dataDir,
        dataDir,
      ),
      ...(demo ? { onMessages: (messages: import('../schema/types.js').Message[]) => demo.onReceived(id, messages) } : {}),
    });
    stores.set(id, agentStore);
    running.push(runAgentDaemon(agent, { logger: options.logger, signal: controller.signal, ...(jobs ? { jobs } : {}) }).finally(() => agentStore.close()));
  }

  // The coordinator, in the same process: it assigns the demo jobs and fails over dead servers.
  const coordinatorStore = createStore({
    remote: repoUrl,
    cacheDir: path.join(dataDir, 'cache', 'coordinator'),
    actor: 'local-coordinator',
    logger: options.logger,
  });
  const coordinator = new Coordinator({
    store: coordinatorStore,
    holder: 'local-coordinator',
    remoteUrl: repoUrl,
    logger: options.logger,
    stateFile: path.join(dataDir, 'coordinator.json'),
  });
  await coordinator.restore();
  running.push(
    runCoordinatorLoop(coordinator, {
      signal: controller.signal,
      remoteUrl: repoUrl,
      ...(options.demo
        ? {
            onTick: (r) =>
              r.decisions.assign > 0 &&
              options.demo!(`coordinator assigned ${r.decisions.assign} job${r.decisions.assign === 1 ? '' : 's'}${r.waiting ? `, ${r.waiting} waiting` : ''}`),
          }
        : {}),
    }).finally(() => coordinatorStore.close()),
  );
  const demoJobs = options.demo ? startDemoJobs(coordinatorStore, { everyMs: 20_000, logger: options.logger, say: options.demo }) : null;
  // The demo's own remote receives small pushes all day, each a few loose objects: pack
  // them now and then so a demo left running does not fill the disk.
  const packRemote = setInterval(() => {
    runGit(['--git-dir', bareDir, 'gc', '--auto', '--quiet'], { cwd: projectRoot, env: { ...process.env } as Record<string, string> }).catch((error: unknown) =>
      options.logger.warn('local.gc-failed', { reason: (error as Error).message }),
    );
  }, 5 * 60_000);
  packRemote.unref();
  return {
    repoUrl,
    servers: servers.map((s) => s.id),
    dataDir,
    bareDir,
    server,
    dashboardUrl: dashboard?.url ?? null,
    stop: async () => {
      clearInterval(packRemote);
      demo?.stop();
      demoJobs?.stop();
      controller.abort();
      await Promise.allSettled(running);
      await dashboard?.stop();
      await server.stop();
    },
  };
}
