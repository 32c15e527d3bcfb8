import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { FleetSettings, Job, ServerStatus } from '../schema/types.js';
import { capacityOf, chooseServer, ineligibility, type ServerCandidate } from './placement.js';

const GiB = 1024 ** 3;

function settingsWith(over: Partial<FleetSettings> = {}) {
  return resolveFleetSettings({ schemaVersion: 1, ...over });
}

function job(over: Partial<Job> = {}): Job {
  return {
    schemaVersion: 1,
    id: 'build-1',
    kind: 'build',
    params: {},
    priority: 'normal',
    state: 'queued',
    createdAt: '2026-11-22T10:00:00.000Z',
    createdBy: 'op:alice',
    attempts: 0,
    ...over,
  };
}

function server(
  name: string,
  opts: { load?: number; slots?: number; cpu?: number; liveness?: ServerCandidate['liveness']; status?: Partial<ServerStatus> } = {},
): ServerCandidate {
  const status: ServerStatus = {
    schemaVersion: 1,
    server: name,
    updatedAt: '2026-11-22T10:00:00.000Z',
    seq: 1,
    health: { state: 'healthy' },
    host: { platform: 'linux', os: 'Ubuntu 24.04' },
    cpu: { cores: 8, ...(opts.cpu !== undefined ? { usagePercent: opts.cpu } : {}) },
    memory: { totalBytes: 16 * GiB },
    labels: ['gpu', 'eu'],
    jobs: { slots: opts.slots ?? 4, kinds: ['build', 'test'] },
    ...opts.status,
  };
  return { server: name, status, liveness: opts.liveness ?? 'alive', load: opts.load ?? 0 };
}

describe('ineligibility', () => {
  const s = settingsWith();

  it('null for a server that can take the job', () => {
    expect(
      ineligibility(job({ constraints: { labels: ['gpu'], os: ['linux'], minCores: 8, minMemoryBytes: 16 * GiB, servers: ['web-01'] } }), server('web-01'), s),
    ).toBeNull();
  });

  it('names why a server cannot take the job', () => {
    const cases: [Job, ServerCandidate, RegExp][] = [
      [job(), server('web-01', { liveness: 'suspect' }), /^suspect$/],
      [job(), server('web-01', { liveness: 'dead' }), /^dead$/],
      [job(), server('web-01', { status: { health: { state: 'failing' } } }), /failing/],
      [job(), server('web-01', { status: { draining: true } }), /draining/],
      [job({ kind: 'deploy' }), server('web-01'), /does not run kind deploy/],
      [job(), server('web-01', { load: 4 }), /no free slot/],
      [job(), server('web-01', { slots: 0 }), /no free slot/],
      [job({ constraints: { labels: ['gpu', 'us'] } }), server('web-01'), /no label us/],
      [job({ constraints: { os: ['windows', 'darwin'] } }), server('web-01'), /os is not windows\/darwin/],
      [job({ constraints: { minCores: 16 } }), server('web-01'), /fewer than 16 cores/],
      [job({ constraints: { minMemoryBytes: 32 * GiB } }), server('web-01'), /not enough memory/],
      [job({ constraints: { servers: ['web-02'] } }), server('web-01'), /server list/],
    ];
    for (const [j, c, reason] of cases) expect(ineligibility(j, c, s)).toMatch(reason);
  });

  it('draining from the fleet settings, and the os from the first word of host.os', () => {
    expect(ineligibility(job(), server('web-01'), settingsWith({ drain: ['web-01'] }))).toBe('draining');
    expect(ineligibility(job(), server('web-02'), settingsWith({ drain: ['web-01'] }))).toBeNull();
    expect(ineligibility(job({ constraints: { os: ['ubuntu'] } }), server('web-01'), s)).toBeNull();
  });

  it("capacity is the agent's slots capped by maxJobsPerServer", () => {
    expect(capacityOf(server('a', { slots: 10 }).status, settingsWith({ placement: { maxJobsPerServer: 3 } }))).toBe(3);
    expect(ineligibility(job(), server('a', { slots: 10, load: 3 }), settingsWith({ placement: { maxJobsPerServer: 3 } }))).toBe('no free slot');
    expect(capacityOf(server('a', { slots: 2 }).status, settingsWith())).toBe(2);
  });
});

describe('chooseServer', () => {
  it('nobody eligible: null', () => {
    expect(chooseServer(job(), [server('a', { liveness: 'dead' }), server('b', { load: 4 })], settingsWith())).toBeNull();
  });

  it('spread picks the lowest load ratio, not the lowest load', () => {
    const s = settingsWith({ placement: { strategy: 'spread', maxJobsPerServer: 8 } });
    const pool = [server('b', { slots: 2, load: 1 }), server('a', { slots: 8, load: 2 }), server('c', { slots: 4, load: 3 })];
    expect(chooseServer(job(), pool, s)?.server).toBe('a');
  });

  it('binpack picks the fullest server that still has room', () => {
    const s = settingsWith({ placement: { strategy: 'binpack' } });
    const pool = [server('a', { load: 1 }), server('b', { load: 3 }), server('c', { load: 4 }), server('d', { load: 3, liveness: 'dead' })];
    expect(chooseServer(job(), pool, s)?.server).toBe('b');
  });

  it('round-robin rotates across calls that share the state object, skipping ineligible servers', () => {
    const s = settingsWith({ placement: { strategy: 'round-robin' } });
    const pool = [server('c'), server('a'), server('d', { liveness: 'dead' }), server('b')];
    const rr = { last: null as string | null };
    const picks = Array.from({ length: 4 }, (_, i) => chooseServer(job({ id: `j${i}` }), pool, s, { roundRobin: rr })?.server);
    expect(picks).toEqual(['a', 'b', 'c', 'a']);
    expect(rr.last).toBe('a');
  });

  it('cpu-aware prefers low CPU usage at equal load', () => {
    const s = settingsWith({ placement: { strategy: 'cpu-aware' } });
    const pool = [server('a', { cpu: 90 }), server('b', { cpu: 10 }), server('c')];
    expect(chooseServer(job(), pool, s)?.server).toBe('b');
    // Load counts too: a busy but cool server loses to an idle warmer one.
    const busy = [server('a', { cpu: 10, load: 3 }), server('b', { cpu: 40, load: 0 })];
    expect(chooseServer(job(), busy, s)?.server).toBe('b');
  });

  it('avoid is a preference: another eligible server first, the avoided one when it is the only one', () => {
    const s = settingsWith();
    const pool = [server('a', { load: 0 }), server('b', { load: 3 })];
    expect(chooseServer(job(), pool, s)?.server).toBe('a');
    expect(chooseServer(job(), pool, s, { avoid: ['a'] })?.server).toBe('b');
    expect(chooseServer(job(), pool, s, { avoid: ['a', 'b'] })?.server).toBe('a');
    expect(chooseServer(job(), [pool[0]!, server('b', { liveness: 'dead' })], s, { avoid: ['a'] })?.server).toBe('a');
  });

  it('equal servers share the work across job ids', () => {
    const pool = [server('a'), server('b'), server('c')];
    const picks = new Set(Array.from({ length: 30 }, (_, i) => chooseServer(job({ id: `job-${i}` }), pool, settingsWith())?.server));
    expect(picks.size).toBeGreaterThan(1);
  });
});
