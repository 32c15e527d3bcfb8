import path from 'node:path';
import { createStore, type CreateStoreOptions } from '../../src/config/createStore.js';
import type { Store } from '../../src/store/Store.js';
import { tempDir } from './tempDir.js';

export interface OpenStoreOptions extends Partial<Omit<CreateStoreOptions, 'remote'>> {
  url: string;
}

/** A Store on its own fresh cache, as a separate server would have (see createStore). */
export function openStore(options: OpenStoreOptions): Store {
  const { url, ...rest } = options;
  const cacheDir = options.cacheDir ?? path.join(tempDir('gitfleet-cache-'), 'cache');
  return createStore({
    actor: 'test-server',
    outboxDir: path.join(path.dirname(cacheDir), 'outbox'),
    networkTimeoutMs: 20_000,
    ...rest,
    remote: url,
    cacheDir,
  });
}
