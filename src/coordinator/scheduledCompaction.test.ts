import { describe, expect, it } from 'vitest';
import { compactionDue, compactionKeepMs, MIN_KEEP_MS } from './scheduledCompaction.js';

const DAY = 86_400_000;
const MIB = 1024 * 1024;
const c = { everyMs: DAY, keepDays: 7, targetMiB: 512 };

describe('scheduled compaction', () => {
  it.each([
    ['not configured', null, null, 0, false],
    ['never run by this coordinator', c, null, 0, true],
    ['ran an hour ago', c, 0, 3_600_000, false],
    ['ran a day ago', c, 0, DAY, true],
    ['ran "in the future" (a clock step back)', c, 10 * DAY, DAY, true],
  ] as const)('due: %s', (_name, settings, lastAt, now, due) => {
    expect(compactionDue(settings, lastAt, now)).toBe(due);
  });

  const NOW = 100 * DAY;
  const since = (days: number) => NOW - days * DAY;
  it.each([
    ['under the target: keepDays', 100 * MIB, since(30), 7 * DAY],
    ['at the target: keepDays', 512 * MIB, since(30), 7 * DAY],
    ['twice the target over 7 days: half of them', 1024 * MIB, since(7), 3.5 * DAY],
    // After a compaction kept 1 day, the history covers 1 day: twice the target in it means
    // it grows a target every half day, so half a day is kept, not 3.5 (keepDays read as span).
    ['twice the target over 1 day (after a compaction): half a day', 1024 * MIB, since(1), 0.5 * DAY],
    ['twice the target over 30 days: still at most keepDays', 1024 * MIB, since(30), 7 * DAY],
    ['no root time known: keepDays is the span', 1024 * MIB, null, 3.5 * DAY],
    ['far over the target: never under an hour', 1e9 * MIB, since(7), MIN_KEEP_MS],
  ] as const)('keep: %s', (_name, bytes, oldestMs, keep) => {
    expect(compactionKeepMs(c, { bytes, oldestMs }, NOW)).toBe(keep);
  });

  it('keepDays 0 keeps nothing, whatever the size', () => {
    expect(compactionKeepMs({ ...c, keepDays: 0 }, { bytes: 1e9 * MIB, oldestMs: since(7) }, NOW)).toBe(0);
  });
});
