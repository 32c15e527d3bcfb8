import { describe, expect, it } from 'vitest';
import type { GitBackend, TreeEntry } from '../git/GitBackend.js';
import { composeJob } from './composeJob.js';
import { assignJob, startJob } from './jobLifecycle.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { Job } from '../schema/types.js';
import { blobId } from '../store/blobId.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { RecordCache } from '../store/RecordCache.js';
import { Snapshot } from '../store/Snapshot.js';
import { finishJobPlan } from './attemptPlans.js';

/** A snapshot of files held in memory: the plan reads through the same Snapshot code. */
function snapshotOf(files: Record<string, string>): Snapshot {
  const blobs = new Map(Object.values(files).map((text) => [blobId(Buffer.from(text)), Buffer.from(text)]));
  const source: Pick<GitBackend, 'listTree' | 'readBlobs'> = {
    listTree: async (_commit, roots) =>
      Object.entries(files)
        .filter(([p]) => roots.some((r) => p === r || p.startsWith(`${r}/`)))
        .map(([path, text]): TreeEntry => ({ path, oid: blobId(Buffer.from(text)), size: Buffer.byteLength(text), mode: '100644' })),
    readBlobs: async (oids) => new Map(oids.map((o) => [o, blobs.get(o)!])),
  };
  return new Snapshot('c'.repeat(40), source, new RecordCache());
}

const T1 = new Date('2026-11-22T10:05:00.000Z');
const job: Job = startJob(assignJob({ ...composeJob({ kind: 'build', createdBy: 'op:a', now: Date.parse('2026-11-22T10:00:00Z') }), id: 'build-1' }, { server: 'web-01', claimId: 'abcdef0123', epoch: 1, actor: 'c', now: T1 }), T1);
const token = { attempt: job.assignment!.attempt, claimId: job.assignment!.claimId };
const failure = { exitCode: 1, finishedAt: T1.toISOString() };
const fleetWith = (maxAttempts: number) => JSON.stringify({ schemaVersion: 1, jobs: { defaultMaxAttempts: maxAttempts } });

describe('finishJobPlan: the retry budget comes from fleet.json, never from defaults it could not read', () => {
  it.each([
    ['a valid fleet.json of 1 attempt', fleetWith(1), undefined, 'dead'],
    ['no fleet.json: the defaults (3 attempts)', undefined, undefined, 'failed'],
    ['an unreadable fleet.json and the agent\'s last good settings of 1 attempt', '{"schemaVersion": 1, "jobs": ', 1, 'dead'],
  ])('%s', async (_name, fleetText, lastGoodAttempts, state) => {
    const files: Record<string, string> = { 'jobs/build-1.json': JSON.stringify(job), ...(fleetText ? { 'fleet.json': fleetText } : {}) };
    const lastGood = lastGoodAttempts ? resolveFleetSettings({ schemaVersion: 1, jobs: { defaultMaxAttempts: lastGoodAttempts } }) : undefined;
    const plan = finishJobPlan('build-1', 'web-01', token, 'failed', failure, { remoteUrl: '', ...(lastGood ? { lastGoodSettings: lastGood } : {}) });
    const out = await plan(snapshotOf(files), { attempt: 1, now: T1 });
    expect(out).toBeInstanceOf(ChangeSet);
    expect((out as ChangeSet).writes[0]!.record).toMatchObject({ id: 'build-1', state });
  });
});
