import { execFileSync } from 'node:child_process';
import { chmodSync, promises as fs, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { createStore } from '../config/createStore.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { CliBackend } from './CliBackend.js';
import { abandonEarlyFetches, adoptEarlyFetch, earlyFetchHolds, startEarlyFetch } from './earlyFetch.js';
import { fetchArgs, REMOTE_REF } from './fetchArgs.js';
import { parseRemote } from './RemoteSpec.js';
import { createBareRepo } from './server/createBareRepo.js';

const head = (bare: string) => execFileSync('git', ['--git-dir', bare, 'rev-parse', 'refs/heads/main']).toString().trim();

// `gitfleet status` starts its fetch before the command has loaded (src/cli/startStatusFetch.ts);
// the store must take that fetch's result as its own, once, and never a wrong one.
describe('an early fetch', () => {
  let root: string;
  let bare: string;
  let cacheDir: string;
  let gitLog: string;
  const savedPath = process.env.PATH;
  const spec = () => ({ cacheDir, remote: parseRemote(bare), branch: 'main', networkTimeoutMs: 60_000 });
  const fetches = () =>
    readFileSync(gitLog, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith(`${cacheDir} fetch `)).length;
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
    // A git on PATH that notes every command it runs, then runs the real one: counts fetches.
    const bin = path.join(root, 'bin');
    gitLog = path.join(root, 'git.log');
    await fs.mkdir(bin);
    writeFileSync(gitLog, '');
    const realGit = execFileSync('sh', ['-c', 'command -v git']).toString().trim();
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$(pwd) $*" >> '${gitLog}'\nexec '${realGit}' "$@"\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    cleanupTempDirs();
  });

  it('starts nothing on a cold cache: the first fetch (shallow, set-up) is the store’s own', async () => {
    startEarlyFetch(spec());
    expect(adoptEarlyFetch(cacheDir, fetchArgs(bare, 'main', false))).toBeUndefined();
    const store = createStore({ remote: bare, cacheDir, actor: 'reader', freshForMs: 0 });
    expect((await store.snapshot()).commit).toBe(head(bare));
    await store.close();
  });

  it('is the one fetch of the store’s next read, under the store’s lock, and gives the head the remote has now', async () => {
    await write(1);
    const store = createStore({ remote: bare, cacheDir, actor: 'reader', freshForMs: 0 });
    const before = fetches();
    startEarlyFetch(spec());
    expect((await store.snapshot()).commit).toBe(head(bare));
    expect(fetches() - before).toBe(1);
    // Taken once: the next read fetches by itself, and sees what landed since.
    await write(2);
    expect((await store.snapshot()).commit).toBe(head(bare));
    expect(fetches() - before).toBe(2);
    await store.close();
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
    const backend = () => new CliBackend({ remote: parseRemote(bare), branch: 'main', cacheDir });
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

  it('that nobody takes is stopped, and its lock freed, without waiting for the remote', async () => {
    const { url, reached, close } = await silentRemote();
    try {
      startEarlyFetch({ cacheDir, remote: parseRemote(url), branch: 'main', networkTimeoutMs: 600_000 });
      await reached;
      expect(await fs.stat(`${cacheDir}.lock`)).toBeTruthy();
      await abandonEarlyFetches();
      await expect(fs.stat(`${cacheDir}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(adoptEarlyFetch(cacheDir, fetchArgs(url, 'main', false))).toBeUndefined();
      // git's HTTP helper went with it (it would wait on the silent socket for ever).
      if (process.platform === 'linux') expect(liveProcessesNaming(url)).toEqual([]);
    } finally {
      close();
    }
  });

  it('while it runs, lets the store start git’s object reader for the reads that follow', async () => {
    const { url, reached, close } = await silentRemote();
    const readers = () =>
      readFileSync(gitLog, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith(`${cacheDir} cat-file --batch-command`)).length;
    const backend = new CliBackend({ remote: parseRemote(url), branch: 'main', cacheDir });
    try {
      expect(earlyFetchHolds(cacheDir)).toBe(false);
      startEarlyFetch({ cacheDir, remote: parseRemote(url), branch: 'main', networkTimeoutMs: 600_000 });
      await reached;
      expect(earlyFetchHolds(cacheDir)).toBe(true);
      expect(earlyFetchHolds(path.join(root, 'writer'))).toBe(false);
      const before = readers();
      backend.prepareToRead();
      // Started while the fetch still waits on the remote (the lock is still its own).
      await expect.poll(readers, { timeout: 30_000 }).toBe(before + 1);
      expect(await fs.stat(`${cacheDir}.lock`)).toBeTruthy();
      await abandonEarlyFetches();
      expect(earlyFetchHolds(cacheDir)).toBe(false);
    } finally {
      await backend.close();
      close();
    }
  });

  it('while it runs, and only then, lets the store read what the cache held before it', async () => {
    const { url, reached, close } = await silentRemote();
    const store = createStore({ remote: url, cacheDir, actor: 'reader', freshForMs: 0 });
    try {
      expect(await store.snapshotBeforeFetch()).toBeNull();
      const held = execFileSync('git', ['--git-dir', cacheDir, 'rev-parse', REMOTE_REF]).toString().trim();
      startEarlyFetch({ cacheDir, remote: parseRemote(url), branch: 'main', networkTimeoutMs: 600_000 });
      await reached;
      const before = await store.snapshotBeforeFetch();
      expect(before?.commit).toBe(held);
      expect((await before!.list('status')).records.map((r) => r.server)).toEqual(['web-1']);
      await abandonEarlyFetches();
      expect(await store.snapshotBeforeFetch()).toBeNull();
    } finally {
      await store.close();
      close();
    }
  });
});

/** A remote that accepts connections and never answers: git would wait for the network timeout. */
async function silentRemote(): Promise<{ url: string; reached: Promise<void>; close: () => void }> {
  const sockets: net.Socket[] = [];
  let connected!: () => void;
  const reached = new Promise<void>((resolve) => (connected = resolve));
  const silent = net.createServer((socket) => {
    sockets.push(socket);
    connected();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const s of sockets) s.destroy();
    silent.close();
  };
  return { url: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/fleet.git`, reached, close };
}

/** Processes (not zombies) whose command line mentions `text`. */
function liveProcessesNaming(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmd.includes(text) && state !== 'Z') found.push(`${pid} ${cmd}`);
    } catch {}
  }
  return found;
}
