import { existsSync } from 'node:fs';
import path from 'node:path';
import { CacheLock } from './CacheLock.js';
import { fetchArgs } from './fetchArgs.js';
import { gitEnvironment } from './gitEnvironment.js';
import type { RemoteSpec } from './RemoteSpec.js';
import { type RunGitResult, runGit } from './runGit.js';
import { processWide } from '../util/processWide.js';

export interface EarlyFetchSpec {
  cacheDir: string;
  remote: RemoteSpec;
  branch: string;
  networkTimeoutMs: number;
}

interface Started {
  cacheDir: string;
  result: Promise<RunGitResult | null>;
  stop: AbortController;
  /** Whether it holds the cache's lock now (from before git starts until after it exits). */
  holds: boolean;
}

const NOTHING = Promise.resolve();
const NOTHING_FETCHED = Promise.resolve(null);

/**
 * At most a few per process (one per command run); keyed by cache and argv. Process-wide:
 * the installed launcher starts the fetch from a bundle of its own (src/util/processWide.ts).
 */
const started = processWide('earlyFetches', () => new Map<string, Started>());
const keyOf = (cacheDir: string, args: readonly string[]) => `${cacheDir}\0${args.join('\0')}`;

/**
 * Starts the fetch a read-only command will make first, before the rest of the command
 * has loaded: git then talks to the remote on the other core while node compiles the
 * command (`gitfleet status` waited ~25 ms for git after ~45 ms of loading; docs/benchmarks.md).
 * Only for a warm CLI-backend cache whose lock is free at once: anything else (first fetch,
 * a busy or stale lock) is left to the normal path, which handles it. The lock is held for
 * the fetch and released when git exits, as the backend's own fetch would.
 *
 * Resolves once git is running, or once it is clear that nothing will be fetched here: a
 * caller about to block the event loop (the launcher, compiling the CLI) waits for that
 * first, or the spawn would wait for it.
 */
export function startEarlyFetch(spec: EarlyFetchSpec): Promise<void> {
  const { cacheDir } = spec;
  if (!existsSync(path.join(cacheDir, 'HEAD')) || !existsSync(path.join(cacheDir, 'FETCH_HEAD'))) return NOTHING;
  const args = fetchArgs(spec.remote.url, spec.branch, false);
  const key = keyOf(cacheDir, args);
  if (started.has(key)) return NOTHING;
  const lock = new CacheLock(cacheDir);
  const stop = new AbortController();
  let running!: () => void;
  const spawned = new Promise<void>((resolve) => (running = resolve));
  const entry: Started = { cacheDir, result: NOTHING_FETCHED, stop, holds: false };
  const run = async (): Promise<RunGitResult | null> => {
    if (!lock.tryAcquireNow()) return null;
    entry.holds = true;
    try {
      const git = runGit(args, { cwd: cacheDir, env: gitEnvironment(spec.remote).env, silenceMs: spec.networkTimeoutMs, signal: stop.signal });
      running();
      return await git;
    } finally {
      entry.holds = false;
      await lock.release();
    }
  };
  // Whatever goes wrong here, the normal fetch runs and reports it.
  entry.result = run().catch(() => null);
  started.set(key, entry);
  return Promise.race([spawned, entry.result.then(() => undefined)]);
}

/**
 * The early fetch of exactly this argv in this cache, taken once: its result (git's exit
 * code and output, as if the backend had run it), or null when it did not run; undefined
 * when none was started.
 */
export function adoptEarlyFetch(cacheDir: string, args: readonly string[]): Promise<RunGitResult | null> | undefined {
  const key = keyOf(cacheDir, args);
  const fetch = started.get(key);
  started.delete(key);
  return fetch?.result;
}

/**
 * Whether an early fetch of this process holds `cacheDir` now: until it ends, nothing
 * changes that cache but the fetch itself, which only adds objects (CliBackend.prepareToRead).
 */
export function earlyFetchHolds(cacheDir: string): boolean {
  for (const fetch of started.values()) if (fetch.cacheDir === cacheDir && fetch.holds) return true;
  return false;
}

/**
 * Stops the early fetches no command took (one that failed before fetching, say on a bad
 * flag) and waits until their git has exited and the lock is free: the process then ends
 * at once instead of waiting for a fetch nobody reads (up to the network timeout).
 */
export async function abandonEarlyFetches(): Promise<void> {
  const left = [...started.values()];
  started.clear();
  for (const { stop } of left) stop.abort();
  await Promise.all(left.map(({ result }) => result));
}
