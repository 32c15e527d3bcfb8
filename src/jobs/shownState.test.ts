import { describe, expect, it } from 'vitest';
import type { Job } from '../schema/types.js';
import { jobStats } from './jobStats.js';
import { refuseJob } from './jobLifecycle.js';
import { isRefused, shownReason, shownState } from './shownState.js';

const job = (over: Partial<Job> = {}): Job => ({
  schemaVersion: 1,
  id: 'build-1',
  kind: 'build',
  params: {},
  priority: 'normal',
  state: 'queued',
  createdAt: '2026-11-22T10:00:00.000Z',
  createdBy: 'op:alice',
  attempts: 0,
  ...over,
});
const refused = refuseJob(
  job({ attempts: 1 }),
  'parameter target does not match its pattern [a-z]+ (on web-01)',
  new Date('2026-11-22T10:01:00.000Z'),
  'web-01',
);

describe('shownState', () => {
  it.each([
    ["a job an agent refused reads as refused, with the agent's reason", refused, 'refused', 'parameter target does not match its pattern [a-z]+ (on web-01)'],
    [
      'a job an operator cancelled stays cancelled',
      job({ state: 'cancelled', reason: 'cancelled by op:alice: not needed' }),
      'cancelled',
      'cancelled by op:alice: not needed',
    ],
    [
      'a cancel reason that merely mentions refusal is not a refusal',
      job({ state: 'cancelled', reason: 'cancelled by op:bob: refused: by QA' }),
      'cancelled',
      'cancelled by op:bob: refused: by QA',
    ],
    ['other states as stored', job({ state: 'dead', reason: 'out of attempts' }), 'dead', 'out of attempts'],
  ] as const)('%s', (_name, j, state, reason) => {
    expect(shownState(j)).toBe(state);
    expect(shownReason(j)).toBe(reason);
  });

  it('the stored state stays cancelled (the job schema is unchanged)', () => {
    expect(refused.state).toBe('cancelled');
    expect(isRefused(refused)).toBe(true);
  });

  it('job stats count refused jobs apart from those an operator cancelled', () => {
    const stats = jobStats([refused, job({ id: 'build-2', state: 'cancelled', reason: 'cancelled by op:alice' })]);
    expect(stats.byState.cancelled).toBe(2);
    expect(stats.refused).toBe(1);
  });
});
