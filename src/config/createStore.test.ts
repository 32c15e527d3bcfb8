import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { createBareRepo } from '../git/server/createBareRepo.js';
import { GitHttpServer } from '../git/server/GitHttpServer.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { createLogger } from '../util/logger.js';
import { createStore } from './createStore.js';

const status = (server: string) => ({ schemaVersion: 1 as const, server, updatedAt: new Date().toISOString(), seq: 1, health: { state: 'healthy' as const } });

async function bareRepo(): Promise<string> {
  const bare = path.join(tempDir(), 'fleet.git');
  await createBareRepo(bare);
  return bare;
}

describe('createStore', () => {
  afterAll(() => cleanupTempDirs());

  it.each(['cli', 'js'] as const)('builds a store over the %s backend that commits to the remote (over HTTP)', async (backend) => {
    const root = tempDir();
    await createBareRepo(path.join(root, 'fleet.git'));
    const server = await new GitHttpServer({ projectRoot: root }).start();
    const store = createStore({ remote: `${server.url}/fleet.git`, backend, cacheDir: path.join(tempDir(), 'cache'), actor: 'op:test' });
    try {
      await store.transact('init', initFleetPlan(), { createBranch: true });
      expect(await store.transact('status', () => new ChangeSet().put('status', status('web-01')))).toMatchObject({ status: 'committed' });
      expect(await (await store.snapshot()).get('status', 'web-01')).toMatchObject({ server: 'web-01' });
    } finally {
      await store.close();
      await server.stop();
    }
  });

  it('has an outbox only when given its folder', async () => {
    const bare = await bareRepo();
    const dir = tempDir();
    const without = createStore({ remote: bare, cacheDir: path.join(dir, 'a'), actor: 'op:test' });
    const withOutbox = createStore({ remote: bare, cacheDir: path.join(dir, 'b'), actor: 'op:test', outboxDir: path.join(dir, 'outbox') });
    expect(without.outbox).toBeUndefined();
    await withOutbox.outbox!.put({ kind: 'status', key: 'status-web-01', payload: status('web-01') });
    expect(await withOutbox.outbox!.list()).toHaveLength(1);
  });

  it('takes over the cache lock of a dead process and says so in the log', async () => {
    const bare = await bareRepo();
    const cacheDir = path.join(tempDir(), 'cache');
    mkdirSync(path.dirname(cacheDir), { recursive: true });
    writeFileSync(`${cacheDir}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), since: Date.now() }));
    const logs: string[] = [];
    const store = createStore({
      remote: bare,
      cacheDir,
      actor: 'op:test',
      logger: createLogger({ level: 'debug', format: 'json', write: (l) => logs.push(l) }),
    });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    expect(await store.transact('status', () => new ChangeSet().put('status', status('web-01')))).toMatchObject({ status: 'committed' });
    await store.close();
    expect(logs.filter((l) => l.includes('cache.stale-lock'))).toHaveLength(1);
  });
});
