import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Coordinator } from '../../src/coordinator/Coordinator.js';
import { initFleetPlan } from '../../src/settings/initFleetPlan.js';
import { composeJob } from '../../src/jobs/composeJob.js';
import type { ServerStatus } from '../../src/schema/types.js';
import { ChangeSet } from '../../src/store/ChangeSet.js';
import type { Store } from '../../src/store/Store.js';
import { silentLogger } from '../../src/util/logger.js';
import { type FleetRemote, startFleetRemote } from '../helpers/fleetRemote.js';
import { openStore } from '../helpers/openStore.js';
import { cleanupTempDirs } from '../helpers/tempDir.js';

// Two coordinators on one real remote, each with its own cache and a clock the test moves.
describe('coordinator lease: one acts, a standby takes over after expiry, a stale one writes nothing', () => {
  let remote: FleetRemote;
  let admin: Store;
  let clock = Date.now();
  const coordinator = (holder: string) =>
    new Coordinator({ store: openStore({ url: remote.httpUrl, actor: holder }), holder, remoteUrl: remote.httpUrl, logger: silentLogger, now: () => clock });
  const status = (server: string, seq: number): ServerStatus => ({
    schemaVersion: 1,
    server,
    updatedAt: new Date(clock).toISOString(),
    seq,
    health: { state: 'healthy' },
    heartbeat: { periodSeconds: 10 },
    jobs: { slots: 4, kinds: ['build'], running: [] },
  });

  beforeAll(async () => {
    remote = await startFleetRemote();
    admin = openStore({ url: remote.httpUrl, actor: 'op:test' });
    await admin.transact(
      'init',
      initFleetPlan({ heartbeat: { periodSeconds: 10, suspectAfterPeriods: 1, deadAfterPeriods: 2 }, coordinator: { leaseSeconds: 5, tickSeconds: 1 } }),
      { createBranch: true },
    );
    await admin.transact('servers', () => new ChangeSet().put('status', status('lease-a', 1)).put('status', status('lease-b', 1)));
  }, 30_000);

  afterAll(async () => {
    await admin?.close();
    await remote?.close();
    cleanupTempDirs();
  });

  it('moves the lease by epoch and fences the old holder', async () => {
    const first = coordinator('coord-one');
    const second = coordinator('coord-two');
    const taken = await first.tick();
    expect(taken.role).toBe('take');
    expect(first.epoch).toBe(1);
    expect((await second.tick()).role).toBe('standby');

    // coord-one stalls (a long GC pause, a partition) past its lease; coord-two takes over.
    clock += 6_000;
    const takeover = await second.tick();
    expect(takeover.role).toBe('take');
    expect(second.epoch).toBe(2);
    expect(takeover.canFailOver).toBe(false);

    // coord-one wakes up with a decision to make: its epoch is stale, so it writes nothing.
    const job = composeJob({ kind: 'build', createdBy: 'op:test' });
    await admin.transact('submit', () => new ChangeSet().put('job', job));
    const headBefore = remote.head();
    const stale = await first.tick();
    expect(stale.role === 'standby' || stale.role === 'lost').toBe(true);
    expect(remote.head()).toBe(headBefore);
    expect((await (await admin.snapshot()).get('job', job.id))?.state).toBe('queued');

    // The leader assigns it, with its epoch in the assignment.
    const assigned = await second.tick();
    expect(assigned.decisions.assign).toBe(1);
    const after = await (await admin.snapshot()).get('job', job.id);
    expect(after?.assignment?.epoch).toBe(2);
    const lease = await (await admin.snapshot()).get('coordinator');
    expect(lease).toMatchObject({ holder: 'coord-two', epoch: 2 });
  }, 60_000);

  it('fails over a silent server only after a whole dead window since the takeover', async () => {
    const leader = coordinator('coord-three');
    clock += 60_000; // every earlier lease has expired
    expect((await leader.tick()).role).toBe('take');
    const held = (await (await admin.snapshot()).list('job')).records.find((j) => j.state === 'assigned')!;
    expect(held).toBeDefined();
    // 15 s: lease-a and lease-b are silent, but the new leader has not watched for 20 s yet.
    for (let t = 0; t < 3; t++) {
      clock += 5_000;
      if (t === 1) await admin.transact('beat', () => new ChangeSet().put('status', status(held.assignment!.server === 'lease-a' ? 'lease-b' : 'lease-a', 9)));
      const r = await leader.tick();
      expect(r.canFailOver).toBe(false);
      expect(r.decisions.lose).toBe(0);
    }
    clock += 6_000;
    const r = await leader.tick();
    expect(r.canFailOver).toBe(true);
    expect(r.decisions.lose).toBe(1);
    const requeued = await (await admin.snapshot()).get('job', held.id);
    expect(requeued?.history?.at(-1)).toMatchObject({ outcome: 'lost', server: held.assignment!.server });
  }, 60_000);
});
