import { ConfigError } from '../errors/index.js';
import { cacheDirFor } from '../git/cacheLocation.js';
import { parseRemote } from '../git/RemoteSpec.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import { createStore } from './createStore.js';
import type { ResolvedConfig } from './resolveConfig.js';
import { RELAY_USERNAME } from './startRelay.js';

/** A relay that does not answer within this long is down for this cycle: the agent goes direct. */
export const RELAY_TIMEOUT_MS = 10_000;

/**
 * An agent's link to its site relay: a store that reads the relay's mirror of the fleet
 * (branch main there) and pushes this server's heartbeat commit to its own inbox ref,
 * refs/relay/inbox/<server>, replacing the previous one. No outbox and no retries: a
 * heartbeat the relay does not take goes to the fleet repository directly, which has both.
 */
export function openRelayLink(config: ResolvedConfig, server: string, relayUrl: string, logger?: Logger): Store {
  if (!config.relayToken)
    throw new ConfigError('a relay is configured but no relay token', { hint: 'set GITFLEET_RELAY_TOKEN, or put "relayTokenFile" in gitfleet.config.json' });
  if (!/^https?:\/\//i.test(relayUrl)) throw new ConfigError('the relay must be an http(s) URL', { hint: 'e.g. --relay http://relay.example:8479/fleet.git' });
  const remote = parseRemote(relayUrl, config.relayToken, RELAY_USERNAME);
  return createStore({
    remote,
    branch: 'main',
    backend: 'cli',
    cacheDir: `${cacheDirFor(config.cacheDir, remote.url, 'main', 'cli')}-relay-${server}`,
    pushRef: `refs/relay/inbox/${server}`,
    networkTimeoutMs: RELAY_TIMEOUT_MS,
    networkRetries: 0,
    deadlineMs: 2 * RELAY_TIMEOUT_MS,
    actor: server,
    ...(logger ? { logger } : {}),
  });
}
