import { describe, expect, it } from 'vitest';
import type { RunningJob, ServerStatus } from '../schema/types.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { buildStatusRecord } from './buildStatusRecord.js';
import { slotAtOrBefore } from './heartbeatSchedule.js';
import { decidePublish, heartbeatSlotDue, nextNetworkTryAt, waitsForNetwork, type PublishInput } from './publishDecision.js';
import { hostSample } from '../../tests/helpers/hostSample.js';

const P = 60_000;
const SERVER = 'web-01';
const SLOT = slotAtOrBefore(Date.parse('2026-11-22T12:00:00.000Z'), SERVER, P);

function statusOf(over: { cpu?: number; jobs?: RunningJob[]; labels?: string[] } = {}): ServerStatus {
  return buildStatusRecord({
    server: SERVER,
    seq: 1,
    mode: 'daemon',
    labels: over.labels ?? ['web'],
    capabilities: [],
    draining: false,
    runningJobs: over.jobs ?? [],
    periodSeconds: 60,
    slotSeconds: 10,
    history: [],
    availability: { pct24h: 100, pct7d: 100 },
    settings: resolveFleetSettings(null),
    sample: hostSample({ at: SLOT, cpuPercent: over.cpu ?? 20 }),
  });
}

const pushed = statusOf();
const job: RunningJob = { id: 'build-1', attempt: 1, claimId: 'abcdef0123', startedAt: new Date(SLOT).toISOString() };
/** Pushed just after the previous slot; nothing handled since. */
const base: PublishInput = {
  server: SERVER,
  status: pushed,
  lastPushed: pushed,
  lastPushAt: SLOT - P + 1_000,
  lastSlotHandledAt: null,
  now: SLOT + 1_000,
  periodMs: P,
  maxSilencePeriods: 2,
};

describe('decidePublish: whether a cycle publishes, and why', () => {
  it.each<[string, Partial<PublishInput>, ReturnType<typeof decidePublish>]>([
    [
      'a first report publishes and measures the remote',
      { lastPushed: null, lastPushAt: null },
      { publish: true, reason: 'first report', measureLatency: true },
    ],
    [
      'forced, with its reason',
      { force: true, reason: 'run by hand (--now)', now: SLOT - 5_000 },
      { publish: true, reason: 'run by hand (--now)', measureLatency: false },
    ],
    ['forced, without a reason', { force: true, now: SLOT - 5_000 }, { publish: true, reason: 'forced', measureLatency: false }],
    [
      'a change of health publishes at once, between slots',
      { status: statusOf({ cpu: 99 }), now: SLOT - 5_000 },
      { publish: true, reason: 'health healthy -> failing', measureLatency: false },
    ],
    [
      'a significant change publishes even when heartbeats wait (agent --once)',
      { status: statusOf({ labels: ['db'] }), heartbeat: false },
      { publish: true, reason: 'labels changed', measureLatency: false },
    ],
    ['before the slot, nothing changed', { now: SLOT - 1_000 }, { publish: false, reason: 'nothing due', slotHandled: false }],
    ['at the slot, idle and heard from recently: the heartbeat is skipped', {}, { publish: false, reason: 'idle: heartbeat skipped', slotHandled: true }],
    [
      'the same while heartbeats wait: the slot is not handled yet',
      { heartbeat: false },
      { publish: false, reason: 'idle: heartbeat skipped', slotHandled: false },
    ],
    ['at the slot, the metrics moved', { status: statusOf({ cpu: 60 }) }, { publish: true, reason: 'heartbeat', measureLatency: true }],
    ['at the slot, the running jobs changed', { status: statusOf({ jobs: [job] }) }, { publish: true, reason: 'heartbeat', measureLatency: true }],
    [
      'at the slot, silent too long (a heartbeat was skipped already)',
      { lastPushAt: SLOT - 2 * P + 1_000, lastSlotHandledAt: SLOT - P + 1_000 },
      { publish: true, reason: 'heartbeat', measureLatency: true },
    ],
    ['a fleet that allows no silence never skips', { maxSilencePeriods: 1 }, { publish: true, reason: 'heartbeat', measureLatency: true }],
    ['the slot was handled by a skip already', { lastSlotHandledAt: SLOT + 500 }, { publish: false, reason: 'nothing due', slotHandled: false }],
    [
      'at the slot, not idle, while heartbeats wait',
      { status: statusOf({ cpu: 60 }), heartbeat: false },
      { publish: false, reason: 'nothing due', slotHandled: false },
    ],
  ])('%s', (_name, over, expected) => {
    expect(decidePublish({ ...base, ...over })).toEqual(expected);
  });
});

describe('heartbeatSlotDue: the slot counts as handled by a push or a skip', () => {
  it.each<[string, Partial<PublishInput>, boolean]>([
    ['never pushed', { lastPushAt: null }, true],
    ['pushed before this slot', {}, true],
    ['pushed after this slot', { lastPushAt: SLOT + 500 }, false],
    ['skipped after this slot', { lastSlotHandledAt: SLOT + 500 }, false],
    ['before the slot', { now: SLOT - 1_000 }, false],
    ['missed slots: due at once', { lastPushAt: SLOT - 3 * P, now: SLOT - 1_000 }, true],
  ])('%s', (_name, over, expected) => {
    const input = { ...base, ...over };
    expect(heartbeatSlotDue(input, input.now, SERVER, P)).toBe(expected);
  });
});

describe('offline: heartbeats wait for the next network try, with backoff', () => {
  it.each<[string, number | null, number, string, boolean]>([
    ['online: never waits', null, SLOT + 10_000, 'heartbeat', false],
    ['offline, before the next try: a heartbeat waits', SLOT - 60_000, SLOT + 10_000, 'heartbeat', true],
    ['offline, before the next try: a significant change tries at once', SLOT - 60_000, SLOT + 10_000, 'health healthy -> failing', false],
    ['offline, the next try has come', SLOT - 60_000, SLOT, 'heartbeat', false],
  ])('%s', (_name, offlineSince, nextTry, reason, expected) => {
    expect(waitsForNetwork(offlineSince, nextTry, SLOT, reason)).toBe(expected);
  });

  it.each<[string, number, number]>([
    ['just offline: 5 s', 1_000, 5_000],
    ['offline 20 s: 20 s', 20_000, 20_000],
    ['offline for long: a period at most', 10 * P, P],
  ])('%s', (_name, offlineFor, wait) => {
    expect(nextNetworkTryAt(SLOT, SLOT - offlineFor, P)).toBe(SLOT + wait);
  });
});
