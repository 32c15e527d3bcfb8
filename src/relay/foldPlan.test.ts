import { describe, expect, it } from 'vitest';
import type { ServerStatus } from '../schema/types.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { buildStatusRecord } from '../status/buildStatusRecord.js';
import { runPlan } from '../store/runPlan.js';
import { hostSample } from '../../tests/helpers/hostSample.js';
import { foldPlan } from './foldPlan.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');

function statusOf(server: string, seq: number, at = NOW): ServerStatus {
  return buildStatusRecord({
    server,
    seq,
    mode: 'daemon',
    labels: [],
    capabilities: [],
    draining: false,
    runningJobs: [],
    periodSeconds: 60,
    slotSeconds: 10,
    history: [],
    availability: { pct24h: 100, pct7d: 100 },
    settings: resolveFleetSettings(null),
    sample: hostSample({ at }),
  });
}

const file = (s: ServerStatus) => ({ [`status/${s.server}.json`]: JSON.stringify(s) });

describe('foldPlan', () => {
  const cases: { name: string; upstream: Record<string, string>; inbox: ServerStatus[]; written: string[]; skipped: string[] }[] = [
    {
      name: 'writes every heartbeat of an empty upstream in one change set',
      upstream: {},
      inbox: [statusOf('a', 1), statusOf('b', 1), statusOf('c', 4)],
      written: ['a', 'b', 'c'],
      skipped: [],
    },
    { name: 'a newer seq replaces the upstream record', upstream: file(statusOf('a', 3)), inbox: [statusOf('a', 4)], written: ['a'], skipped: [] },
    { name: 'an equal seq is already there (folded last period)', upstream: file(statusOf('a', 4)), inbox: [statusOf('a', 4)], written: [], skipped: ['a'] },
    {
      name: 'an older seq never goes over a newer one (the agent fell back to the upstream)',
      upstream: { ...file(statusOf('a', 9)), ...file(statusOf('b', 1)) },
      inbox: [statusOf('a', 5), statusOf('b', 2)],
      written: ['b'],
      skipped: ['a'],
    },
    {
      name: 'an unreadable upstream record is replaced, as its own agent would',
      upstream: { 'status/a.json': '{"server": ' },
      inbox: [statusOf('a', 1)],
      written: ['a'],
      skipped: [],
    },
    {
      name: 'a far-future updatedAt is not believed',
      upstream: {},
      inbox: [statusOf('a', 2, NOW + 3_600_000), statusOf('b', 1)],
      written: ['b'],
      skipped: ['a'],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const out = await runPlan(foldPlan(c.inbox), c.upstream, new Date(NOW));
      expect(Object.keys(out.writes).sort()).toEqual(c.written.map((s) => `status/${s}.json`));
      expect(out.value?.written.sort()).toEqual(c.written);
      expect(out.value?.skipped.map((s) => s.server).sort()).toEqual(c.skipped);
      for (const s of c.written) expect((out.writes[`status/${s}.json`] as ServerStatus).seq).toBe(c.inbox.find((x) => x.server === s)!.seq);
    });
  }
});
