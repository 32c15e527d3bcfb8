import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LockedError } from '../errors/index.js';
import { sleep } from '../util/sleep.js';
import { dropLocalHold, handOver, holdLocally, type LocalHold, localHold, waitForHandOver } from './localLockHolds.js';
import { createLockFile, createLockFileNow, isThisProcess, type LockOwner, ownerText, readOwnerNow } from './lockOwnerFile.js';
import { processStartTime, processStartTimeNow } from './processStartTime.js';

export interface CacheLockOptions {
  /** How long to wait for a live owner before giving up. */
  waitMs?: number;
  /** A lock from another host (shared disk) older than this is considered stale. */
  foreignStaleMs?: number;
  onStale?: (owner: LockOwner) => void;
}

/**
 * Serialises processes that share one local cache. isomorphic-git locks only within a
 * process and git's own lock files are left behind by a killed process; this lock
 * names its owner (pid, host, and the process's start time), so a lock whose owner is
 * dead is taken over at once, also when its pid now belongs to another process (pids
 * are reused: after a reboot or a crash loop a stale lock used to block every command
 * for a minute, then fail). git's stale `*.lock` files inside the cache are removed with it.
 */
export class CacheLock {
  readonly #file: string;
  #held = false;
  /** What this process knows of the lock while this holder has it (localLockHolds.ts). */
  #hold: LocalHold | undefined;

  constructor(
    readonly cacheDir: string,
    private readonly options: CacheLockOptions = {},
  ) {
    this.#file = `${cacheDir}.lock`;
  }

