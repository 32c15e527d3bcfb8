import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { LockedError } from '../errors/index.js';
import { CacheLock } from './CacheLock.js';
import { localHold } from './localLockHolds.js';

// An early fetch holds the cache lock while the store that will read its result waits for it
// in the same process (src/git/earlyFetch.ts): the release hands the lock over.
describe('CacheLock within one process', () => {
  afterAll(() => cleanupTempDirs());

  it('leaves a lock another host has taken meanwhile: no hand-over, no removal, and a waiter here waits for that host', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const lockFile = `${cacheDir}.lock`;
    const first = new CacheLock(cacheDir);
    expect(await first.tryAcquire()).toBe(true);
    // Another host on a shared disk judged this lock stale and took it.
    const theirs = JSON.stringify({ pid: 1, host: 'elsewhere', since: Date.now() });
    await fs.writeFile(lockFile, theirs);
    // A deadline far beyond a loaded machine's few steps to queue: the wait ends at it.
    const second = new CacheLock(cacheDir, { waitMs: 3_000 });
    const waiting = second.acquire();
    await expect.poll(() => localHold(lockFile)?.waiting.length, { timeout: 30_000 }).toBe(1);
    await first.release();
    await expect(waiting).rejects.toBeInstanceOf(LockedError);
    expect(await fs.readFile(lockFile, 'utf8')).toBe(theirs);
  });

  it('still gives up at its deadline when the holder in this process never releases', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const holder = new CacheLock(cacheDir);
    expect(await holder.tryAcquire()).toBe(true);
    await expect(new CacheLock(cacheDir, { waitMs: 200 }).acquire()).rejects.toBeInstanceOf(LockedError);
    await holder.release();
    const next = new CacheLock(cacheDir, { waitMs: 200 });
    await next.acquire();
    await next.release();
  });

  it('hands the lock to the holders waiting in this process in turn, never removing the file in between', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const lockFile = `${cacheDir}.lock`;
    const first = new CacheLock(cacheDir);
    expect(await first.tryAcquire()).toBe(true);
    const order: string[] = [];
    const second = new CacheLock(cacheDir, { waitMs: 60_000 });
    const third = new CacheLock(cacheDir, { waitMs: 60_000 });
    const gaveUp = new CacheLock(cacheDir, { waitMs: 50 });
    const queued = () => localHold(lockFile)?.waiting.length;
    const waits = [
      second.acquire().then(() => order.push('second')),
      gaveUp.acquire().then(
        () => order.push('gave up: acquired'),
        (error: unknown) => order.push(error instanceof LockedError ? 'gave up' : String(error)),
      ),
    ];
    await waits[1];
    waits.push(third.acquire().then(() => order.push('third')));
    await expect.poll(queued, { timeout: 30_000 }).toBe(2);
    // From here to the third holder: the lock file is neither removed nor created again.
    const unlinks = vi.spyOn(fs, 'unlink');
    const opens = vi.spyOn(fs, 'open');
    try {
      await first.release();
      await waits[0];
      await second.release();
      await waits[2];
      expect(unlinks.mock.calls.filter(([file]) => file === lockFile)).toEqual([]);
      expect(opens.mock.calls.filter(([file]) => file === lockFile)).toEqual([]);
    } finally {
      unlinks.mockRestore();
      opens.mockRestore();
    }
    expect(order).toEqual(['gave up', 'second', 'third']);
    // The file names this process, with the time of the last hand-over.
    expect(JSON.parse(await fs.readFile(lockFile, 'utf8')).pid).toBe(process.pid);
    await third.release();
    await expect(fs.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
