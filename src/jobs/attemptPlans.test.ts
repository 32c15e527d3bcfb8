import { describe, expect, it } from 'vitest';
import { composeJob } from './composeJob.js';
import { assignJob, cancelJob, startJob } from './jobLifecycle.js';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { Job } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { isAbort, isDecision, type Abort, type AbortCode, type Decision, type PlanResult } from '../store/Plan.js';
import type { Snapshot } from '../store/Snapshot.js';
import { finishJobPlan, refuseJobPlan, startJobPlan, type FinishFindings } from './attemptPlans.js';
import { memorySnapshot } from '../store/memorySnapshot.js';

/** Files held in memory, read through the same Snapshot code as a git head. */
const snapshotOf = (files: Record<string, string>) => memorySnapshot(files);

const T1 = new Date('2026-11-22T10:05:00.000Z');
const T2 = new Date('2026-11-22T10:10:00.000Z');
const queued: Job = { ...composeJob({ kind: 'build', createdBy: 'op:a', now: Date.parse('2026-11-22T10:00:00Z') }), id: 'build-1' };
const assigned: Job = assignJob(queued, { server: 'web-01', claimId: 'abcdef0123', epoch: 1, actor: 'c', now: T1 });
const job: Job = startJob(assigned, T1);
const token = { attempt: job.assignment!.attempt, claimId: job.assignment!.claimId };
/** The same job failed over to another server (a second attempt). */
const reassigned: Job = startJob(assignJob({ ...job, state: 'queued' }, { server: 'web-02', claimId: '9988776655', epoch: 1, actor: 'c', now: T1 }), T1);
const filesWith = (j: Job | string | undefined): Record<string, string> =>
  j === undefined ? {} : { 'jobs/build-1.json': typeof j === 'string' ? j : JSON.stringify(j) };
const run = (plan: (s: Snapshot, c: { attempt: number; now: Date }) => unknown, j: Job | string | undefined, extra: Record<string, string> = {}) =>
  plan(snapshotOf({ ...filesWith(j), ...extra }), { attempt: 1, now: T2 }) as Promise<PlanResult<unknown>>;
const written = (out: PlanResult<unknown>): Job | undefined => {
  const changes = out instanceof ChangeSet ? out : isDecision(out) ? out.changes : null;
  return changes?.writes[0]?.record as Job | undefined;
};
const abortCode = (out: PlanResult<unknown>): AbortCode | null => (isAbort(out) ? (out as Abort).code : null);
const failure = { exitCode: 1, finishedAt: T1.toISOString() };
const fleetWith = (maxAttempts: number) => JSON.stringify({ schemaVersion: 1, jobs: { defaultMaxAttempts: maxAttempts } });

describe('finishJobPlan: the retry budget comes from fleet.json, never from defaults it could not read', () => {
  it.each([
    ['a valid fleet.json of 1 attempt', fleetWith(1), undefined, 'dead'],
    ['no fleet.json: the defaults (3 attempts)', undefined, undefined, 'failed'],
    ["an unreadable fleet.json and the agent's last good settings of 1 attempt", '{"schemaVersion": 1, "jobs": ', 1, 'dead'],
  ])('%s', async (_name, fleetText, lastGoodAttempts, state) => {
    const files: Record<string, string> = { 'jobs/build-1.json': JSON.stringify(job), ...(fleetText ? { 'fleet.json': fleetText } : {}) };
    const lastGood = lastGoodAttempts ? resolveFleetSettings({ schemaVersion: 1, jobs: { defaultMaxAttempts: lastGoodAttempts } }) : undefined;
    const plan = finishJobPlan('build-1', 'web-01', token, 'failed', failure, { remoteUrl: '', ...(lastGood ? { lastGoodSettings: lastGood } : {}) });
    const out = await plan(snapshotOf(files), { attempt: 1, now: T1 });
    expect(isDecision(out)).toBe(true);
    expect((out as Decision<FinishFindings>).changes!.writes[0]!.record).toMatchObject({ id: 'build-1', state });
  });
});

