import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, tempDir } from '../../tests/helpers/tempDir.js';
import { initFleetPlan } from '../settings/initFleetPlan.js';
import { createBareRepo } from './server/createBareRepo.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { createStore } from '../config/createStore.js';

const looseObjects = (gitDir: string) => Number(/^count: (\d+)$/m.exec(execFileSync('git', ['--git-dir', gitDir, 'count-objects', '-v']).toString())?.[1]);

// A daemon fetches and pushes all day; each leaves a few loose objects in its cache.
describe('the CLI cache stays packed', () => {
  afterAll(() => cleanupTempDirs());

  it('packs its loose objects once they pass the threshold, so a long-lived cache does not grow file by file', async () => {
    const root = tempDir();
    const bare = path.join(root, 'fleet.git');
    await createBareRepo(bare);
    const cacheDir = path.join(root, 'cache');
    // Small thresholds so the test needs tens of commits, not thousands.
    const store = createStore({ remote: bare, cacheDir, tuning: { packEvery: 10, packLooseObjects: 40 }, actor: 'packer', freshForMs: 0 });
    await store.transact('init', initFleetPlan(), { createBranch: true });
    let peak = 0;
    for (let seq = 1; seq <= 60; seq++) {
      await store.transact(`status ${seq}`, () =>
        new ChangeSet().put('status', { schemaVersion: 1, server: 'packer', updatedAt: new Date().toISOString(), seq, health: { state: 'healthy' } }),
      );
      peak = Math.max(peak, looseObjects(cacheDir));
    }
    await store.close();
    // 60 commits leave about 4 loose objects each (240 in all) without packing; with it the
    // count never climbs far past the threshold plus one round of writes.
    expect(peak).toBeLessThan(40 + 10 * 8);
    expect(looseObjects(cacheDir)).toBeLessThan(40 + 10 * 8);
  }, 120_000);
});
