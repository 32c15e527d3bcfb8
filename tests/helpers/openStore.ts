import path from 'node:path';
import { CacheLock } from '../../src/git/CacheLock.js';
import { createBackend, type BackendKind } from '../../src/git/createBackend.js';
import { parseRemote } from '../../src/git/RemoteSpec.js';
import { Outbox } from '../../src/store/Outbox.js';
import { Store, type StoreOptions } from '../../src/store/Store.js';
import { tempDir } from './tempDir.js';

export interface OpenStoreOptions extends Partial<Omit<StoreOptions, 'backend'>> {
  url: string;
  backend?: BackendKind;
  token?: string;
  cacheDir?: string;
  networkTimeoutMs?: number;
}

/** A Store on its own fresh cache, as a separate server would have. */
export function openStore(options: OpenStoreOptions): Store {
  const cacheDir = options.cacheDir ?? path.join(tempDir('gitfleet-cache-'), 'cache');
  const backend = createBackend({
    kind: options.backend ?? 'cli',
    remote: parseRemote(options.url, options.token),
    branch: 'main',
    cacheDir,
    networkTimeoutMs: options.networkTimeoutMs ?? 20_000,
  });
  return new Store({
    actor: 'test-server',
    lock: new CacheLock(cacheDir),
    outbox: new Outbox(path.join(path.dirname(cacheDir), 'outbox')),
    ...options,
    backend,
  });
}
