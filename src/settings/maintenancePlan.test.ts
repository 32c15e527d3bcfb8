import { describe, expect, it } from 'vitest';
import type { FleetSettings, MaintenanceWindow } from '../schema/types.js';
import { runPlan } from '../store/runPlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { maintenancePlan } from './maintenancePlan.js';

const NOW = new Date('2026-11-30T12:00:00.000Z');
const H = 3_600_000;
const fleet = (over: Partial<FleetSettings>) => ({ 'fleet.json': stringifyRecord({ schemaVersion: 1, ...over }) });
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const start = (target: string, durationMs = 2 * H) => maintenancePlan({ kind: 'start', target, durationMs, reason: 'kernel', by: 'op:alice', id: 'm-1' });

describe('maintenancePlan', () => {
  it('adds a window from now, keeping the other settings', async () => {
    const out = await runPlan(start('label:gpu'), fleet({ name: 'f', drain: ['web-02'] }), NOW);
    expect(out.writes).toEqual({
      'fleet.json': {
        schemaVersion: 1,
        name: 'f',
        drain: ['web-02'],
        maintenance: [{ id: 'm-1', target: 'label:gpu', start: NOW.toISOString(), end: at(2 * H), reason: 'kernel', by: 'op:alice' }],
      },
    });
  });

  it('cuts a window to 7 days', async () => {
    const out = await runPlan(start('web-01', 30 * 24 * H), null, NOW);
    expect((out.writes['fleet.json'] as FleetSettings).maintenance?.[0]?.end).toBe(at(7 * 24 * H));
  });

  it('prunes one-off windows that ended more than 7 days ago; weekly ones stay', async () => {
    const old: MaintenanceWindow = { target: 'a', start: at(-10 * 24 * H), end: at(-8 * 24 * H) };
    const recent: MaintenanceWindow = { target: 'a', start: at(-3 * 24 * H), end: at(-2 * 24 * H) };
    const weekly: MaintenanceWindow = { target: 'a', weekly: { days: ['sun'], at: '02:00', minutes: 60 } };
    const out = await runPlan(start('b'), fleet({ maintenance: [old, recent, weekly] }), NOW);
    expect(out.value?.pruned).toBe(1);
    expect((out.writes['fleet.json'] as FleetSettings).maintenance?.map((w) => w.target)).toEqual(['a', 'a', 'b']);
  });

  it.each([
    [
      'ends the open window of the target now',
      [{ target: 'web-01', start: at(-H), end: at(H) }],
      [{ target: 'web-01', start: at(-H), end: NOW.toISOString() }],
    ],
    [
      'leaves windows of other targets and later ones alone',
      [
        { target: 'web-01', start: at(H), end: at(2 * H) },
        { target: 'all', start: at(-H), end: at(H) },
      ],
      null,
    ],
  ] as [string, MaintenanceWindow[], MaintenanceWindow[] | null][])('--end %s', async (_name, windows, written) => {
    const out = await runPlan(maintenancePlan({ kind: 'end', target: 'web-01', by: 'op:alice' }), fleet({ maintenance: windows }), NOW);
    if (written) expect((out.writes['fleet.json'] as FleetSettings).maintenance).toEqual(written);
    else expect(out.aborted?.code).toBe('not-found');
  });

  it('never rewrites a fleet.json it cannot parse', async () => {
    const out = await runPlan(start('web-01'), { 'fleet.json': '{"schemaVersion": 1, "name": ' }, NOW);
    expect(out.aborted?.code).toBe('invalid-record');
  });
});
