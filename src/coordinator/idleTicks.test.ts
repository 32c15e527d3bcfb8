import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { type FleetRemote, plantFiles, startFleetRemote } from '../../tests/helpers/fleetRemote.js';
import { openStore } from '../../tests/helpers/openStore.js';
import { cleanupTempDirs } from '../../tests/helpers/tempDir.js';
import { renewalIntervalSeconds } from '../settings/budgetProjection.js';
import { silentLogger } from '../util/logger.js';
import { Coordinator } from './Coordinator.js';
import { PUSH_BUDGET_RECIPIENT, PUSH_BUDGET_TAG } from './pushBudgetAlert.js';
import { PUSH_ALERT_EVERY_MS } from './PushRateMeter.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);
const remotes: FleetRemote[] = [];
afterAll(async () => {
  await Promise.all(remotes.map((r) => r.close()));
  cleanupTempDirs();
});
const commits = (bareDir: string) => Number(execFileSync('git', ['--git-dir', bareDir, 'rev-list', '--count', 'main']).toString().trim());

describe('Coordinator: an idle leader pushes only its lease renewals', () => {
  it('counts commits over many idle ticks: one to take the lease, then one per renewal interval', async () => {
    const [lease, tick] = [60, 10];
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, { 'fleet.json': json({ schemaVersion: 1, coordinator: { leaseSeconds: lease, tickSeconds: tick } }) });
    let now = Date.now();
    const coordinator = new Coordinator({
      store: openStore({ url: remote.bareDir }),
      holder: 'coord-a',
      remoteUrl: remote.bareDir,
      logger: silentLogger,
      now: () => now,
    });
    const before = commits(remote.bareDir);
    const results: string[] = [];
    const ticks = 24; // four minutes of ticks
    for (let i = 0; i < ticks; i++) {
      results.push(String((await coordinator.tick()).result ?? 'none'));
      now += tick * 1000;
    }
    const every = renewalIntervalSeconds(lease, tick) / tick; // 4 ticks
    // Tick 0 takes the lease; then every 4th tick renews it; every other tick writes nothing.
    expect(results).toEqual(Array.from({ length: ticks }, (_, i) => (i % every === 0 ? 'committed' : 'none')));
    expect(commits(remote.bareDir) - before).toBe(ticks / every);
  }, 60_000);
});

describe('Coordinator: the measured push rate against the budget', () => {
  it('posts one operator message while over the budget, not one a tick, and again after an hour', async () => {
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, {
      'fleet.json': json({ schemaVersion: 1, pushBudget: { pushesPerMinute: 1 }, coordinator: { leaseSeconds: 60, tickSeconds: 10 } }),
    });
    let now = Date.now();
    const store = openStore({ url: remote.bareDir });
    const coordinator = new Coordinator({ store, holder: 'coord-a', remoteUrl: remote.bareDir, logger: silentLogger, now: () => now });
    const alerts: (string | null)[] = [];
    coordinator.events.on('coordinator.over-budget', (e) => alerts.push(e.message));
    // Another writer lands a commit between every two ticks: 6 a minute, over 1.
    const minute = async () => {
      for (let t = 0; t < 6; t++) {
        plantFiles(remote.bareDir, { [`status/s-${t}.json`]: json({ n: now + t }) });
        await coordinator.tick();
        now += 10_000;
      }
    };
    for (let m = 0; m < 3; m++) await minute();
    expect(alerts).toHaveLength(1);
    expect(coordinator.housekeeping.pushRate.rate(now)).toBeGreaterThan(6);
    const snap = await openStore({ url: remote.bareDir }).snapshot();
    const { records } = await snap.list('message');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ from: 'coord-a', to: PUSH_BUDGET_RECIPIENT, type: 'warning', tags: [PUSH_BUDGET_TAG] });
    expect(records[0]!.subject).toMatch(/^The fleet pushes [\d.]+ times a minute, over its budget of 1$/);
    // An hour on, still over (the window is 10 minutes: three minutes of 6 a minute is 1.8 a minute): one more.
    now += PUSH_ALERT_EVERY_MS;
    for (let m = 0; m < 3; m++) await minute();
    expect(alerts).toHaveLength(2);
    expect(alerts.every((id) => id !== null)).toBe(true);
  }, 120_000);

  it('a second coordinator (a restart) does not repeat the message within the hour', async () => {
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, {
      'fleet.json': json({ schemaVersion: 1, pushBudget: { pushesPerMinute: 1 }, coordinator: { leaseSeconds: 60, tickSeconds: 10 } }),
    });
    let now = Date.now();
    const run = async (holder: string) => {
      const c = new Coordinator({ store: openStore({ url: remote.bareDir }), holder, remoteUrl: remote.bareDir, logger: silentLogger, now: () => now });
      const posted: (string | null)[] = [];
      c.events.on('coordinator.over-budget', (e) => posted.push(e.message));
      for (let t = 0; t < 8; t++) {
        plantFiles(remote.bareDir, { [`status/x-${t}.json`]: json({ n: now + t }) });
        await c.tick();
        now += 10_000;
      }
      return posted;
    };
    expect((await run('coord-a')).filter(Boolean)).toHaveLength(1);
    now += 120_000; // coord-a's lease has run out
    const second = await run('coord-b');
    expect(second).toEqual([null]);
    expect((await (await openStore({ url: remote.bareDir }).snapshot()).list('message')).records).toHaveLength(1);
  }, 120_000);
});

describe('Coordinator: scheduled compaction without the capability to rewrite history', () => {
  it('is said once and skipped; the ticks carry on', async () => {
    const remote = await startFleetRemote();
    remotes.push(remote);
    plantFiles(remote.bareDir, {
      'fleet.json': json({ schemaVersion: 1, coordinator: { leaseSeconds: 60, tickSeconds: 10 }, compaction: { every: '30s', keepDays: 0 } }),
    });
    let now = Date.now();
    const store = openStore({ url: remote.bareDir });
    // The isomorphic-git backend has no rewriteHistory: the coordinator sees the store's backend without it.
    const proxy = new Proxy(store, {
      get(target, key) {
        if (key === 'backend') return { rewriteHistory: undefined };
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const coordinator = new Coordinator({ store: proxy, holder: 'coord-a', remoteUrl: remote.bareDir, logger: silentLogger, now: () => now });
    const said: string[] = [];
    coordinator.events.on('coordinator.compaction-skipped', (e) => said.push(e.reason));
    coordinator.events.on('coordinator.compacted', () => said.push('compacted'));
    for (let i = 0; i < 12; i++) {
      await coordinator.tick();
      now += 10_000;
    }
    expect(said).toEqual(['scheduled compaction needs the git CLI backend (backend.rewriteHistory): skipped']);
    expect((await openStore({ url: remote.bareDir }).snapshot()).commit).toBeTruthy();
  }, 60_000);
});
