import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { LockedError } from '../errors/index.js';
import { CacheLock } from './CacheLock.js';
import { localHold } from './localLockHolds.js';

// An early fetch holds the cache lock while the store that will read its result waits for it
// in the same process (src/git/earlyFetch.ts): the waiter is woken by the release.
describe('CacheLock within one process', () => {
  afterAll(() => cleanupTempDirs());

  it('wakes a waiter in the same process on release, whatever the lock file says', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const first = new CacheLock(cacheDir);
    expect(await first.tryAcquire()).toBe(true);
    // The file now names a live owner on another host: a waiter that went by the file alone
    // would wait for it to turn stale (10 minutes) and fail at its deadline first.
    await fs.writeFile(`${cacheDir}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere', since: Date.now() }));
    const second = new CacheLock(cacheDir, { waitMs: 3_000 });
    expect(await second.tryAcquire()).toBe(false);
    const order: string[] = [];
    const waiting = second.acquire().then(() => order.push('second acquired'));
    await new Promise((resolve) => setImmediate(resolve));
    order.push('first releasing');
    await first.release();
    await waiting;
    expect(order).toEqual(['first releasing', 'second acquired']);
    expect(JSON.parse(await fs.readFile(`${cacheDir}.lock`, 'utf8')).pid).toBe(process.pid);
    await second.release();
    await expect(fs.stat(`${cacheDir}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
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

  it('hands the lock to the holders waiting in this process in turn, the file never gone in between', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const lockFile = `${cacheDir}.lock`;
    const first = new CacheLock(cacheDir);
    expect(await first.tryAcquire()).toBe(true);
    const inode = (await fs.stat(lockFile)).ino;
    // Another process checking the file meanwhile: it must never find the lock free.
    let sawFree = false;
    const looks: Promise<unknown>[] = [];
    const watching = setInterval(() => looks.push(fs.stat(lockFile).catch(() => (sawFree = true))), 1);
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
    await expect.poll(queued).toBe(2);
    await first.release();
    await waits[0];
    await second.release();
    await waits[2];
    expect((await fs.stat(lockFile)).ino).toBe(inode);
    clearInterval(watching);
    await Promise.all(looks);
    expect(looks.length).toBeGreaterThan(0);
    await third.release();
    expect(order).toEqual(['gave up', 'second', 'third']);
    expect(sawFree).toBe(false);
    await expect(fs.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
