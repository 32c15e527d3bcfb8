import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { runGitfleet } from '../../tests/helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { CacheLock } from './CacheLock.js';
import { cacheDirFor } from './cacheLocation.js';
import { processStartTime } from './processStartTime.js';

// A stale lock whose pid now belongs to another live process blocked every command for
// 60 s, then failed. The owner is named by pid and start time, so reuse is seen at once.
describe.runIf(process.platform === 'linux')('CacheLock and reused process ids', () => {
  let other: ChildProcess;
  let remote: FleetRemote;

  beforeAll(async () => {
    // A live process that is not gitfleet: the pid a stale lock names after reuse.
    other = spawn('sleep', ['600'], { stdio: 'ignore' });
    await new Promise((resolve) => other.once('spawn', resolve));
    remote = await startFleetRemote();
    await openStore({ url: remote.httpUrl }).transact('init', initFleetPlan(), { createBranch: true });
  });
  afterAll(async () => {
    other.kill();
    await remote.close();
    cleanupTempDirs();
  });

  const writeLock = (cacheDir: string, start: string | null) =>
    fs.writeFile(`${cacheDir}.lock`, JSON.stringify({ pid: other.pid, host: os.hostname(), since: Date.now(), ...(start ? { start } : {}) }));

  it('takes over a lock naming a live pid whose process started at another time, without waiting', async () => {
    const cacheDir = path.join(tempDir('gitfleet-lock-'), 'cache');
    await writeLock(cacheDir, '1');
    const stale: unknown[] = [];
    // waitMs 0: a lock it believed held would fail at once instead of being taken over.
    const lock = new CacheLock(cacheDir, { waitMs: 0, onStale: (o) => stale.push(o) });
    await lock.acquire();
    expect(stale).toEqual([expect.objectContaining({ pid: other.pid, start: '1' })]);
    const owner = JSON.parse(await fs.readFile(`${cacheDir}.lock`, 'utf8')) as { pid: number; start?: string };
    expect(owner.pid).toBe(process.pid);
    expect(owner.start).toBe(await processStartTime(process.pid));
    await lock.release();
  });

  it('respects a lock of the same live process (pid and start time match)', async () => {
    const cacheDir = path.join(tempDir('gitfleet-lock-'), 'cache');
    await writeLock(cacheDir, await processStartTime(other.pid!));
    await expect(new CacheLock(cacheDir, { waitMs: 0 }).acquire()).rejects.toMatchObject({ code: 'E_LOCKED' });
  });

  it('takes a free lock at once without the thread pool, naming its owner as acquire does, and never a held one', async () => {
    const cacheDir = path.join(tempDir('gitfleet-lock-'), 'nested', 'cache');
    const lock = new CacheLock(cacheDir);
    expect(lock.tryAcquireNow()).toBe(true);
    const owner = JSON.parse(await fs.readFile(`${cacheDir}.lock`, 'utf8')) as { pid: number; start?: string };
    expect(owner).toMatchObject({ pid: process.pid, host: os.hostname(), start: await processStartTime(process.pid) });
    // Held in this process: a second holder waits for this one's release, then takes it.
    const second = new CacheLock(cacheDir, { waitMs: 60_000 });
    expect(second.tryAcquireNow()).toBe(false);
    const waiting = second.acquire();
    await lock.release();
    await waiting;
    await second.release();
    // Held by another live process: false, and its lock is left as it was.
    await writeLock(cacheDir, await processStartTime(other.pid!));
    const before = await fs.readFile(`${cacheDir}.lock`, 'utf8');
    expect(new CacheLock(cacheDir).tryAcquireNow()).toBe(false);
    expect(await fs.readFile(`${cacheDir}.lock`, 'utf8')).toBe(before);
    await fs.rm(`${cacheDir}.lock`);
  });

  it('the built CLI proceeds at once past such a lock', async () => {
    const root = tempDir('gitfleet-lock-cli-');
    const cacheRoot = path.join(root, 'cache');
    await fs.mkdir(cacheRoot, { recursive: true });
    await writeLock(cacheDirFor(cacheRoot, remote.httpUrl, 'main', 'cli'), '1');
    const run = await runGitfleet(['validate', '--repo', remote.httpUrl, '--cache-dir', cacheRoot, '--data-dir', path.join(root, 'data')]);
    expect(run.stderr).not.toMatch(/in use by process/);
    expect(run.code).toBe(0);
  }, 120_000);
});
