import path from 'node:path';
import { GitHttpServer } from '../git/server/GitHttpServer.js';
import { RelayParentLink } from '../git/server/RelayParentLink.js';
import { RelayRepository } from '../git/server/RelayRepository.js';
import { parseRemote } from '../git/RemoteSpec.js';
import { Relay, type RelayInbox, type RelayTickReport } from '../relay/Relay.js';
import { relayPhaseMs, nextPhaseDelay } from '../relay/relayPhase.js';
import { ConfigError, UnsupportedError } from '../errors/index.js';
import type { Logger } from '../util/logger.js';
import { sleep } from '../util/sleep.js';
import type { Fleet } from './openFleet.js';

/** The user name agents give with the site token (any client of the relay is an agent of the site). */
export const RELAY_USERNAME = 'gitfleet-relay';
/** The repository a relay serves: agents use `<relay URL>` = http://host:port/fleet.git. */
export const RELAY_REPOSITORY = 'fleet.git';

export interface StartRelayOptions {
  /** The upstream fleet repository, opened with the relay's actor (a top or single relay)... */
  fleet?: Fleet;
  /** ...or the parent relay this site relay forwards to (a chain): its URL and site token. */
  parent?: { url: string; token: string };
  /** Where the relay keeps its repository (the durable inbox and the mirror). */
  dir: string;
  host: string;
  port: number;
  /** The site token agents authenticate with. */
  token: string;
  periodMs: number;
  logger: Logger;
  /** The commit author of the folds (and, with the folder, what places its phase in the period). */
  actor: string;
  /** Tick at a phase derived from the actor and folder (default), or right after start then every period (false). */
  phased?: boolean;
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
  if (!fleet === !options.parent) throw new ConfigError('a relay needs exactly one of an upstream repository and a parent relay');
  const repository = new RelayRepository(path.join(options.dir, RELAY_REPOSITORY));
  await repository.prepare();
  const upstream = fleet?.store;
  const inbox: RelayInbox = {
    read: (maxBytes) => repository.readInbox(maxBytes),
    mirror: (head) => upstream!.withCache((backend) => repository.mirror(cacheDirOf(backend, fleet!.cacheDir), head)),
  };
  const relay = new Relay({
    ...(upstream ? { upstream } : {}),
    ...(options.parent ? { parent: new RelayParentLink(repository.dir, parseRemote(options.parent.url, options.parent.token, RELAY_USERNAME)) } : {}),
    actor: options.actor,
    logger,
    inbox,
  });
  const phaseMs = options.phased === false ? undefined : relayPhaseMs(`${options.actor}\u0000${path.resolve(options.dir)}`, options.periodMs);
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
      (report) => {
        if (report.result === 'committed' || report.result === 'forwarded')
          logger.info('relay.tick', { pending: report.pending, result: report.result, written: report.written.length, head: report.head?.slice(0, 10) });
        options.onTick?.(report);
      },
      (error: unknown) => logger.warn('relay.tick-failed', { code: (error as { code?: string }).code ?? 'E_INTERNAL', reason: (error as Error).message }),
    );
    await server.start();
  } catch (error) {
    await server.stop();
    await fleet?.close();
    throw error;
  }
  loop = (async () => {
    const first = phaseMs === undefined ? options.periodMs : nextPhaseDelay(Date.now(), options.periodMs, phaseMs);
    await sleep(first, controller.signal).catch(() => undefined);
    await relay.run({
      periodMs: options.periodMs,
      signal: controller.signal,
      ...(phaseMs === undefined ? {} : { phaseMs }),
      ...(options.onTick ? { onTick: options.onTick } : {}),
    });
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
      await fleet?.close();
    },
  };
}

/** The upstream cache the mirror fetches from: the CLI backend's own folder. */
function cacheDirOf(backend: { kind: string }, cacheDir: string): string {
  if (backend.kind !== 'cli') throw new UnsupportedError('a relay needs the git CLI backend', { hint: 'drop --backend js (the relay runs git itself)' });
  return cacheDir;
}
