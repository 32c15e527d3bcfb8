import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { createLogger } from '../../src/util/logger.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const TOKEN = 'ghp_PlantedTokenValue1234567890abcdefXYZ';
const AUTH = { username: 'x-access-token', password: TOKEN };

const status = (server: string, seq = 1): ServerStatus => ({
  schemaVersion: 1,
  server,
  updatedAt: new Date().toISOString(),
  seq,
  health: { state: 'healthy' },
});
const put = (s: ServerStatus) => () => new ChangeSet().put('status', s);

/** Every file under `dir`, read as bytes: nothing gitfleet writes may hold the token. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const name of existsSync(d) ? readdirSync(d) : []) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (readFileSync(full).includes(needle)) hits.push(full);
    }
  };
  walk(dir);
  return hits;
}

describe.each(['cli', 'js'] as const)('transaction failures (%s backend, http)', (backend) => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote({ auth: AUTH });
    const result = await openStore({ url: remote.httpUrl, backend, token: TOKEN }).transact('init', initFleetPlan(), { createBranch: true });
    expect(result.status).toBe('committed');
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('a wrong token: AuthError, one line, no token anywhere, remote unchanged', async () => {
    const wrong = 'ghp_WrongTokenValue0987654321zyxwvuFED';
    const before = remote.head();
    const logLines: string[] = [];
    const root = tempDir();
    const store = openStore({
      url: remote.httpUrl,
      backend,
      token: wrong,
      cacheDir: path.join(root, 'cache'),
      logger: createLogger({ level: 'debug', write: (l) => logLines.push(l) }),
    });
    const error = (await store.transact('x', put(status('web-01'))).catch((e: unknown) => e)) as Error & { code: string; hint: string };
    expect(error.code).toBe('E_AUTH');
    expect(error.message).not.toMatch(/\n/);
    expect(error.hint).toMatch(/GITFLEET_TOKEN/);
    const everything = JSON.stringify({ message: error.message, hint: error.hint, stack: error.stack, logLines });
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`x-access-token:${wrong}`).toString('base64'));
    expect(filesContaining(root, wrong)).toEqual([]);
    expect(remote.head()).toBe(before);
  });

  it('no token at all: AuthError instead of a hanging password prompt', async () => {
    const error = await openStore({ url: remote.httpUrl, backend })
      .transact('x', put(status('web-01')))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_AUTH' });
  });

  it('the right token works, and is in no file gitfleet wrote', async () => {
    const root = tempDir();
    const result = await openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir: path.join(root, 'cache') }).transact('ok', put(status('web-01')));
    expect(result.status).toBe('committed');
    expect(filesContaining(root, TOKEN)).toEqual([]);
  });

  it('a token written into the URL is moved out of it and redacted', async () => {
    const url = remote.httpUrl.replace('http://', `http://fleet:${encodeURIComponent('ghp_BadUrlToken12345678')}@`);
    const error = (await openStore({ url, backend })
      .transact('x', put(status('web-01')))
      .catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'E_AUTH' });
    expect(error.message).not.toContain('ghp_BadUrlToken12345678');
  });

  it('an unreachable remote: RemoteUnreachableError with a hint, or the outbox when asked', async () => {
    const dead = `http://127.0.0.1:9/fleet.git`;
    const store = openStore({ url: dead, backend, networkRetries: 0, networkTimeoutMs: 3000 });
    const error = (await store.transact('x', put(status('web-01'))).catch((e: unknown) => e)) as Error & { hint: string };
    expect(error).toMatchObject({ code: 'E_UNREACHABLE' });
    expect(error.hint).toMatch(/URL|network|server/);
    const queued = await store.transact('x', put(status('web-01')), { offline: { kind: 'status', key: 'status', payload: status('web-01') } });
    expect(queued).toMatchObject({ status: 'queued', outboxKey: 'status' });
    expect(await store.outbox!.list()).toHaveLength(1);
  });

  it('the outbox is sent when the remote returns', async () => {
    const store = openStore({ url: remote.httpUrl, backend, token: TOKEN, networkRetries: 0 });
    await remote.server.stop();
    try {
      const queued = await store.transact('offline', put(status('web-05', 3)), {
        offline: { kind: 'status', key: 'status-web-05', payload: status('web-05', 3) },
      });
      expect(queued.status).toBe('queued');
    } finally {
      await remote.server.start();
    }
    const flushed = await store.flushOutbox({ status: (p) => put(p as ServerStatus) });
    expect(flushed?.status).toBe('committed');
    expect(await store.outbox!.list()).toEqual([]);
    expect((await (await store.snapshot()).get('status', 'web-05'))?.seq).toBe(3);
  });

  it('a repository that does not exist: a clear error, not a crash', async () => {
    const error = await openStore({ url: remote.httpUrl.replace('fleet.git', 'nope.git'), backend, token: TOKEN, networkRetries: 0 })
      .transact('x', put(status('web-01')))
      .catch((e: unknown) => e);
    expect(['E_UNREACHABLE', 'E_BRANCH_NOT_FOUND']).toContain((error as { code: string }).code);
  });

  it('a damaged cache is rebuilt once, or reported as CacheCorruptError when recovery is off', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    await openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir }).transact('prime', put(status('web-06')));
    const garble = async () => {
      const objects = path.join(cacheDir, 'objects');
      const walk = async (d: string): Promise<void> => {
        for (const e of await fs.readdir(d, { withFileTypes: true })) {
          const full = path.join(d, e.name);
          if (e.isDirectory()) await walk(full);
          else {
            await fs.chmod(full, 0o644);
            await fs.writeFile(full, 'garbage');
          }
        }
      };
      await walk(objects);
    };
    await garble();
    const before = remote.head();
    const failing = openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir, autoRecoverCache: false });
    const error = (await failing.transact('x', put(status('web-06', 2))).catch((e: unknown) => e)) as Error & { hint: string };
    expect(error).toMatchObject({ code: 'E_CACHE_CORRUPT' });
    expect(error.hint).toMatch(/cache directory/);
    expect(remote.head()).toBe(before);
    const healing = openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir });
    const result = await healing.transact('x', put(status('web-06', 2)));
    expect(result).toMatchObject({ status: 'committed', recoveredCache: true });
  });

  it("a stale lock left by a dead process (ours and git's) is taken over", async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    await openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir }).transact('prime', put(status('web-07')));
    writeFileSync(`${cacheDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), since: Date.now() }));
    writeFileSync(path.join(cacheDir, 'index.lock'), '');
    await fs.mkdir(path.join(cacheDir, 'refs', 'gitfleet'), { recursive: true });
    writeFileSync(path.join(cacheDir, 'refs', 'gitfleet', 'remote.lock'), '');
    const result = await openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir }).transact('after crash', put(status('web-07', 2)));
    expect(result.status).toBe('committed');
    expect(existsSync(path.join(cacheDir, 'index.lock'))).toBe(false);
  });

  it('a writer killed with SIGKILL mid-transaction leaves nothing that blocks the next one', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const headBefore = remote.head();
    const child = spawn(process.execPath, [
      'scripts/bench/writerProcess.mjs',
      JSON.stringify({ url: remote.httpUrl, backend, cacheDir, server: 'web-08', mode: 'put', count: 1000, token: TOKEN }),
    ]);
    // Let it get into its loop (its first commit has landed), then kill it wherever it is.
    const end = Date.now() + 60_000;
    while (remote.head() === headBefore && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(remote.head()).not.toBe(headBefore);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const result = await openStore({ url: remote.httpUrl, backend, token: TOKEN, cacheDir }).transact('after kill', put(status('web-08', 5000)));
    expect(result.status).toBe('committed');
    expect((await (await openStore({ url: remote.httpUrl, backend, token: TOKEN }).snapshot()).get('status', 'web-08'))?.seq).toBe(5000);
  });
});
