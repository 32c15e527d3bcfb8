import path from 'node:path';
import type { RemoteSpec } from '../git/RemoteSpec.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import { createStore } from './createStore.js';
import { fleetLocation } from './fleetLocation.js';
import type { ResolvedConfig } from './resolveConfig.js';

export interface Fleet {
  config: ResolvedConfig;
  remote: RemoteSpec;
  store: Store;
  /** The private cache of this remote and branch. */
  cacheDir: string;
  close(): Promise<void>;
}

/** Connects a resolved configuration to its fleet repository: its cache, outbox and store (see createStore). */
export function openFleet(config: ResolvedConfig, options: { actor: string; logger?: Logger; recordCacheBytes?: number }): Fleet {
  const { remote, cacheDir } = fleetLocation(config);
  const store = createStore({
    remote,
    branch: config.branch,
    backend: config.backend,
    cacheDir,
    networkTimeoutMs: config.networkTimeoutMs,
    actor: options.actor,
    outboxDir: path.join(config.dataDir, 'outbox', path.basename(cacheDir)),
    deadlineMs: config.deadlineMs,
    ...(options.recordCacheBytes ? { recordCacheBytes: options.recordCacheBytes } : {}),
    logger: options.logger,
  });
  return { config, remote, store, cacheDir, close: () => store.close() };
}
