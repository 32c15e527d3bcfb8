import { afterAll, describe, expect, it } from 'vitest';
import { type FleetRemote, plantFiles, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { composeJob } from '../jobs/composeJob.js';
import { cancelJob } from '../jobs/jobLifecycle.js';
import type { Job, ServerStatus } from '../schema/types.js';
import type { Store } from '../store/Store.js';
import { silentLogger } from '../util/logger.js';
import { Coordinator } from './Coordinator.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

function status(server: string, seq: number, now: number): ServerStatus {
  return {
    schemaVersion: 1,
    server,
    updatedAt: new Date(now).toISOString(),
    seq,
    health: { state: 'healthy' },
    heartbeat: { periodSeconds: 30 },
    jobs: { slots: 2, kinds: ['build'], running: [] },
  };
}

/**
 * The store, except that just before the first run of every transaction's plan another
 * writer moves the branch (`race` plants its files straight into the bare repository):
 * that attempt's push is rejected and the plan runs again on the new head.
 */
function racing(store: Store, race: () => void): { store: Store; runs: () => number } {
  let runs = 0;
  let raced = false;
  const proxy = new Proxy(store, {
    get(target, key) {
      if (key === 'transact') {
        return (label: string, plan: Parameters<Store['transact']>[1], options?: Parameters<Store['transact']>[2]) =>
          target.transact(
            label,
            async (snap, context) => {
              runs++;
              if (!raced) {
                raced = true;
                race();
              }
              return plan(snap, context);
            },
            options,
          );
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: proxy, runs: () => runs };
}

const remotes: FleetRemote[] = [];
afterAll(async () => {
  await Promise.all(remotes.map((r) => r.close()));
  cleanupTempDirs();
});

describe('Coordinator: a tick replayed after a lost push race counts once', () => {
  async function setup(job: Job, now: number) {
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, {
      'fleet.json': json({ schemaVersion: 1, coordinator: { leaseSeconds: 60, tickSeconds: 5 } }),
      [`jobs/${job.id}.json`]: json(job),
      'status/web-01.json': json(status('web-01', 1, now)),
    });
    return remote;
  }

  it('writes tick 1, then tick 2, and counts the assignment once, although its plan ran twice', async () => {
    let now = Date.now();
    const job = composeJob({ kind: 'build', createdBy: 'op:test', now: now - 60_000 });
    const remote = await setup(job, now);
    const { store, runs } = racing(openStore({ url: remote.bareDir, actor: 'coord-a' }), () =>
      plantFiles(remote.bareDir, { 'status/web-02.json': json(status('web-02', 1, now)) }),
    );
    const coordinator = new Coordinator({ store, holder: 'coord-a', remoteUrl: remote.bareDir, logger: silentLogger, now: () => now });
    const tookOver: { holder: string; epoch: number }[] = [];
    coordinator.events.on('coordinator.took-over', (e) => tookOver.push({ holder: e.holder, epoch: e.epoch }));

    const first = await coordinator.tick();
    // Taking the lease is said once, by event, although the plan that took it ran twice.
    expect(tookOver).toEqual([{ holder: 'coord-a', epoch: 1 }]);

    expect(runs()).toBe(2);
    expect(first).toMatchObject({ role: 'take', result: 'committed', skipped: 0 });
    expect(first.decisions).toEqual({ assign: 1, lose: 0, refuse: 0, cancel: 0, dead: 0, archive: 0 });
    const snap = await openStore({ url: remote.bareDir }).snapshot();
    expect(await snap.get('coordinator')).toMatchObject({ holder: 'coord-a', epoch: 1, tick: 1 });
    expect(await snap.get('job', job.id)).toMatchObject({ state: 'assigned', assignment: { server: 'web-01' } });
    expect(await snap.has('status', 'web-02')).toBe(true);

    // Past half the lease: the next tick renews it (nothing to assign), as tick 2, not 3.
    now += 40_000;
    const second = await coordinator.tick();
    expect(runs()).toBe(3);
    expect(second).toMatchObject({ role: 'leader', result: 'committed', skipped: 0 });
    expect(await (await openStore({ url: remote.bareDir }).snapshot()).get('coordinator')).toMatchObject({ holder: 'coord-a', epoch: 1, tick: 2 });
  }, 60_000);

  it('drops a decision whose job changed during the race, and counts it as skipped once', async () => {
    const now = Date.now();
    const job = composeJob({ kind: 'build', createdBy: 'op:test', now: now - 60_000 });
    const remote = await setup(job, now);
    // The operator cancels the job while the tick is being committed.
    const cancelled = cancelJob(job, 'op:test', 'not needed', new Date(now));
    const { store, runs } = racing(openStore({ url: remote.bareDir, actor: 'coord-b' }), () =>
      plantFiles(remote.bareDir, { [`jobs/${job.id}.json`]: json(cancelled) }),
    );
    const coordinator = new Coordinator({ store, holder: 'coord-b', remoteUrl: remote.bareDir, logger: silentLogger, now: () => now });

    const report = await coordinator.tick();

    expect(runs()).toBe(2);
    expect(report).toMatchObject({ role: 'take', result: 'committed', skipped: 1 });
    expect(report.decisions).toEqual({ assign: 0, lose: 0, refuse: 0, cancel: 0, dead: 0, archive: 0 });
    const snap = await openStore({ url: remote.bareDir }).snapshot();
    expect(await snap.get('coordinator')).toMatchObject({ holder: 'coord-b', tick: 1 });
    expect(await snap.get('job', job.id)).toMatchObject({ state: 'cancelled' });
  }, 60_000);
});