  /** Runs `fn` holding the lock; re-entrant within one holder. */
  async with<T>(fn: () => Promise<T>): Promise<T> {
    // Held already (a nested call of the same holder): the outer call releases it.
    if (this.#held) return fn();
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  async acquire(): Promise<void> {
    const deadline = Date.now() + (this.options.waitMs ?? 60_000);
    await fs.mkdir(path.dirname(this.#file), { recursive: true });
    const start = await processStartTime(process.pid);
    let delay = 10;
    for (;;) {
      if (await this.#create(start)) return;
      // Held in this process (an early fetch, then the store: earlyFetch.ts): handed over by
      // its holder, within what the deadline leaves (then the file decides, as for any other owner).
      const local = localHold(this.#file);
      if (local && Date.now() < deadline) {
        const handed = await waitForHandOver(local, deadline - Date.now());
        if (handed === 'released') continue;
        if (handed !== 'timeout') return this.#holding(handed);
      }
      const owner = await this.#readOwner();
      if (owner === 'gone') continue;
      if (owner === null || (await this.#isStale(owner))) {
        if (await this.#breakStale(owner)) this.options.onStale?.(owner ?? { pid: -1, host: '?', since: 0 });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LockedError(`the local cache ${this.cacheDir} is in use by process ${owner.pid}`, {
          hint: 'wait for it to finish, or stop it; a lock of a process that has died is taken over automatically',
          data: { owner },
        });
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 250);
    }
  }

  /** Takes the lock if nobody holds it, stale or not; false at once otherwise (nothing is broken). */
  async tryAcquire(): Promise<boolean> {
    await fs.mkdir(path.dirname(this.#file), { recursive: true });
    return this.#create(await processStartTime(process.pid));
  }

  /**
   * tryAcquire without the thread pool, for a process that has nothing else to do yet: the
   * launcher's early fetch (earlyFetch.ts), where five thread-pool round trips (the pool's
   * threads start on first use) kept git from starting for ~1.5 ms.
   */
  tryAcquireNow(): boolean {
    mkdirSync(path.dirname(this.#file), { recursive: true });
    return createLockFileNow(this.#file, processStartTimeNow(process.pid)) && this.#take();
  }

  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    const hold = this.#hold;
    this.#hold = undefined;
    if (hold?.waiting.length && this.#handOver(hold)) return;
    try {
      // Only a file that names this process: another host on a shared disk may have judged
      // this lock stale and taken it (read at once, as for a hand-over: the promise API's four
      // round trips came after every read of `status`). unlink, not rm: fs.rm loads its
      // recursive remover first (~1 ms).
      if (isThisProcess(readOwnerNow(this.#file))) await fs.unlink(this.#file).catch(() => undefined);
    } finally {
      if (hold) dropLocalHold(this.#file, hold);
    }
  }

  async #create(start: string | null): Promise<boolean> {
    return (await createLockFile(this.#file, start)) && this.#take();
  }

  /**
   * Passes the lock to the first holder waiting for it in this process, while the file
   * still names this process (read without the thread pool: this is between `status`'s
   * fetch and its read), with the time of the hand-over: another host judges a lock by its
   * age, and a lock passed from holder to holder is not an old one.
   */
  #handOver(hold: LocalHold): boolean {
    const owner = readOwnerNow(this.#file);
    if (!isThisProcess(owner)) return false;
    try {
      writeFileSync(this.#file, ownerText(owner.start ?? null));
    } catch {
      return false;
    }
    return handOver(this.#file, hold);
  }

  /** This holder has just created the lock file. */
  #take(): true {
    this.#holding(holdLocally(this.#file));
    return true;
  }

  #holding(hold: LocalHold): void {
    this.#held = true;
    this.#hold = hold;
  }

  /** Removes git lock files left in the cache by a process that died mid-command. */
  static async removeGitLocks(dir: string): Promise<string[]> {
    const removed: string[] = [];
    const walk = async (d: string, depth: number): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory() && depth < 8 && entry.name !== 'objects') await walk(full, depth + 1);
        else if (entry.name.endsWith('.lock')) {
          await fs.rm(full, { force: true });
          removed.push(path.relative(dir, full));
        }
      }
    };
    await walk(dir, 0);
    return removed;
  }

  async #readOwner(): Promise<LockOwner | null | 'gone'> {
    try {
      const owner = JSON.parse(await fs.readFile(this.#file, 'utf8')) as LockOwner;
      return typeof owner.pid === 'number' ? owner : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      // Half-written by an owner that is starting right now, or garbage: judge by age.
      const stat = await fs.stat(this.#file).catch(() => null);
      if (!stat) return 'gone';
      return Date.now() - stat.mtimeMs > 5_000 ? null : { pid: -1, host: os.hostname(), since: stat.mtimeMs };
    }
  }

  async #isStale(owner: LockOwner): Promise<boolean> {
    if (owner.host !== os.hostname()) return Date.now() - owner.since > (this.options.foreignStaleMs ?? 10 * 60_000);
    if (owner.pid <= 0) return false;
    if (owner.pid === process.pid) return owner.start !== undefined && owner.start !== (await processStartTime(process.pid));
    try {
      process.kill(owner.pid, 0);
    } catch (error) {
      // EPERM: alive, owned by another user.
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
    // Alive, but is it the owner? A pid reused by another process started at another time.
    if (owner.start === undefined) return false;
    const start = await processStartTime(owner.pid);
    return start !== null && start !== owner.start;
  }

  /**
   * Removes a stale lock. Breakers serialise on a directory (mkdir is atomic) and
   * re-check the owner inside, so two processes that both saw the same dead owner
   * cannot remove a lock that a third process has just taken.
   */
  async #breakStale(seen: LockOwner | null): Promise<boolean> {
    const mutex = `${this.#file}.break`;
    try {
      await fs.mkdir(mutex);
    } catch {
      const stat = await fs.stat(mutex).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > 10_000) await fs.rm(mutex, { recursive: true, force: true });
      await sleep(5 + Math.random() * 20);
      return false;
    }
    try {
      const now = await this.#readOwner();
      const same = now === null ? seen === null : now !== 'gone' && seen !== null && now.pid === seen.pid && now.since === seen.since;
      if (!same) return false;
      await fs.rm(this.#file, { force: true });
      await CacheLock.removeGitLocks(this.cacheDir);
      return true;
    } finally {
      await fs.rm(mutex, { recursive: true, force: true });
    }
  }
}
