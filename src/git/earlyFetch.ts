import { existsSync } from 'node:fs';
import path from 'node:path';
import { CacheLock } from './CacheLock.js';
import { fetchArgs } from './fetchArgs.js';
import { gitEnvironment } from './gitEnvironment.js';
import type { RemoteSpec } from './RemoteSpec.js';
import { type RunGitResult, runGit } from './runGit.js';

export interface EarlyFetchSpec {
  cacheDir: string;
  remote: RemoteSpec;
  branch: string;
  networkTimeoutMs: number;
}

interface Started {
  result: Promise<RunGitResult | null>;
  stop: AbortController;
}

/** At most a few per process (one per command run); keyed by cache and argv. */
const started = new Map<string, Started>();
const keyOf = (cacheDir: string, args: readonly string[]) => `${cacheDir}\0${args.join('\0')}`;

/**
 * Starts the fetch a read-only command will make first, before the rest of the command
 * has loaded: git then talks to the remote on the other core while node compiles the
 * command (`gitfleet status` waited ~25 ms for git after ~45 ms of loading; docs/benchmarks.md).
 * Only for a warm CLI-backend cache whose lock is free at once: anything else (first fetch,
 * a busy or stale lock) is left to the normal path, which handles it. The lock is held for
 * the fetch and released when git exits, as the backend's own fetch would.
 */
export function startEarlyFetch(spec: EarlyFetchSpec): void {
  const { cacheDir } = spec;
  if (!existsSync(path.join(cacheDir, 'HEAD')) || !existsSync(path.join(cacheDir, 'FETCH_HEAD'))) return;
  const args = fetchArgs(spec.remote.url, spec.branch, false);
  const key = keyOf(cacheDir, args);
  if (started.has(key)) return;
  const lock = new CacheLock(cacheDir);
  const stop = new AbortController();
  const run = async (): Promise<RunGitResult | null> => {
    if (!(await lock.tryAcquire())) return null;
    try {
      return await runGit(args, { cwd: cacheDir, env: gitEnvironment(spec.remote).env, silenceMs: spec.networkTimeoutMs, signal: stop.signal });
    } finally {
      await lock.release();
    }
  };
  // Whatever goes wrong here, the normal fetch runs and reports it.
  started.set(key, { result: run().catch(() => null), stop });
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
