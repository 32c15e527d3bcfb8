import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { createStore } from '../config/createStore.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { CacheLock } from './CacheLock.js';
import { CliBackend } from './CliBackend.js';
import { adoptEarlyFetch, fetchArgs, startEarlyFetch } from './earlyFetch.js';
import { parseRemote } from './RemoteSpec.js';
import { createBareRepo } from './server/createBareRepo.js';

const head = (bare: string) => execFileSync('git', ['--git-dir', bare, 'rev-parse', 'refs/heads/main']).toString().trim();

// `gitfleet status` starts its fetch before the command has loaded (src/cli/startStatusFetch.ts);
// the backend must take that fetch's result as its own, once, and never a wrong one.
describe('an early fetch', () => {
  let root: string;
  let bare: string;
  let cacheDir: string;
  const spec = () => ({ cacheDir, remote: parseRemote(bare), branch: 'main', networkTimeoutMs: 60_000 });
  const backend = () => new CliBackend({ remote: parseRemote(bare), branch: 'main', cacheDir });
  const write = async (seq: number) => {
    const store = createStore({ remote: bare, cacheDir: path.join(root, 'writer'), actor: 'writer', freshForMs: 0 });
    await store.transact(`status ${seq}`, () =>
      new ChangeSet().put('status', { schemaVersion: 1, server: 'web-1', updatedAt: new Date().toISOString(), seq, health: { state: 'healthy' } }),
    );
    await store.close();
  };

  beforeAll(async () => {
    root = tempDir();
    bare = path.join(root, 'fleet.git');
    cacheDir = path.join(root, 'cache');
    await createBareRepo(bare);
    const store = createStore({ remote: bare, cacheDir: path.join(root, 'writer'), actor: 'writer' });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    await store.close();
  });
  afterAll(() => cleanupTempDirs());

  it('starts nothing on a cold cache: the first fetch (shallow, set-up) is the backend’s own', async () => {
    startEarlyFetch(spec());
    expect(adoptEarlyFetch(cacheDir, fetchArgs(bare, 'main', false))).toBeUndefined();
    const first = backend();
    expect(await first.fetch()).toBe(head(bare));
    await first.close();
  });

  it('is taken by the backend’s fetch, once, and gives the head the remote has now', async () => {
    await write(1);
    startEarlyFetch(spec());
    const b = backend();
    expect(await b.fetch()).toBe(head(bare));
    // Taken: nothing left for a second fetch to adopt, which then runs git itself.
    expect(adoptEarlyFetch(cacheDir, fetchArgs(bare, 'main', false))).toBeUndefined();
    await write(2);
    expect(await b.fetch()).toBe(head(bare));
    await b.close();
  });

  it('does not run while another process holds the cache lock, and breaks no lock', async () => {
    const lockFile = `${cacheDir}.lock`;
    // The parent process (vitest's) is alive: a live owner.
    await fs.writeFile(lockFile, JSON.stringify({ pid: process.ppid, host: os.hostname(), since: Date.now() }));
    try {
      startEarlyFetch(spec());
      expect(await adoptEarlyFetch(cacheDir, fetchArgs(bare, 'main', false))).toBeNull();
      expect(JSON.parse(await fs.readFile(lockFile, 'utf8')).pid).toBe(process.ppid);
    } finally {
      await fs.rm(lockFile, { force: true });
    }
  });

  it('fails as the backend’s own fetch would when the remote is gone', async () => {
    const gone = path.join(root, 'moved.git');
    await fs.rename(bare, gone);
    try {
      const own = await backend()
        .fetch()
        .catch((e: unknown) => e as { code?: string; message?: string });
      startEarlyFetch(spec());
      const adopted = await backend()
        .fetch()
        .catch((e: unknown) => e as { code?: string; message?: string });
      expect(adopted).toMatchObject({ code: (own as { code?: string }).code, message: (own as { message?: string }).message });
      expect((own as { code?: string }).code).toMatch(/^E_/);
    } finally {
      await fs.rename(gone, bare);
    }
  });
});

describe('CacheLock within one process', () => {
  afterAll(() => cleanupTempDirs());

  it('hands the lock from one holder to the next waiting in the same process', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const first = new CacheLock(cacheDir);
    const second = new CacheLock(cacheDir);
    expect(await first.tryAcquire()).toBe(true);
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
});
