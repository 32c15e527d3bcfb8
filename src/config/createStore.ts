import { CacheLock } from '../git/CacheLock.js';
import { createBackend, type BackendKind, type BackendTuning } from '../git/createBackend.js';
import { parseRemote, type RemoteSpec } from '../git/RemoteSpec.js';
import { Outbox } from '../store/Outbox.js';
import { Store, type StoreOptions } from '../store/Store.js';
import type { Logger } from '../util/logger.js';

export interface CreateStoreOptions
  extends Pick<StoreOptions, 'deadlineMs' | 'backoff' | 'freshForMs' | 'autoRecoverCache' | 'networkRetries' | 'recordCacheBytes' | 'commitQueue'> {
  /** The fleet repository: a URL or path (with `token` and `username` for HTTPS), or one parsed already. */
  remote: string | RemoteSpec;
  token?: string;
  username?: string;
  /** Default main. */
  branch?: string;
  /** Default cli (the git CLI). */
  backend?: BackendKind;
  /** This store's private clone: no other process may use it without the lock taken here. */
  cacheDir: string;
  networkTimeoutMs?: number;
  /** Cache housekeeping of the backends, for tests that need it to happen sooner. */
  tuning?: BackendTuning;
  /** Who commits: a server id or op:<name>. */
  actor: string;
  logger?: Logger;
  /** Push to this ref instead of the branch (an agent's inbox ref on a relay; the git CLI backend). */
  pushRef?: string;
  /** Where statuses and messages wait while the remote is unreachable; none when absent. */
  outboxDir?: string;
}

/**
 * The one place that builds a Store: the backend over its cache, the cache lock (a stale
 * lock that is broken is said in the log), the outbox, and the transaction settings.
 * The CLI (through openFleet), the local fleet, the tests and the benchmarks all use it,
 * so a store is wired the same way wherever it runs.
 */
export function createStore(options: CreateStoreOptions): Store {
  const { remote, token, username, branch, backend, cacheDir, networkTimeoutMs, tuning, outboxDir, logger, pushRef, ...transactions } = options;
  const spec = typeof remote === 'string' ? parseRemote(remote, token, username) : remote;
  return new Store({
    ...transactions,
    backend: createBackend({
      kind: backend ?? 'cli',
      remote: spec,
      branch: branch ?? 'main',
      cacheDir,
      ...(networkTimeoutMs !== undefined ? { networkTimeoutMs } : {}),
      ...(pushRef !== undefined ? { pushRef } : {}),
      ...tuning,
    }),
    lock: new CacheLock(cacheDir, {
      onStale: (owner) => logger?.warn('cache.stale-lock', { pid: owner.pid, cache: cacheDir }),
    }),
    ...(outboxDir !== undefined ? { outbox: new Outbox(outboxDir) } : {}),
    ...(logger ? { logger } : {}),
  });
}
