import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/schema/types.js';
import { jobDuration, jobWait } from './jobTimes.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const at = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();
const CLAIM = 'a1b2c3d4e5f60718';
const job = (extra: Partial<Job>): Job => ({
  schemaVersion: 1,
  id: 'job-1',
  kind: 'build',
  params: {},
  priority: 'normal',
  state: 'queued',
  createdAt: at(60),
  createdBy: 'op:alice',
  attempts: 0,
  ...extra,
});

describe('job wait and duration', () => {
  it('an assigned job that has not started is still waiting, and has no duration yet', () => {
    const j = job({ state: 'assigned', attempts: 1, assignment: { server: 'web-01', attempt: 1, claimId: CLAIM, assignedAt: at(5) } });
    expect(jobWait(j, NOW)).toEqual({ ms: 60 * 60_000, soFar: true });
    expect(jobDuration(j, NOW)).toEqual({ none: 'not started' });
  });

  it('a failed job waiting for its retry keeps the wait of its first start and the duration of the attempt that ended', () => {
    const j = job({
      state: 'failed',
      attempts: 1,
      history: [{ attempt: 1, server: 'web-01', outcome: 'failed', exitCode: 1, startedAt: at(50), endedAt: at(48) }],
    });
    expect(jobWait(j, NOW)).toEqual({ ms: 10 * 60_000, soFar: false });
    expect(jobDuration(j, NOW)).toEqual({ ms: 2 * 60_000, soFar: false });
  });

  it('a finished job with an assignment left over is not running: its attempt without a start takes the result duration', () => {
    const j = job({
      state: 'succeeded',
      attempts: 1,
      assignment: { server: 'web-01', attempt: 1, claimId: CLAIM, assignedAt: at(30), startedAt: at(30) },
      history: [{ attempt: 1, server: 'web-01', outcome: 'succeeded', exitCode: 0, endedAt: at(29) }],
      result: { exitCode: 0, finishedAt: at(29), durationMs: 4200 },
    });
    expect(jobWait(j, NOW)).toEqual({ ms: 30 * 60_000, soFar: false });
    expect(jobDuration(j, NOW)).toEqual({ ms: 4200, soFar: false });
  });

  it('attempts that record no start say the job started, not when; a job cancelled in the queue never started', () => {
    expect(jobWait(job({ state: 'dead', attempts: 1, history: [{ attempt: 1, outcome: 'lost', endedAt: at(1) }] }), NOW)).toEqual({ none: 'unknown' });
    expect(jobWait(job({ state: 'cancelled' }), NOW)).toEqual({ none: 'never started' });
  });
});
