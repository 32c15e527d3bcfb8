import path from 'node:path';
import { GitHttpServer } from '../git/server/GitHttpServer.js';
import { RelayRepository } from '../git/server/RelayRepository.js';
import { Relay, type RelayTickReport } from '../relay/Relay.js';
import { UnsupportedError } from '../errors/index.js';
import type { Logger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import type { Fleet } from './openFleet.js';

/** The user name agents give with the site token (any client of the relay is an agent of the site). */
export const RELAY_USERNAME = 'gitfleet-relay';
/** The repository a relay serves: agents use `<relay URL>` = http://host:port/fleet.git. */
export const RELAY_REPOSITORY = 'fleet.git';

export interface StartRelayOptions {
  /** The upstream fleet repository, opened with the relay's actor. */
  fleet: Fleet;
  /** Where the relay keeps its repository (the durable inbox and the mirror). */
  dir: string;
  host: string;
  port: number;
  /** The site token agents authenticate with. */
  token: string;
  periodMs: number;
  logger: Logger;
  /** The commit author of the folds. */
  actor: string;
  onTick?: (report: RelayTickReport) => void;
}

export interface RunningRelay {
  /** What agents are given as --relay. */
  url: string;
  relay: Relay;
  repository: RelayRepository;
  /** Stops the loop (after the tick in flight) and the server, and closes the upstream store. */
  stop(): Promise<void>;
}

/**
 * Wires a site relay: its repository (inbox and mirror) served by the loopback smart-HTTP
 * server with the site token, and the fold loop against the upstream store. One period
 * runs before the URL is handed out, so agents that come at once find a mirror to read.
 */
export async function startRelay(options: StartRelayOptions): Promise<RunningRelay> {
  const { fleet, logger } = options;
  const repository = new RelayRepository(path.join(options.dir, RELAY_REPOSITORY));
  await repository.prepare();
  const upstream = fleet.store;
  const relay = new Relay({
    upstream,
    actor: options.actor,
    logger,
    inbox: {
      read: (maxBytes) => repository.readInbox(maxBytes),
      mirror: (head) => upstream.withCache((backend) => repository.mirror(cacheDirOf(backend, fleet.cacheDir), head)),
    },
  });
  const server = new GitHttpServer({
    projectRoot: options.dir,
    host: options.host,
    port: options.port,
    auth: { username: RELAY_USERNAME, password: options.token },
    // A heartbeat push is a commit, a tree or two and a status file: a few KiB.
    maxRequestBytes: 8 * 1024 * 1024,
  });
  const controller = new AbortController();
  let loop: Promise<void> | undefined;
  try {
    await relay.tick().then(
      (report) => options.onTick?.(report),
      (error: unknown) => logger.warn('relay.tick-failed', { code: (error as { code?: string }).code ?? 'E_INTERNAL', reason: (error as Error).message }),
    );
    await server.start();
  } catch (error) {
    await server.stop();
    await fleet.close();
    throw error;
  }
  loop = (async () => {
    await sleep(options.periodMs, controller.signal).catch(() => undefined);
    await relay.run({ periodMs: options.periodMs, signal: controller.signal, ...(options.onTick ? { onTick: options.onTick } : {}) });
  })();
  return {
    url: `${server.url}/${RELAY_REPOSITORY}`,
    relay,
    repository,
    async stop() {
      controller.abort();
      await loop?.catch(() => undefined);
      loop = undefined;
      await server.stop();
      await fleet.close();
    },
  };
}

/** The upstream cache the mirror fetches from: the CLI backend's own folder. */
function cacheDirOf(backend: { kind: string }, cacheDir: string): string {
  if (backend.kind !== 'cli') throw new UnsupportedError('a relay needs the git CLI backend', { hint: 'drop --backend js (the relay runs git itself)' });
  return cacheDir;
}
