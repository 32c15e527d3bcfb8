import { ARCHIVE_LAYOUT_MARKERS, shardOf } from '../store/recordPaths.js';
import { describe, expect, it } from 'vitest';
import { composeJob } from '../jobs/composeJob.js';
import type { CoordinatorLease, Job } from '../schema/types.js';
import { blobId } from '../store/blobId.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { isAbort, isDecision } from '../store/Plan.js';
import type { JobDecision } from './planTick.js';
import { tickCommitPlan, type TickCommitInput } from './tickCommitPlan.js';
import { memorySnapshot } from '../store/memorySnapshot.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Files held in memory, read through the same Snapshot code as a git head. */
const snapshotOf = (files: Record<string, string>) => memorySnapshot(files);

const lease = (over: Partial<CoordinatorLease> = {}): CoordinatorLease => ({
  schemaVersion: 1,
  holder: 'coord-a',
  epoch: 3,
  leaseUntil: new Date(NOW + 30_000).toISOString(),
  takenAt: new Date(NOW - 3_600_000).toISOString(),
  ...over,
});

const queued: Job = { ...composeJob({ kind: 'build', createdBy: 'op:a', now: NOW - 60_000 }), id: 'build-1' };
const finished: Job = { ...queued, id: 'old-1', state: 'succeeded', attempts: 1, updatedAt: '2026-10-05T08:00:00.000Z' };
const assigned: Job = { ...queued, state: 'assigned' };
const oidOf = (job: Job) => blobId(Buffer.from(json(job)));
const decision = (action: JobDecision['action'], base: Job, job: Job = base): JobDecision => ({ id: base.id, baseOid: oidOf(base), action, job, note: '' });

const input = (over: Partial<TickCommitInput> = {}): TickCommitInput => ({
  holder: 'coord-a',
  expected: 'leader',
  epoch: 3,
  heldEpoch: 3,
  takenAt: NOW - 3_600_000,
  leaseSeconds: 60,
  tick: 7,
  decisions: [],
  now: () => NOW,
  ...over,
});

const files = (lease: CoordinatorLease | null, ...jobs: Job[]): Record<string, string> => ({
  ...(lease ? { 'coordinator.json': json(lease) } : {}),
  ...Object.fromEntries(jobs.map((j) => [`jobs/${j.id}.json`, json(j)])),
});

describe('tickCommitPlan: the lease decides whether the tick writes', () => {
  it.each([
    ['another live lease', files(lease({ holder: 'coord-b', epoch: 4 })), input(), 'the lease is held by coord-b (epoch 4)'],
    ['a leader whose epoch was taken over', files(lease({ epoch: 4 })), input(), 'the lease is held by coord-a (epoch 4)'],
    [
      'a take whose lease another took meanwhile',
      files(lease({ holder: 'coord-b', epoch: 4, leaseUntil: new Date(NOW - 1000).toISOString() })),
      input({ expected: 'take', epoch: 4, heldEpoch: null }),
      'changed hands',
    ],
    ['a leader whose lease lapsed and went to nobody: take, not leader', files(null), input(), 'changed hands'],
  ])('%s: aborts with lease-held', async (_name, tree, given, reason) => {
    const out = await tickCommitPlan(given)(snapshotOf(tree), { attempt: 1, now: new Date(NOW) });
    expect(isAbort(out) && out.code).toBe('lease-held');
    expect(isAbort(out) && out.reason).toContain(reason);
  });

  it.each([
    ['a leader renews, keeping when it took over', files(lease()), input(), { epoch: 3, takenAt: new Date(NOW - 3_600_000).toISOString() }],
    [
      'a take of no lease writes epoch 1 taken now',
      files(null),
      input({ expected: 'take', epoch: 1, heldEpoch: null, takenAt: null }),
      { epoch: 1, takenAt: new Date(NOW).toISOString() },
    ],
    [
      'a take of an expired lease writes the next epoch',
      files(lease({ holder: 'coord-b', leaseUntil: new Date(NOW - 1000).toISOString() })),
      input({ expected: 'take', epoch: 4, heldEpoch: null }),
      { epoch: 4, takenAt: new Date(NOW).toISOString() },
    ],
  ])('%s', async (_name, tree, given, expected) => {
    const out = await tickCommitPlan(given)(snapshotOf(tree), { attempt: 1, now: new Date(NOW) });
    expect(isDecision(out)).toBe(true);
    if (!isDecision(out)) return;
    expect(out.changes?.writes.map((w) => w.record)).toEqual([
      { schemaVersion: 1, holder: 'coord-a', leaseUntil: new Date(NOW + 60_000).toISOString(), renewedAt: new Date(NOW).toISOString(), tick: 7, ...expected },
    ]);
    expect(out.value).toEqual({ tick: 7, skipped: 0, decisions: { assign: 0, lose: 0, refuse: 0, cancel: 0, dead: 0, archive: 0 } });
  });
});

