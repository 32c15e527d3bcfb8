import { describe, expect, it } from 'vitest';
import { parseBuildStatus, uptimeSeconds } from './parseBuildStatus.js';

describe('uptimeSeconds', () => {
  it.each([
    [86400, 86400],
    ['3600', 3600],
    ['3 days, 4:05:06', 3 * 86400 + 4 * 3600 + 5 * 60 + 6],
    ['up 2 days, 3:04', 2 * 86400 + 3 * 3600 + 4 * 60],
    ['1d 2h 3m', 86400 + 7200 + 180],
    ['5 minutes', 300],
    ['forever', null],
    [-1, null],
    [undefined, undefined],
  ])('%j -> %j', (input, expected) => {
    expect(uptimeSeconds(input)).toBe(expected);
  });
});

describe('parseBuildStatus', () => {
  it('takes the newer of the two timestamps, CPU, memory, cores, hostname, uptime and the Build state', () => {
    const parsed = parseBuildStatus({
      folder: 'build2',
      server: 'build2',
      status: {
        hostname: 'b2',
        cores: '16',
        timestamp: '2025-10-29 12:00:00',
        status: 'building',
        current_job: { id: 'job_1' },
        system: { cpu_usage: '87.5', memory_used_gb: 60, memory_total_gb: '64' },
      },
      heartbeat: { timestamp: 1761739500, uptime_seconds: 10 },
    });
    expect(parsed).toEqual({
      record: {
        schemaVersion: 1,
        server: 'build2',
        updatedAt: '2025-10-29T12:05:00.000Z',
        seq: 0,
        health: { state: 'healthy' },
        host: { hostname: 'b2' },
        cpu: { usagePercent: 87.5, cores: 16 },
        memory: { totalBytes: 64e9, usedBytes: 60e9 },
        uptimeSeconds: 10,
        imported: { system: 'build', key: 'build2/status.json', state: 'building', currentJob: 'job_1' },
      },
      notes: [],
    });
  });

  it.each([
    ['failing when the heartbeat says unhealthy', { timestamp: 1761739500, status: 'idle' }, { healthy: false }, 'failing'],
    ['failing when Build says failed', { timestamp: 1761739500, status: 'failed' }, undefined, 'failing'],
    ['degraded for a state Build never had', { timestamp: 1761739500, status: 'maintenance' }, undefined, 'degraded'],
  ])('%s', (_name, status, heartbeat, health) => {
    const parsed = parseBuildStatus({ folder: 'b', server: 'b', status, heartbeat });
    expect('record' in parsed && parsed.record.health.state).toBe(health);
  });

  it('leaves out values out of range and says so; skips a server without any time', () => {
    const parsed = parseBuildStatus({
      folder: 'B_1',
      server: 'b-1',
      status: { timestamp: 1761739500, cores: 0.5, system: { cpu_usage: 250, memory_percent: 40 } },
      heartbeat: undefined,
    });
    expect('record' in parsed && parsed.notes).toEqual([
      'cpu usage 250 is not a percentage: left out',
      'cores 0.5 is not a count of cores: left out',
      'memory given as a percentage without a total: gitfleet keeps bytes, left out',
    ]);
    expect('record' in parsed && parsed.record.imported).toEqual({ system: 'build', key: 'B_1/status.json', id: 'B_1' });
    expect(parseBuildStatus({ folder: 'b', server: 'b', status: { status: 'idle' }, heartbeat: {} })).toEqual({
      skip: 'no usable timestamp in status.json or heartbeat.json',
    });
    expect(parseBuildStatus({ folder: 'b', server: 'b', status: [1], heartbeat: 'x' })).toMatchObject({ skip: expect.stringMatching(/JSON object/) });
  });
});
