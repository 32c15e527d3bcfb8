import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FleetSettings } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import { buildStatusRecord } from '../status/buildStatusRecord.js';
import { effectivePeriodSeconds, MAX_PERIOD_SECONDS } from '../status/heartbeatSchedule.js';
import { simulatedCollector } from '../status/simulatedCollector.js';
import { resolveFleetSettingsWithWarnings, SETTING_BOUNDS, type SettingName } from './fleetSettings.js';

const schema = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../shared/fleet.schema.json'), 'utf8')) as {
  properties: Record<string, { properties: Record<string, { type: string; minimum?: number; maximum?: number }> }>;
};

describe('fleet settings: every number bounded, clamped with a warning', () => {
  it.each(Object.keys(SETTING_BOUNDS) as SettingName[])("%s: the bounds here are the schema's", (name) => {
    const [group, key] = name.split('.') as [string, string];
    const field = schema.properties[group]!.properties[key]!;
    const b = SETTING_BOUNDS[name];
    expect({ min: field.minimum, max: field.maximum, integer: field.type === 'integer' }).toEqual({ min: b.min, max: b.max, integer: b.integer });
  });

  it('every numeric setting of the schema has bounds here', () => {
    const numeric = Object.entries(schema.properties).flatMap(([group, g]) =>
      Object.entries(g.properties ?? {})
        .filter(([, f]) => f.type === 'number' || f.type === 'integer')
        .map(([key]) => `${group}.${key}`),
    );
    expect(numeric.sort()).toEqual(Object.keys(SETTING_BOUNDS).sort());
  });

  it.each([
    [
      'pushBudget.pushesPerMinute',
      { pushBudget: { pushesPerMinute: 1e-300 } },
      (s: ReturnType<typeof resolveFleetSettingsWithWarnings>['settings']) => s.pushBudget.pushesPerMinute,
      0.1,
    ],
    [
      'heartbeat.periodSeconds',
      { heartbeat: { periodSeconds: 1e9 } },
      (s: ReturnType<typeof resolveFleetSettingsWithWarnings>['settings']) => s.heartbeat.periodSeconds,
      86_400,
    ],
    [
      'heartbeat.periodSeconds',
      { heartbeat: { periodSeconds: -5 } },
      (s: ReturnType<typeof resolveFleetSettingsWithWarnings>['settings']) => s.heartbeat.periodSeconds,
      10,
    ],
    [
      'jobs.defaultMaxAttempts',
      { jobs: { defaultMaxAttempts: 1e12 } },
      (s: ReturnType<typeof resolveFleetSettingsWithWarnings>['settings']) => s.jobs.defaultMaxAttempts,
      100,
    ],
    [
      'placement.maxJobsPerServer',
      { placement: { maxJobsPerServer: 0 } },
      (s: ReturnType<typeof resolveFleetSettingsWithWarnings>['settings']) => s.placement.maxJobsPerServer,
      1,
    ],
    [
      'coordinator.tickSeconds',
      { coordinator: { leaseSeconds: 10, tickSeconds: 3600 } },
      (s: ReturnType<typeof resolveFleetSettingsWithWarnings>['settings']) => s.coordinator.tickSeconds,
      5,
    ],
  ] as const)('%s out of bounds is clamped and said', (name, fleet, pick, expected) => {
    const { settings, warnings } = resolveFleetSettingsWithWarnings({ schemaVersion: 1, ...fleet } as unknown as FleetSettings);
    expect(pick(settings)).toBe(expected);
    expect(warnings.join('\n')).toContain(name);
  });

  it('sane settings give no warning', () => {
    expect(resolveFleetSettingsWithWarnings({ schemaVersion: 1, heartbeat: { periodSeconds: 30 }, pushBudget: { pushesPerMinute: 6 } }).warnings).toEqual([]);
  });

  it.each([
    [{ pushBudget: { pushesPerMinute: 0.1 } }, 5000],
    [{ pushBudget: { pushesPerMinute: 1e-300 } }, 1],
    [{ heartbeat: { periodSeconds: 86_400 } }, 100_000],
  ])('the announced period stays within the status schema whatever the fleet says (%j, %i servers)', (fleet, size) => {
    const settings = resolveFleetSettingsWithWarnings({ schemaVersion: 1, ...fleet } as FleetSettings).settings;
    const period = effectivePeriodSeconds(settings, size);
    expect(period).toBeLessThanOrEqual(MAX_PERIOD_SECONDS);
    const sample = simulatedCollector('x-01');
    return sample.sample().then((s) => {
      const status = buildStatusRecord({
        server: 'x-01',
        sample: s,
        seq: 1,
        mode: 'once',
        labels: [],
        capabilities: [],
        draining: false,
        runningJobs: [],
        periodSeconds: period,
        slotSeconds: period - 0.01,
        history: [],
        availability: { pct24h: 100, pct7d: 100 },
        settings,
      });
      expect(validateRecord('status', status)).toEqual([]);
    });
  });
});