describe('tickCommitPlan: decisions land only on the blob they were decided on', () => {
  const row = (
    name: string,
    tree: Record<string, string>,
    decisions: JobDecision[],
    writes: string[],
    deletes: string[],
    counts: Partial<Record<JobDecision['action'], number>>,
    skipped: number,
  ) => ({ name, tree, decisions, writes, deletes, counts, skipped });
  it.each([
    row(
      'an assignment of an unchanged job',
      files(lease(), queued),
      [decision('assign', queued, assigned)],
      ['coordinator.json', 'jobs/build-1.json'],
      [],
      { assign: 1 },
      0,
    ),
    row(
      'a job changed since the tick read it',
      files(lease(), { ...queued, priority: 'high' }),
      [decision('assign', queued, assigned)],
      ['coordinator.json'],
      [],
      {},
      1,
    ),
    row('a job gone since the tick read it', files(lease()), [decision('refuse', queued, queued)], ['coordinator.json'], [], {}, 1),
    row(
      'an archive moves the job under the month it ended',
      files(lease(), finished),
      [decision('archive', finished)],
      ['coordinator.json', 'jobs/archive/2026-10/old-1.json'],
      ['jobs/old-1.json'],
      { archive: 1 },
      0,
    ),
    row(
      'an archive goes into the job’s shard once jobs/archive/README.md marks layout 2',
      { ...files(lease(), finished), [ARCHIVE_LAYOUT_MARKERS.job]: '# sharded\n' },
      [decision('archive', finished)],
      ['coordinator.json', `jobs/archive/2026-10/${shardOf('old-1')}/old-1.json`],
      ['jobs/old-1.json'],
      { archive: 1 },
      0,
    ),
    row(
      'an archive of a job that ended in the future goes under this month',
      files(lease(), { ...finished, updatedAt: '2027-03-01T00:00:00.000Z' }),
      [decision('archive', { ...finished, updatedAt: '2027-03-01T00:00:00.000Z' })],
      ['coordinator.json', 'jobs/archive/2026-11/old-1.json'],
      ['jobs/old-1.json'],
      { archive: 1 },
      0,
    ),
    row(
      'some land, some are skipped',
      files(lease(), queued, { ...finished, reason: 'edited' }),
      [decision('assign', queued, assigned), decision('archive', finished)],
      ['coordinator.json', 'jobs/build-1.json'],
      [],
      { assign: 1 },
      1,
    ),
  ])('$name', async ({ tree, decisions, writes, deletes, counts, skipped }) => {
    const out = await tickCommitPlan(input({ decisions }))(snapshotOf(tree), { attempt: 2, now: new Date(NOW) });
    expect(isDecision(out)).toBe(true);
    if (!isDecision(out)) return;
    expect(out.changes).toBeInstanceOf(ChangeSet);
    expect(out.changes!.writes.map((w) => w.path)).toEqual(writes);
    expect(out.changes!.deletes).toEqual(deletes);
    expect(out.value).toEqual({ tick: 7, skipped, decisions: { assign: 0, lose: 0, refuse: 0, cancel: 0, dead: 0, archive: 0, ...counts } });
  });

  it('runs the same on a replay: the tick number is the one it was given, not counted up', async () => {
    const plan = tickCommitPlan(input({ decisions: [decision('assign', queued, assigned)] }));
    const snap = snapshotOf(files(lease(), queued));
    const first = await plan(snap, { attempt: 1, now: new Date(NOW) });
    const second = await plan(snap, { attempt: 2, now: new Date(NOW) });
    expect(second).toEqual(first);
    expect(isDecision(second) && second.value.tick).toBe(7);
  });
});
