import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { ServerStatus } from '../schema/types.js';
import { evaluateHealth } from './evaluateHealth.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const settings = resolveFleetSettings(null);
const GiB = 1024 ** 3;

function status(over: Partial<ServerStatus> = {}, ageS = 10): ServerStatus {
  return {
    schemaVersion: 1,
    server: 'web-01',
    updatedAt: new Date(NOW - ageS * 1000).toISOString(),
    seq: 1,
    health: { state: 'healthy' },
    heartbeat: { periodSeconds: 60 },
    cpu: { usagePercent: 20 },
    memory: { totalBytes: 16 * GiB, usedBytes: 4 * GiB },
    disks: [{ mount: '/', totalBytes: 100 * GiB, usedBytes: 40 * GiB }],
    ...over,
  };
}

describe('evaluateHealth', () => {
  it('a time the schema admits but Date cannot read (a leap second) is unknown, or judged by when it was seen', () => {
    const leap = status({ updatedAt: '2026-06-30T23:59:60Z' });
    expect(evaluateHealth(leap, settings, NOW)).toMatchObject({ state: 'unknown', ageMs: null });
    expect(evaluateHealth(leap, settings, NOW, NOW - 3_600_000).state).toBe('offline');
    expect(evaluateHealth(leap, settings, NOW, NOW - 1_000).state).toBe('healthy');
  });

  it('healthy, degraded and failing from thresholds; the worst resource wins', () => {
    expect(evaluateHealth(status(), settings, NOW).state).toBe('healthy');
    const degraded = evaluateHealth(status({ disks: [{ mount: '/data', totalBytes: 100, usedBytes: 85 }] }), settings, NOW);
    expect(degraded).toMatchObject({ state: 'degraded', reasons: ['disk /data 85% (degraded at 80%)'] });
    const failing = evaluateHealth(status({ cpu: { usagePercent: 99 }, disks: [{ mount: '/', totalBytes: 100, usedBytes: 85 }] }), settings, NOW);
    expect(failing.state).toBe('failing');
    expect(failing.reasons).toHaveLength(2);
  });

  it("suspect and offline are measured in the server's own heartbeat periods", () => {
    expect(evaluateHealth(status({}, 150), settings, NOW).state).toBe('healthy');
    expect(evaluateHealth(status({}, 200), settings, NOW).state).toBe('suspect');
    expect(evaluateHealth(status({}, 400), settings, NOW)).toMatchObject({ state: 'offline', reasons: ['no heartbeat for 7 min (expected every 60 s)'] });
    // A fleet-wide slow heartbeat (1 h) is not dead after 10 minutes.
    expect(evaluateHealth(status({ heartbeat: { periodSeconds: 3600 } }, 600), settings, NOW).state).toBe('healthy');
  });

  it('trusts when a reader saw the record change over a server clock that runs late or early', () => {
    const late = status({}, 400);
    expect(evaluateHealth(late, settings, NOW, NOW - 5_000).state).toBe('healthy');
    // Beyond the clock slack a time is suspect: never "healthy, 0 s ago".
    const future = evaluateHealth(status({ updatedAt: new Date(NOW + 3_600_000).toISOString() }), settings, NOW);
    expect(future).toMatchObject({ state: 'suspect', ageMs: null });
    expect(future.reasons[0]).toMatch(/updatedAt is 60 min ahead of this reader's clock/);
    // Within the slack a little skew is forgiven.
    expect(evaluateHealth(status({ updatedAt: new Date(NOW + 60_000).toISOString() }), settings, NOW)).toMatchObject({ state: 'healthy', ageMs: 0 });
    // With a time of the reader's own (when it saw the record change), that time counts.
    const seen = evaluateHealth(status({ updatedAt: '9999-01-01T00:00:00.000Z' }), settings, NOW, NOW - 10_000);
    expect(seen).toMatchObject({ state: 'healthy', ageMs: 10_000 });
    expect(seen.reasons[0]).toMatch(/clock ahead/);
    // A far-future time with a stale sighting is still judged by the sighting: offline.
    expect(evaluateHealth(status({ updatedAt: '9999-01-01T00:00:00.000Z' }), settings, NOW, NOW - 86_400_000).state).toBe('offline');
  });

  it("keeps the agent's own worse verdict, and says unknown without a record", () => {
    const v = evaluateHealth(status({ health: { state: 'degraded', reasons: ['cannot publish: auth'] } }), settings, NOW);
    expect(v).toMatchObject({ state: 'degraded', reasons: ['cannot publish: auth'] });
    expect(evaluateHealth(undefined, settings, NOW).state).toBe('unknown');
  });
});

describe("evaluateHealth: the period a status announces is bounded by the fleet's", () => {
  it.each([
    ['its own 60 s period, 13 min old: offline', 60, 3, 'offline'],
    ['a day, 13 min old, fleet of 3 known: offline (capped at twice the fleet period)', 86_400, 3, 'offline'],
    ['a day, 13 min old, fleet size unknown: judged by a day at most', 86_400, undefined, 'healthy'],
  ] as const)('%s', (_, periodSeconds, fleetSize, state) => {
    expect(evaluateHealth(status({ heartbeat: { periodSeconds } }, 13 * 60), settings, NOW, undefined, fleetSize).state).toBe(state);
  });
});

describe('evaluateHealth: maintenance windows', () => {
  const windowed = resolveFleetSettings({
    schemaVersion: 1,
    maintenance: [{ target: 'label:db', start: '2026-11-22T11:00:00Z', end: '2026-11-22T13:00:00Z', reason: 'storage move' }],
  });
  it.each([
    // [labels, age of the heartbeat (s), at, state]
    [['db'], 10, NOW, 'maintenance'],
    // Silent for an hour: in maintenance, not offline (and so no server.dead notification).
    [['db'], 3600, NOW, 'maintenance'],
    [['web'], 3600, NOW, 'offline'],
    // The window ended: the plain verdict is back by itself.
    [['db'], 3600, NOW + 2 * 3_600_000, 'offline'],
    [['db'], 10, NOW + 2 * 3_600_000, 'healthy'],
  ] as const)('labels %j, heartbeat %i s old, at %i: %s', (labels, ageS, at, state) => {
    const s = status({ labels: [...labels], updatedAt: new Date(at - ageS * 1000).toISOString() });
    const verdict = evaluateHealth(s, windowed, at);
    expect(verdict.state).toBe(state);
    if (state === 'maintenance') {
      expect(verdict.reasons[0]).toBe('in maintenance until 2026-11-22 13:00 UTC: storage move');
      expect(verdict.maintenanceUntil).toBe(Date.parse('2026-11-22T13:00:00Z'));
      // The age is still known, for readers that count a dead agent's silence.
      expect(verdict.ageMs).toBe(ageS * 1000);
    }
  });
});
