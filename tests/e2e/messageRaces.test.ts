import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { runGitfleet } from '../helpers/runGitfleet.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

// Real `gitfleet` processes started together, each with its own cache as on its own machine.
describe('messages under contention (real CLI processes)', () => {
  let remote: FleetRemote;
  let work: string;
  const envFor = (i: number) => ({
    GITFLEET_REPO: remote.httpUrl,
    GITFLEET_CACHE_DIR: path.join(work, `cache-${i}`),
    GITFLEET_DATA_DIR: path.join(work, `data-${i}`),
    GITFLEET_NO_STDIN: '1',
    GITFLEET_DEADLINE_SECONDS: '600',
  });

  beforeAll(async () => {
    remote = await startFleetRemote();
    work = tempDir();
    const store = openStore({ url: remote.httpUrl });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    await store.transact('servers', () => {
      const c = new ChangeSet();
      for (let i = 0; i < 20; i++)
        c.put('status', { schemaVersion: 1, server: `rcv-${i}`, updatedAt: new Date().toISOString(), seq: 1, health: { state: 'healthy' } });
      return c;
    });
  });
  afterAll(async () => {
    await remote.close();
    cleanupTempDirs();
  });

  it('100 simultaneous `msg send`: 100 of 100 land', async () => {
    const runs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        runGitfleet(['msg', 'send', '--to', `rcv-${i % 20}`, '--subject', `message ${i}`, '--body', `body ${i}`, '--json'], { env: envFor(i) }),
      ),
    );
    expect(runs.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    const { records, invalid } = await (await openStore({ url: remote.httpUrl }).snapshot()).list('message');
    expect(invalid).toEqual([]);
    expect(new Set(records.map((m) => m.subject))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => `message ${i}`)));
  }, 600_000);

  it('20 recipients mark the same broadcast read at the same moment: all 20 receipts land', async () => {
    const sent = await runGitfleet(['msg', 'send', '--to', 'all', '--subject', 'broadcast', '--json'], { env: envFor(999) });
    const id = (JSON.parse(sent.stdout) as { message: { id: string } }).message.id;
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => runGitfleet(['msg', 'read', id, '--server', `rcv-${i}`], { env: envFor(1000 + i) })));
    expect(runs.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    const { records } = await (await openStore({ url: remote.httpUrl }).snapshot()).list('receipts');
    const readers = records
      .filter((r) => r.read[id] !== undefined)
      .map((r) => r.server)
      .sort();
    expect(readers).toEqual(Array.from({ length: 20 }, (_, i) => `rcv-${i}`).sort());
  }, 300_000);
});
