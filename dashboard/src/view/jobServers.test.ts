import { describe, expect, it } from 'vitest';
import type { Job, ServerStatus } from '../../../src/schema/types.js';
import { jobCommands, lastServer, resultAttempt, serverJobs } from './jobServers.js';

const CLAIM = 'a1b2c3d4e5f60718';
const job = (id: string, extra: Partial<Job> = {}): Job => ({
  schemaVersion: 1,
  id,
  kind: 'build',
  params: {},
  priority: 'normal',
  state: 'queued',
  createdAt: '2026-11-30T10:00:00Z',
  createdBy: 'op:a',
  attempts: 0,
  ...extra,
});
const finished = job('done', {
  state: 'succeeded',
  attempts: 3,
  history: [
    { attempt: 1, server: 'a', outcome: 'failed', exitCode: 1, endedAt: '2026-11-30T10:01:00Z' },
    { attempt: 2, server: 'b', outcome: 'succeeded', exitCode: 0, endedAt: '2026-11-30T10:02:00Z' },
    { attempt: 1, server: 'a', outcome: 'stale-result', endedAt: '2026-11-30T10:03:00Z' },
  ],
  result: { exitCode: 0, finishedAt: '2026-11-30T10:02:00Z' },
});
const running = job('run', {
  state: 'running',
  attempts: 1,
  assignment: { server: 'a', attempt: 1, claimId: CLAIM, assignedAt: '2026-11-30T10:05:00Z', startedAt: '2026-11-30T10:06:00Z' },
});

describe('which server a job ran on', () => {
  it('is the assignment while it runs, else its last attempt that was not a late stale report', () => {
    expect(lastServer(running)).toBe('a');
    expect(lastServer(finished)).toBe('b');
    expect(lastServer(job('new'))).toBeUndefined();
  });

  it('names the attempt that wrote the result; a lost attempt writes none', () => {
    expect(resultAttempt(finished)?.attempt).toBe(2);
    const lostAfter = { ...finished, history: [...finished.history!, { attempt: 3, server: 'c', outcome: 'lost' as const }] };
    expect(resultAttempt(lostAfter)?.server).toBe('b');
    expect(resultAttempt(running)).toBeUndefined();
  });

  it('a server lists what it runs (from the jobs and its own status), then the attempts that ended on it, newest first', () => {
    const status = {
      server: 'a',
      jobs: {
        running: [
          { id: 'run', attempt: 1, claimId: CLAIM },
          { id: 'unknown-job', attempt: 2, claimId: CLAIM, startedAt: '2026-11-30T10:07:00Z' },
        ],
      },
    } as ServerStatus;
    expect(serverJobs('a', status, [finished, running]).map((j) => [j.id, j.attempt, j.state, j.current])).toEqual([
      ['unknown-job', 2, 'running', true],
      ['run', 1, 'running', true],
      ['done', 1, 'stale-result', false],
      ['done', 1, 'failed', false],
    ]);
    expect(serverJobs('b', { server: 'b' } as ServerStatus, [finished, running]).map((j) => j.state)).toEqual(['succeeded']);
  });
});

describe('the CLI lines a job page offers', () => {
  it('retry for dead, failed and cancelled jobs (not refused ones), cancel for what has not finished', () => {
    expect(jobCommands(job('q'))).toEqual(['gitfleet job cancel q']);
    expect(jobCommands(job('f', { state: 'failed' }))).toEqual(['gitfleet job retry f', 'gitfleet job cancel f']);
    expect(jobCommands(job('d', { state: 'dead' }))).toEqual(['gitfleet job retry d']);
    expect(jobCommands(job('r', { state: 'cancelled', reason: 'refused: unknown kind' }))).toEqual([]);
    expect(jobCommands(finished)).toEqual([]);
  });
});
