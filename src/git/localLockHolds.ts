import { processWide } from '../util/processWide.js';

/**
 * A cache lock this process holds (CacheLock), with the holders in this process waiting for
 * it, first come first served.
 */
export interface LocalHold {
  waiting: Taker[];
}

/** A waiting holder: handed the lock with the hold it now has, or null when it was released instead. */
type Taker = (hold: LocalHold | null) => void;

/**
 * The cache locks this process holds, by lock file. Process-wide, as each bundle of the
 * installed CLI has a copy of this module (src/util/processWide.ts): the early fetch of
 * `status` takes a lock in one bundle and the store waits for it in the other.
 */
const holds = processWide('cacheLockHolds', () => new Map<string, LocalHold>());

export function localHold(file: string): LocalHold | undefined {
  return holds.get(file);
}

/** Notes that this process has just taken the lock `file` (waiters: those already queued for it). */
export function holdLocally(file: string, waiting: Taker[] = []): LocalHold {
  const hold = { waiting };
  holds.set(file, hold);
  return hold;
}

/**
 * Passes the lock to the first holder in this process waiting for it, and says whether
 * there was one. The lock file stays, naming this process (CacheLock checks that it still
 * does): removing it for the waiter to create again cost four thread-pool round trips
 * (~1.5 ms between `status`'s early fetch and its read), and left a moment in which another
 * process could take it first.
 */
export function handOver(file: string, hold: LocalHold): boolean {
  const next = hold.waiting.shift();
  if (!next) return false;
  next(holdLocally(file, hold.waiting));
  return true;
}

/**
 * Forgets `hold` once its lock file is gone; holders that queued for it while the file was
 * being removed try again.
 */
export function dropLocalHold(file: string, hold: LocalHold): void {
  // Only this holder's own entry: another may have taken the lock since.
  if (holds.get(file) === hold) holds.delete(file);
  for (const take of hold.waiting.splice(0)) take(null);
}

/**
 * Waits, at most `ms`, for `hold` to be handed over to this waiter: the hold it then has,
 * 'released' when the lock was released instead (try the file again), or 'timeout' (the
 * waiter is then out of the queue).
 */
export function waitForHandOver(hold: LocalHold, ms: number): Promise<LocalHold | 'released' | 'timeout'> {
  return new Promise((resolve) => {
    const take: Taker = (handed) => {
      clearTimeout(timer);
      resolve(handed ?? 'released');
    };
    const timer = setTimeout(() => {
      const at = hold.waiting.indexOf(take);
      if (at >= 0) hold.waiting.splice(at, 1);
      resolve('timeout');
    }, ms);
    hold.waiting.push(take);
  });
}
