import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { CacheLock } from '../git/CacheLock.js';
import { cacheDirFor } from '../git/cacheLocation.js';
import { createBackend } from '../git/createBackend.js';
import { parseRemote, type RemoteSpec } from '../git/RemoteSpec.js';
import { Outbox } from '../store/Outbox.js';
import { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import type { ResolvedConfig } from './resolveConfig.js';

export interface Fleet {
  config: ResolvedConfig;
  remote: RemoteSpec;
  store: Store;
  /** The private cache of this remote and branch. */
  cacheDir: string;
  close(): Promise<void>;
}

/** Connects a resolved configuration to its fleet repository: backend, cache lock, outbox, store. */
export function openFleet(config: ResolvedConfig, options: { actor: string; logger?: Logger; recordCacheBytes?: number }): Fleet {
  if (!config.repo) {
    throw new ConfigError('no fleet repository given', {
      hint: 'pass --repo <url|path>, set GITFLEET_REPO, or put "repo" in gitfleet.config.json',
    });
  }
  const remote = parseRemote(config.repo, config.token, config.username);
  const cacheDir = cacheDirFor(config.cacheDir, remote.url, config.branch, config.backend);
  const backend = createBackend({
    kind: config.backend,
    remote,
    branch: config.branch,
    cacheDir,
    networkTimeoutMs: config.networkTimeoutMs,
  });
  const outboxDir = path.join(config.dataDir, 'outbox', path.basename(cacheDir));
  const store = new Store({
    backend,
    actor: options.actor,
    lock: new CacheLock(cacheDir, {
      onStale: (owner) => options.logger?.warn('cache.stale-lock', { pid: owner.pid, cache: cacheDir }),
    }),
    outbox: new Outbox(outboxDir),
    deadlineMs: config.deadlineMs,
    ...(options.recordCacheBytes ? { recordCacheBytes: options.recordCacheBytes } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { config, remote, store, cacheDir, close: () => store.close() };
}
