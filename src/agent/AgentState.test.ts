import { describe, expect, it } from 'vitest';
import { newId } from '../util/ids.js';
import { boundStateTimes, emptyState, type AgentStateData } from './AgentState.js';
import { boundedWatermark } from '../messages/pickUpMessages.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const FAR = Date.parse('9999-01-01T00:00:00.000Z');

describe('agent state: times from the state file are bounded by the clock on load', () => {
  it.each([
    ['lastPushAt', { lastPushAt: FAR }, (s: ReturnType<typeof emptyState>) => s.lastPushAt, null],
    ['lastPushAt (past, kept)', { lastPushAt: NOW - 1000 }, (s: ReturnType<typeof emptyState>) => s.lastPushAt, NOW - 1000],
    ['lastSlotHandledAt', { lastSlotHandledAt: FAR }, (s: ReturnType<typeof emptyState>) => s.lastSlotHandledAt, null],
    ['offlineSince', { offlineSince: FAR }, (s: ReturnType<typeof emptyState>) => s.offlineSince, null],
    ['inboxWatermark', { inboxWatermark: newId(FAR) }, (s: ReturnType<typeof emptyState>) => s.inboxWatermark, null],
    // Uptime days starting after today, or a lastSeen far ahead (it would hide every gap until then).
    ['uptime', { uptime: { from: 99_999, days: [[0, 0]], lastSeen: null } }, (s: ReturnType<typeof emptyState>) => s.uptime, null],
    ['uptime', { uptime: { from: 20_000, days: [[-5, 0]], lastSeen: null } }, (s: ReturnType<typeof emptyState>) => s.uptime, null],
    [
      'uptime (lastSeen ahead)',
      { uptime: { from: 20_000, days: [[1000, 0]], lastSeen: FAR } },
      (s: ReturnType<typeof emptyState>) => s.uptime,
      { from: 20_000, days: [[1000, 0]], lastSeen: null },
    ],
    ['up', { up: [[NOW - 1000, FAR]] as [number, number][] }, (s: ReturnType<typeof emptyState>) => s.up, []],
    ['history', { history: [[FAR / 1000, 1, 2, 3]] }, (s: ReturnType<typeof emptyState>) => s.history, []],
  ] as const)('%s', (field, over, pick, expected) => {
    const { state, clamped } = boundStateTimes({ ...emptyState('srv-01'), ...(over as unknown as Partial<AgentStateData>) }, NOW);
    expect(pick(state)).toEqual(expected);
    if (expected === null || (Array.isArray(expected) && expected.length === 0)) expect(clamped).toContain(field);
  });

  it('a watermark a little ahead (within the slack) is kept; far ahead it is dropped', () => {
    const near = newId(NOW + 60_000);
    expect(boundedWatermark(near, NOW)).toBe(near);
    expect(boundedWatermark(newId(FAR), NOW)).toBeNull();
    expect(boundedWatermark('not-an-id', NOW)).toBeNull();
  });
});
