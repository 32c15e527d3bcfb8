import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FleetRemote, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { createStore } from '../config/createStore.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { createBackend } from './createBackend.js';
import { parseRemote } from './RemoteSpec.js';

// Rebuilding a damaged cache removes its folder. An agent's latency probe (ls-remote) may
// set the backend up while that happens: it used to keep the old folder, and the next fetch
// spawned git in a folder that was gone ("spawn git ENOENT").
describe.each(['cli', 'js'] as const)('a cache reset with an operation starting meanwhile (%s)', (kind) => {
  let remote: FleetRemote;
  beforeAll(async () => {
    remote = await startFleetRemote();
    await createStore({ remote: remote.httpUrl, cacheDir: tempDir(), actor: 'op:test' }).transact('init', initFleetPlan(), { createBranch: true });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('fetches into a fresh cache afterwards', async () => {
    const backend = createBackend({ kind, remote: parseRemote(remote.httpUrl), branch: 'main', cacheDir: path.join(tempDir(), 'cache') });
    const head = await backend.fetch();
    expect(head).toBe(remote.head());
    for (let round = 0; round < 5; round++) {
      const reset = backend.reset();
      const probe = backend.lsRemote();
      await Promise.all([reset, probe]);
      expect(await backend.fetch()).toBe(head);
      expect(await backend.listTree(head!, ['fleet.json'])).toHaveLength(1);
    }
    await backend.close();
  });
});
