import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import {
  effectivePeriodSeconds,
  isHeartbeatDue,
  nextSlot,
  sampleCronExpression,
  sampleStepSeconds,
  slotAtOrBefore,
  slotOffsetMs,
} from './heartbeatSchedule.js';

const ids = Array.from({ length: 200 }, (_, i) => `server-${String(i).padStart(3, '0')}`);

describe('heartbeat slots', () => {
  it('are stable per server and spread a fleet over the period', () => {
    expect(slotOffsetMs('web-01', 60_000)).toBe(slotOffsetMs('web-01', 60_000));
    const buckets = new Array(10).fill(0);
    for (const id of ids) buckets[Math.floor(slotOffsetMs(id, 60_000) / 6_000)]++;
    // 200 servers over 10 six-second buckets: no bucket holds more than twice its share.
    expect(Math.max(...buckets)).toBeLessThanOrEqual(40);
    expect(Math.min(...buckets)).toBeGreaterThan(0);
  });

  it('make one heartbeat due per period, at the slot', () => {
    const period = 60_000;
    const slot = slotAtOrBefore(1_800_000_000_000, 'web-01', period);
    expect(isHeartbeatDue(null, slot, 'web-01', period)).toBe(true);
    expect(isHeartbeatDue(slot, slot + 30_000, 'web-01', period)).toBe(false);
    expect(isHeartbeatDue(slot, slot + period, 'web-01', period)).toBe(true);
    expect(nextSlot(slot + 1, 'web-01', period)).toBe(slot + period);
    // Missed slots (agent was down): due at once.
    expect(isHeartbeatDue(slot - 5 * period, slot - period / 2, 'web-01', period)).toBe(true);
  });

  it('stretch the period so the whole fleet stays inside the push budget', () => {
    const github = resolveFleetSettings(null, 'https://github.com/acme/fleet.git');
    const selfHosted = resolveFleetSettings(null, 'https://git.acme.internal/fleet.git');
    expect(github.pushBudget.pushesPerMinute).toBe(6);
    expect(effectivePeriodSeconds(github, 3)).toBe(60);
    // 200 servers at 6 pushes/min, 60 % of it for heartbeats: one each ~56 min.
    expect(effectivePeriodSeconds(github, 200)).toBe(3600);
    expect(effectivePeriodSeconds(selfHosted, 200)).toBe(360);
    const fixed = resolveFleetSettings({ schemaVersion: 1, heartbeat: { adaptive: false, periodSeconds: 30 } });
    expect(effectivePeriodSeconds(fixed, 10_000)).toBe(30);
    for (const n of [1, 10, 50, 200, 1000]) {
      const period = effectivePeriodSeconds(github, n);
      expect((n * 60) / period).toBeLessThanOrEqual(github.pushBudget.pushesPerMinute * 0.6 + 1e-9);
    }
  });

  it('sampling ticks are a cron expression with a tick on the slot', () => {
    const settings = resolveFleetSettings(null);
    const step = sampleStepSeconds(settings, 60);
    expect(60 % step).toBe(0);
    const expr = sampleCronExpression('web-01', 60, step);
    const slotSecond = Math.floor(slotOffsetMs('web-01', 60_000) / 1000);
    expect(expr.split(' ')[0]!.split(',').map(Number)).toContain(slotSecond);
    expect(expr).toMatch(/^[\d,]+ \* \* \* \* \*$/);
  });
});