describe('startJobPlan: only the holder of the current assignment starts it', () => {
  it.each<[string, Job | string | undefined, Partial<Job> | null, AbortCode | null]>([
    ['assigned here, token held: running', assigned, { state: 'running', assignment: { ...assigned.assignment!, startedAt: T2.toISOString() } }, null],
    ['already running (a second start)', job, null, 'not-assigned'],
    ['assigned to another server', reassigned, null, 'not-assigned'],
    ['assigned here under another claim', { ...assigned, assignment: { ...assigned.assignment!, claimId: '0000000000' } }, null, 'not-assigned'],
    ['a cancel was requested before it started', { ...assigned, cancel: { requestedBy: 'op:a', requestedAt: T1.toISOString() } }, null, 'not-assigned'],
    ['cancelled (no longer assigned)', cancelJob(assigned, 'op:a', undefined, T1), null, 'not-assigned'],
    ['gone', undefined, null, 'not-assigned'],
    ['an unreadable job file is left alone', '{"schemaVersion": 1', null, 'not-assigned'],
  ])('%s', async (_name, current, expected, code) => {
    const out = await run(startJobPlan('build-1', 'web-01', token), current);
    expect(abortCode(out)).toBe(code);
    if (expected) expect(written(out)).toMatchObject(expected);
    else expect(written(out)).toBeUndefined();
  });
});

describe('refuseJobPlan: a job this server cannot run is cancelled as refused, by its holder only', () => {
  it.each<[string, Job | undefined, AbortCode | null]>([
    ['assigned here', assigned, null],
    ['running here', job, null],
    ['failed over to another server', reassigned, 'not-assigned'],
    ['gone', undefined, 'not-assigned'],
  ])('%s', async (_name, current, code) => {
    const out = await run(refuseJobPlan('build-1', 'web-01', token, 'unknown kind build'), current);
    expect(abortCode(out)).toBe(code);
    if (code) return expect(written(out)).toBeUndefined();
    const next = written(out)!;
    expect(next).toMatchObject({ state: 'cancelled', reason: 'refused: unknown kind build (on web-01)' });
    expect(next).not.toHaveProperty('assignment');
    expect(next.history?.at(-1)).toMatchObject({ outcome: 'refused', server: 'web-01', attempt: 1 });
  });
});

describe('finishJobPlan: the result applies only to the current attempt; a late one is recorded and said to be stale', () => {
  const success = { exitCode: 0, finishedAt: T2.toISOString() };
  it.each<[string, Job | undefined, Partial<Job> | null, FinishFindings | null, AbortCode | null]>([
    ['running here: applied', job, { state: 'succeeded', result: success }, { stale: false }, null],
    ['failed over to another server: recorded, not applied', reassigned, { state: 'running', assignment: reassigned.assignment! }, { stale: true }, null],
    ['assigned here but never started: recorded, not applied', assigned, { state: 'assigned' }, { stale: true }, null],
    ['cancelled while queued: recorded, not applied', cancelJob(assigned, 'op:a', undefined, T1), { state: 'cancelled' }, { stale: true }, null],
    ['gone: nothing to record', undefined, null, null, 'not-found'],
  ])('%s', async (_name, current, expected, value, code) => {
    const out = await run(finishJobPlan('build-1', 'web-01', token, 'succeeded', success, { remoteUrl: '' }), current);
    expect(abortCode(out)).toBe(code);
    expect(isDecision(out) ? out.value : null).toEqual(value);
    if (!expected) return expect(written(out)).toBeUndefined();
    const next = written(out)!;
    expect(next).toMatchObject(expected);
    if (value?.stale) expect(next.history?.at(-1)).toMatchObject({ outcome: 'stale-result', server: 'web-01', claimId: token.claimId, exitCode: 0 });
    else expect(next.history?.at(-1)).toMatchObject({ outcome: 'succeeded', server: 'web-01' });
  });
});
