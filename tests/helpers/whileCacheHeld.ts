import { expect } from 'vitest';
import type { Store } from '../../src/store/Store.js';

/**
 * Proves `start` waits for the store's cache lock: the cache is held (withCache) while
 * `start` runs, and `probe` does the same git work without the lock. Once the probe has
 * finished, the locked work must still be waiting (it started earlier and would have
 * finished too, had it not waited). Then the cache is released and the result returned.
 */
export async function whileCacheHeld<T>(store: Store, start: () => Promise<T>, probe: () => Promise<unknown>): Promise<T> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const busy = store.withCache(async () => {
    entered();
    await held;
  });
  await inside;
  let done = false;
  const work = start().then((value) => {
    done = true;
    return value;
  });
  await probe();
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  expect(done, 'the work ran while another held the cache').toBe(false);
  release();
  await busy;
  return work;
}
