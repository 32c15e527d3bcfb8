import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../../src/coordinator/Coordinator.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { createBareRepo } from '../../src/git/server/createBareRepo.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import { silentLogger } from '../../src/util/logger.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDir.js';

const FAR = Date.parse('9999-01-01T00:00:00.000Z');

describe("a coordinator's state file with times from the future cannot hold off failover", () => {
  let bare: string;
  beforeAll(async () => {
    bare = path.join(tempDir('gitfleet-coord-state-'), 'fleet.git');
    await createBareRepo(bare);
  });
  afterAll(() => cleanupTempDirs());

  it('future takenAt, observingSince, savedAt and observedAt are dropped: the watch starts now and ends one dead window later', async () => {
    let clock = Date.now();
    const admin = openStore({ url: bare, actor: 'op:test' });
    // Dead after 2.5 periods of 10 s: a dead window of 25 s.
    await admin.transact(
      'init',
      initFleetPlan({ heartbeat: { periodSeconds: 10, suspectAfterPeriods: 1.5, deadAfterPeriods: 2.5 }, coordinator: { leaseSeconds: 60, tickSeconds: 5 } }),
      { createBranch: true },
    );
    const status: ServerStatus = {
      schemaVersion: 1,
      server: 'gone-01',
      updatedAt: new Date(clock).toISOString(),
      seq: 1,
      health: { state: 'healthy' },
      heartbeat: { periodSeconds: 10 },
      jobs: { slots: 1, kinds: ['build'], running: [] },
    };
    await admin.transact('lease and status', () =>
      new ChangeSet().put('status', status).put('coordinator', {
        schemaVersion: 1,
        holder: 'coord-s',
        epoch: 4,
        leaseUntil: new Date(clock + 60_000).toISOString(),
        takenAt: new Date(clock - 3_600_000).toISOString(),
      }),
    );
    const oid = (await (await admin.snapshot()).entry('status/gone-01.json'))!.oid;
    const stateFile = path.join(tempDir('gitfleet-coord-statefile-'), 'state.json');
    writeFileSync(
      stateFile,
      JSON.stringify({ version: 1, holder: 'coord-s', epoch: 4, takenAt: FAR, observingSince: FAR, savedAt: FAR, observed: { 'gone-01': [oid, FAR] } }),
    );

    const coordinator = new Coordinator({
      store: openStore({ url: bare, actor: 'coord-s' }),
      holder: 'coord-s',
      remoteUrl: bare,
      logger: silentLogger,
      stateFile,
      now: () => clock,
    });
    await coordinator.restore();
    const first = await coordinator.tick();
    expect(first.role).toBe('leader');
    expect(first.canFailOver).toBe(false);
    expect(coordinator.index.servers.get('gone-01')!.observedAt).toBeLessThanOrEqual(clock);

    clock += 30_000;
    const later = await coordinator.tick();
    expect(later.role).toBe('leader');
    expect(later.canFailOver).toBe(true);
  }, 60_000);
});
