import { describe, expect, it } from 'vitest';
import { resolveFleetSettings } from '../settings/fleetSettings.js';
import type { Job } from '../schema/types.js';
import { validateRecord } from '../schema/validateRecord.js';
import { assignJob, cancelJob, finishJob, holdsToken, loseJob, recordStaleResult, refuseJob, retryJob, startJob } from './jobLifecycle.js';

const T0 = new Date('2026-11-22T10:00:00.000Z');
const T1 = new Date('2026-11-22T10:05:00.000Z');
const T2 = new Date('2026-11-22T10:10:00.000Z');
const settings = resolveFleetSettings(null); // 3 attempts, retry base 10 s, cap 600 s
const result = { exitCode: 1, finishedAt: T2.toISOString() };
const finishOpts = { now: T2, settings, random: () => 0.5 };

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function queued(over: Partial<Job> = {}): Job {
  return deepFreeze({
    schemaVersion: 1,
    id: 'build-1',
    kind: 'build',
    params: { ref: 'main' },
    priority: 'normal',
    state: 'queued',
    createdAt: T0.toISOString(),
    createdBy: 'op:alice',
    attempts: 0,
    ...over,
  } as Job);
}

/** Valid against the schema, and frozen so that a later transition cannot mutate it either. */
function valid(job: Job): Job {
  expect(validateRecord('job', job)).toEqual([]);
  return deepFreeze(job);
}

const assign = (job: Job, server = 'web-01', claimId = 'abcdef0123') => valid(assignJob(job, { server, claimId, epoch: 4, actor: 'coord-1', now: T1 }));
const running = (job: Job = queued()) => valid(startJob(assign(job), T1));

describe('assignJob / startJob', () => {
  it('counts the attempt, writes the fencing token and clears retryAt and reason', () => {
    const failed = queued({ state: 'failed', attempts: 1, failures: 1, retryAt: T1.toISOString(), reason: 'failed (exit code 1)' });
    const next = assign(failed, 'web-02', '0011223344');
    expect(next).toMatchObject({ state: 'assigned', attempts: 2, updatedAt: T1.toISOString() });
    expect(next.assignment).toEqual({ server: 'web-02', attempt: 2, claimId: '0011223344', assignedAt: T1.toISOString(), assignedBy: 'coord-1', epoch: 4 });
    expect(next).not.toHaveProperty('retryAt');
    expect(next).not.toHaveProperty('reason');
    expect(failed.state).toBe('failed');
  });

  it('start keeps the token and records startedAt; without an assignment it throws', () => {
    const job = running();
    expect(job.state).toBe('running');
    expect(job.assignment).toMatchObject({ attempt: 1, claimId: 'abcdef0123', startedAt: T1.toISOString() });
    expect(() => startJob(queued(), T1)).toThrow(/no assignment/);
  });
});

describe('finishJob', () => {
  it('succeeded: terminal, result kept, assignment moved into history', () => {
    const next = valid(finishJob(running(), 'succeeded', { exitCode: 0, finishedAt: T2.toISOString() }, finishOpts));
    expect(next.state).toBe('succeeded');
    expect(next.result?.exitCode).toBe(0);
    expect(next).not.toHaveProperty('assignment');
    expect(next.history).toEqual([
      {
        attempt: 1,
        server: 'web-01',
        claimId: 'abcdef0123',
        assignedAt: T1.toISOString(),
        startedAt: T1.toISOString(),
        endedAt: T2.toISOString(),
        outcome: 'succeeded',
        exitCode: 0,
      },
    ]);
  });

  it('failed with attempts left: state failed, a failure counted, retryAt in the future', () => {
    const next = valid(finishJob(running(), 'failed', result, finishOpts));
    expect(next.state).toBe('failed');
    expect(next.failures).toBe(1);
    expect(Date.parse(next.retryAt!)).toBeGreaterThan(T2.getTime());
    expect(next.reason).toMatch(/^failed \(exit code 1\); attempt 1 of 3, retry at /);
    expect(next.history?.at(-1)?.outcome).toBe('failed');
  });

  it('timeout is a failure too', () => {
    const next = valid(finishJob(running(), 'timeout', { exitCode: null, finishedAt: T2.toISOString() }, finishOpts));
    expect(next.state).toBe('failed');
    expect(next.reason).toMatch(/^timed out; attempt 1 of 3/);
    expect(next.history?.at(-1)?.outcome).toBe('timeout');
  });

  it('dead with a reason once the budget is used up', () => {
    const last = running(queued({ state: 'failed', attempts: 2, failures: 2, maxAttempts: 3 }));
    const next = valid(finishJob(last, 'failed', result, finishOpts));
    expect(next.state).toBe('dead');
    expect(next.failures).toBe(3);
    expect(next.reason).toBe('failed (exit code 1); no attempts left (3 of 3)');
    expect(next).not.toHaveProperty('retryAt');
  });

  it('a cancel request turns a failed finish into cancelled', () => {
    const job = valid(cancelJob(running(), 'op:bob', 'wrong branch', T1));
    const next = valid(finishJob(job, 'failed', result, finishOpts));
    expect(next.state).toBe('cancelled');
    expect(next.reason).toBe('cancelled by op:bob: wrong branch');
    const explicit = valid(finishJob(running(), 'cancelled', result, finishOpts));
    expect(explicit.state).toBe('cancelled');
  });
});

