import { afterEach, describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { validateRecord } from '../schema/validateRecord.js';
import { clearSecrets, registerSecret } from '../util/redact.js';
import { buildStatusRecord, KIND_PARAMS_BUDGET_BYTES, type StatusInputs } from './buildStatusRecord.js';
import type { AdvertisedKindParams } from '../schema/types.js';
import type { HostSample } from './Collector.js';

const GiB = 1024 ** 3;
const sample = (over: Partial<HostSample> = {}): HostSample => ({
  at: Date.parse('2026-11-22T12:00:00Z'),
  hostname: 'web-01.example.com',
  os: 'Debian GNU/Linux',
  platform: 'linux',
  release: '12',
  arch: 'x64',
  cpuModel: 'AMD EPYC 7763 64-Core Processor',
  cores: 64,
  cpuPercent: 42.26,
  load: [1.234, 2, 3],
  memTotal: 64 * GiB,
  memUsed: 20 * GiB,
  swapTotal: 0,
  swapUsed: 0,
  disks: Array.from({ length: 8 }, (_, i) => ({ mount: `/mnt/volume-number-${i}`, total: 500 * GiB, used: 100 * GiB })),
  uptimeSeconds: 123456,
  ...over,
});
const inputs = (over: Partial<StatusInputs> = {}): StatusInputs => ({
  server: 'web-01',
  sample: sample(),
  seq: 7,
  mode: 'daemon',
  labels: ['web', 'linux'],
  capabilities: ['docker'],
  draining: false,
  runningJobs: [],
  periodSeconds: 60,
  slotSeconds: 37.2,
  history: Array.from({ length: 60 }, (_, i) => [1_795_000_000 + i * 60, 42.5, 31.2, 20.1]),
  availability: { pct24h: 99.9, pct7d: 98.7 },
  remoteLatencyMs: 23.4,
  settings: resolveFleetSettings(null),
  ...over,
});

describe('buildStatusRecord', () => {
  afterEach(() => clearSecrets());

  it('is valid and within the 4 KB budget with a full history and 8 disks', () => {
    const record = buildStatusRecord(inputs());
    expect(validateRecord('status', record)).toEqual([]);
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(4096);
    expect(record.history!.length).toBeGreaterThanOrEqual(30);
    expect(record.cpu).toMatchObject({ cores: 64, usagePercent: 42.3, load: [1.23, 2, 3] });
  });

  it('carries 90 uptime days within the budget, dropping history first, then days beyond 30', () => {
    const uptime = { from: '2026-08-25', days: Array.from({ length: 90 }, (): [number, number] => [86_399, 1]) };
    const record = buildStatusRecord(inputs({ uptime }));
    expect(validateRecord('status', record)).toEqual([]);
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(4096);
    expect(record.uptime?.days.length).toBeGreaterThanOrEqual(30);
    // Days go from the oldest end: the first kept day moves with them.
    const dropped = 90 - record.uptime!.days.length;
    expect(record.uptime!.from).toBe(new Date(Date.parse('2026-08-25T00:00:00Z') + dropped * 86_400_000).toISOString().slice(0, 10));
    expect(buildStatusRecord(inputs()).uptime).toBeUndefined();
  });

  it('has no temperature where there is no sensor (absent, not zero)', () => {
    expect(buildStatusRecord(inputs()).cpu).not.toHaveProperty('temperatureC');
    expect(buildStatusRecord(inputs({ sample: sample({ temperatureC: 54.25 }) })).cpu?.temperatureC).toBe(54.3);
  });

  it('never publishes a registered secret or a control character, wherever it hides', () => {
    registerSecret('ghp_PlantedStatusToken123456');
    const record = buildStatusRecord(
      inputs({
        sample: sample({ hostname: 'host-ghp_PlantedStatusToken123456', disks: [{ mount: '/x\u001b[2J\nghp_PlantedStatusToken123456', total: 10, used: 1 }] }),
      }),
    );
    const json = JSON.stringify(record);
    expect(json).not.toContain('ghp_PlantedStatusToken123456');
    expect(json).not.toMatch(/\\u001b|\\n/);
    expect(validateRecord('status', record)).toEqual([]);
  });

  it('says why it is not healthy', () => {
    const record = buildStatusRecord(inputs({ sample: sample({ memUsed: 63 * GiB }), agentProblems: ['cannot publish: auth'] }));
    expect(record.health.state).toBe('failing');
    expect(record.health.reasons).toEqual(['cannot publish: auth', 'memory 98% (failing at 95%)']);
  });

  it("advertises the kinds' parameters within a budget: valid, under 4 KB, never a kind it does not run", () => {
    const spec = (n: number): AdvertisedKindParams =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`param_${i}`, { pattern: `[a-z0-9-]{1,${i + 10}}`, required: i % 2 === 0 }]));
    const names = Array.from({ length: 20 }, (_, i) => `kind.number-${String(i).padStart(2, '0')}`);
    const record = buildStatusRecord(
      inputs({ jobSlots: 2, jobKinds: names, jobKindParams: { ...Object.fromEntries(names.map((k) => [k, spec(6)])), 'not.run': spec(1) } }),
    );
    expect(validateRecord('status', record)).toEqual([]);
    expect(JSON.stringify(record).length).toBeLessThanOrEqual(4096);
    const advertised = Object.keys(record.jobs!.kindParams!);
    expect(advertised.length).toBeGreaterThan(0);
    expect(advertised.length).toBeLessThan(names.length); // past the budget: left out, not cut
    expect(JSON.stringify(record.jobs!.kindParams).length).toBeLessThanOrEqual(KIND_PARAMS_BUDGET_BYTES);
    expect(advertised).not.toContain('not.run');
    for (const k of advertised) expect(record.jobs!.kindParams![k]).toEqual(spec(6));
    expect(record.jobs!.kinds).toEqual(names);
  });

  it('writes no kindParams when the agent describes none (as an older agent)', () => {
    expect(buildStatusRecord(inputs({ jobKinds: ['build'] })).jobs).toEqual({ slots: 0, running: [], kinds: ['build'] });
  });
});
