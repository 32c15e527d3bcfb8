import { describe, expect, it } from 'vitest';
import type { FleetSettings } from '../schema/types.js';
import { projectBudget, renewalIntervalSeconds } from './budgetProjection.js';
import { resolveFleetSettings } from './fleetSettings.js';
import { measureRates } from './measureRates.js';

const GITHUB = 'https://github.com/acme/fleet.git';
const settings = (extra: Partial<FleetSettings> = {}) => resolveFleetSettings({ schemaVersion: 1, ...extra }, GITHUB);
const servers = (n: number, periodSeconds?: number) => Array.from({ length: n }, () => ({ periodSeconds }));

describe('renewalIntervalSeconds: an idle leader renews at the first tick past half its lease', () => {
  it.each([
    [60, 10, 40],
    [60, 7, 35],
    [60, 30, 60],
    [300, 60, 180],
  ])('lease %i s, tick %i s: every %i s', (lease, tick, expected) => {
    expect(renewalIntervalSeconds(lease, tick)).toBe(expected);
  });
});

describe('projectBudget: every writer against the budget and the host', () => {
  it.each([
    // [name, settings, servers, measured, pushes/min, reads/s, state]
    ['10 servers every 60 s, idle', settings(), servers(10, 60), null, 10 + 1.5, 10 * (1 / 5 + 1 / 60) + 0.1, 'over'],
    ['3 servers every 120 s', settings(), servers(3, 120), null, 1.5 + 1.5, 3 * (1 / 5 + 1 / 120) + 0.1, 'ok'],
    ['3 servers, busy jobs and messages', settings(), servers(3, 120), { windowMinutes: 60, jobs: 1.5, messages: 0.5 }, 5, 3 * (1 / 5 + 1 / 120) + 0.1, 'near'],
    [
      '2,000 servers behind 10 relays every 60 s, lease 300 s',
      settings({ relays: { count: 10, periodSeconds: 60 }, coordinator: { leaseSeconds: 300, tickSeconds: 60 } }),
      servers(2000, 60),
      null,
      10 + 60 / 180,
      10 / 60 + 1 / 60,
      'over',
    ],
    [
      '2,000 servers behind 4 relays every 120 s, lease 300 s',
      settings({ relays: { count: 4, periodSeconds: 120 }, coordinator: { leaseSeconds: 300, tickSeconds: 60 } }),
      servers(2000, 60),
      null,
      2 + 60 / 180,
      4 / 120 + 1 / 60,
      'ok',
    ],
  ] as const)('%s', (_name, s, list, measured, pushes, reads, state) => {
    const p = projectBudget({ settings: s, servers: list, measured });
    expect(p.pushesPerMinute).toBeCloseTo(pushes, 1);
    expect(p.readsPerSecond).toBeCloseTo(reads, 1);
    expect(p.state).toBe(state);
    expect(p.problems.length > 0).toBe(state !== 'ok');
    expect(p.lines.map((l) => l.writer)).toEqual(
      s.relays ? ['heartbeats', 'relays', 'coordinator', 'jobs', 'messages'] : ['heartbeats', 'coordinator', 'jobs', 'messages'],
    );
  });

  it('servers without an announced period count at the period the settings give for the fleet size', () => {
    const p = projectBudget({ settings: settings(), servers: servers(60), measured: null });
    // 60 servers, budget 6 * 0.6 heartbeats: stretched to 1200 s.
    expect(p.lines[0]!.pushesPerMinute).toBeCloseTo(3, 1);
  });

  it('the host limits come from fleet.json when it names them', () => {
    const p = projectBudget({ settings: settings({ host: { pushesPerMinute: 100, readsPerSecond: 100 } }), servers: servers(10, 60), measured: null });
    expect(p.host).toEqual({ pushesPerMinute: 100, readsPerSecond: 100 });
    expect(p.state).toBe('near'); // over the fleet's own budget of 6, not the host's
  });

  it('relays.servers leaves the rest of the fleet direct', () => {
    const p = projectBudget({ settings: settings({ relays: { count: 1, periodSeconds: 60, servers: 8 } }), servers: servers(10, 60), measured: null });
    expect(p.lines[0]!.pushesPerMinute).toBe(2);
    expect(p.lines[1]!.pushesPerMinute).toBe(1);
  });
});

describe('measureRates: job and message pushes a minute from recent history', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const c = (minutesAgo: number, ...paths: string[]) => ({ time: now - minutesAgo * 60_000, files: paths.map((path) => ({ path })) });
  it.each([
    ['nothing', [], 0, 0],
    ['heartbeats and renewals only', [c(1, 'status/a.json'), c(2, 'coordinator.json')], 0, 0],
    ['jobs and messages in the window', [c(1, 'jobs/j1.json'), c(5, 'jobs/j2.json', 'status/a.json'), c(9, 'messages/m1.json')], 2 / 10, 1 / 10],
    ['a commit touching both counts for both', [c(1, 'jobs/j1.json', 'messages/receipts/a.json')], 1 / 10, 1 / 10],
    ['older than the window, or far in the future: not counted', [c(11, 'jobs/j1.json'), c(-30, 'messages/m.json')], 0, 0],
  ] as const)('%s', (_name, commits, jobs, messages) => {
    const r = measureRates(commits, now, 10 * 60_000);
    expect(r).toEqual({ windowMinutes: 10, jobs: expect.closeTo(jobs, 5), messages: expect.closeTo(messages, 5) });
  });
});