describe('loseJob', () => {
  it('counts the lost lease, records a lost entry and requeues without backoff', () => {
    const next = valid(loseJob(running(), 'server web-01 is dead', finishOpts));
    expect(next).toMatchObject({ state: 'queued', lostLeases: 1, attempts: 1, reason: 'requeued: server web-01 is dead' });
    expect(next).not.toHaveProperty('assignment');
    expect(next).not.toHaveProperty('retryAt');
    expect(next.history?.at(-1)).toMatchObject({ attempt: 1, outcome: 'lost', server: 'web-01', reason: 'server web-01 is dead' });
  });

  it('a long, multi-line reason still yields a valid record', () => {
    const next = valid(loseJob(running(), `manual failover\n${'y'.repeat(250)}`, finishOpts));
    expect(next.reason).toMatch(/^requeued: manual failover y+…$/);
  });

  it('dead when no attempts are left', () => {
    const job = assign(queued({ attempts: 2, maxAttempts: 3, lostLeases: 2 }));
    const next = valid(loseJob(job, 'not started', finishOpts));
    expect(next).toMatchObject({ state: 'dead', lostLeases: 3, reason: 'not started; no attempts left (3 of 3)' });
  });
});

describe('cancelJob', () => {
  it('cancels a queued job at once', () => {
    const next = valid(cancelJob(queued(), 'op:bob', undefined, T1));
    expect(next).toMatchObject({ state: 'cancelled', reason: 'cancelled by op:bob', cancel: { requestedBy: 'op:bob', requestedAt: T1.toISOString() } });
  });

  it('only asks a running job to stop', () => {
    const before = running();
    const next = valid(cancelJob(before, 'op:bob', 'no longer needed', T2));
    expect(next.state).toBe('running');
    expect(next.assignment).toEqual(before.assignment);
    expect(next.cancel).toEqual({ requestedBy: 'op:bob', requestedAt: T2.toISOString(), reason: 'no longer needed' });
  });

  it('an assigned job is cancelled and its assignment kept in history', () => {
    const next = valid(cancelJob(assign(queued()), 'op:bob', undefined, T2));
    expect(next.state).toBe('cancelled');
    expect(next).not.toHaveProperty('assignment');
    expect(next.history?.at(-1)).toMatchObject({ outcome: 'cancelled', server: 'web-01', claimId: 'abcdef0123' });
  });

  it('a long, multi-line reason still yields a valid record', () => {
    const next = valid(cancelJob(running(), 'op:bob', `line one\nline two ${'x'.repeat(300)}`, T2));
    expect(next.cancel?.reason?.length).toBeLessThanOrEqual(200);
  });
});

describe('retryJob', () => {
  it('starts a fresh budget: a dead job runs again and may fail again without dying', () => {
    const dead = valid(finishJob(running(queued({ state: 'failed', attempts: 2, failures: 2 })), 'failed', result, finishOpts));
    expect(dead.state).toBe('dead');
    const retried = valid(retryJob(dead, T2));
    expect(retried).toMatchObject({ state: 'queued', attempts: 3, attemptsAtRetry: 3 });
    for (const key of ['reason', 'retryAt', 'assignment', 'result', 'cancel']) expect(retried).not.toHaveProperty(key);
    const again = valid(finishJob(running(retried), 'failed', result, finishOpts));
    expect(again.state).toBe('failed');
    expect(again.reason).toMatch(/attempt 1 of 3/);
  });

  it('clears a cancel request', () => {
    const cancelled = valid(cancelJob(queued(), 'op:bob', 'oops', T1));
    expect(valid(retryJob(cancelled, T2))).not.toHaveProperty('cancel');
  });
});

describe('refuseJob / recordStaleResult / holdsToken', () => {
  it('refuse: cancelled with a refused: reason and a refused history entry', () => {
    const next = valid(refuseJob(assign(queued()), 'unknown kind build', T2, 'web-01'));
    expect(next).toMatchObject({ state: 'cancelled', reason: 'refused: unknown kind build' });
    expect(next).not.toHaveProperty('assignment');
    expect(next.history?.at(-1)).toMatchObject({ attempt: 1, outcome: 'refused', server: 'web-01' });
  });

  it('a stale result is recorded but the state is unchanged', () => {
    const job = running(queued({ attempts: 1 }));
    const next = valid(recordStaleResult(job, 'web-09', { attempt: 1, claimId: 'deadbeef00' }, 'succeeded', 0, T2));
    expect(next.state).toBe('running');
    expect(next.assignment).toEqual(job.assignment);
    expect(next.result).toBeUndefined();
    expect(next.history).toEqual([
      {
        attempt: 1,
        server: 'web-09',
        claimId: 'deadbeef00',
        endedAt: T2.toISOString(),
        outcome: 'stale-result',
        exitCode: 0,
        reason: 'late succeeded from web-09; not applied',
      },
    ]);
  });

  it('holdsToken needs the same server, attempt and claim id on a held job', () => {
    const job = running();
    const token = { attempt: 1, claimId: 'abcdef0123' };
    expect(holdsToken(job, 'web-01', token)).toBe(true);
    expect(holdsToken(job, 'web-02', token)).toBe(false);
    expect(holdsToken(job, 'web-01', { attempt: 2, claimId: 'abcdef0123' })).toBe(false);
    expect(holdsToken(job, 'web-01', { attempt: 1, claimId: 'abcdef0124' })).toBe(false);
    const finished = finishJob(job, 'succeeded', result, finishOpts);
    expect(holdsToken({ ...finished, assignment: job.assignment! }, 'web-01', token)).toBe(false);
  });
});
