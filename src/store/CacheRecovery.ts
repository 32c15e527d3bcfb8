import { AsyncLocalStorage } from 'node:async_hooks';
import { CacheCorruptError } from '../errors/index.js';
import type { GitBackend } from '../git/GitBackend.js';
import type { TypedEvents } from '../util/TypedEvents.js';
import type { StoreEvents } from './storeEvents.js';

/** The reads an incremental reader needs (FleetIndex, snapshots), with recovery. */
export type CacheReader = Pick<GitBackend, 'listTree' | 'readBlobs' | 'changedPaths'>;

export interface CacheRecoveryOptions {
  backend: GitBackend;
  events: TypedEvents<StoreEvents>;
  enabled: boolean;
  /** Runs `fn` with exclusive use of the cache (the store's queue and lock). */
  exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Fetches the remote head into the (fresh) cache. */
  fetch: () => Promise<string | null>;
}

/**
 * "Rebuild once, else CacheCorruptError": the rule for every read of the local cache,
 * not only for transactions. A read that meets a damaged cache (a missing or corrupt
 * object) drops the cache, fetches afresh and tries once more; a second failure is
 * final (exit 10). Reads that fail together share one rebuild. Inside the store's
 * exclusive section (a transaction, withCache) the rebuild happens in place; outside
 * it, it waits for its turn.
 */
export class CacheRecovery {
  readonly #inside = new AsyncLocalStorage<true>();
  #generation = 0;

  constructor(private readonly o: CacheRecoveryOptions) {}

  /** Marks `fn` as running with exclusive use of the cache. */
  insideExclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#inside.run(true, fn);
  }

  get isInside(): boolean {
    return this.#inside.getStore() === true;
  }

  /** Runs a read; on cache damage rebuilds the cache once and runs it again. */
  async run<T>(fn: () => Promise<T>, what: string): Promise<T> {
    const generation = this.#generation;
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof CacheCorruptError) || !this.o.enabled) throw error;
      // A transaction's plan reading through here: the transaction recovers by itself.
      if (this.isInside && what !== 'withCache') throw error;
      await this.#rebuild(generation, error);
      try {
        return await fn();
      } catch (again) {
        if (!(again instanceof CacheCorruptError)) throw again;
        throw new CacheCorruptError(`the local git cache was damaged and rebuilding it did not help (${what}: ${again.message})`, {
          hint: 'run again (the branch may have moved while the cache was rebuilt); if it keeps failing, check the disk and the permissions of the cache directory (see --cache-dir)',
          cause: again,
        });
      }
    }
  }

  /** The cache reads of the backend, each with recovery. */
  reader(): CacheReader {
    const b = this.o.backend;
    return {
      listTree: (commit, roots, options) => this.run(() => b.listTree(commit, roots, options), 'list'),
      readBlobs: (oids) => this.run(() => b.readBlobs(oids), 'read'),
      // No rebuild for a diff: its old commit may be gone for good (a compaction), and its
      // callers fall back to a full listing, which does rebuild.
      changedPaths: (from, to) => b.changedPaths(from, to),
    };
  }

  /** Counts a rebuild done elsewhere (a transaction's own recovery). */
  noteRebuilt(): void {
    this.#generation++;
  }

  async #rebuild(seen: number, error: CacheCorruptError): Promise<void> {
    const rebuild = async () => {
      // Another read rebuilt it meanwhile: use that.
      if (this.#generation !== seen) return;
      this.o.events.emit('cache.recover', { reason: error.message });
      this.#generation++;
      await this.o.backend.reset();
      await this.o.fetch();
    };
    return this.isInside ? rebuild() : this.o.exclusive(rebuild);
  }
}
