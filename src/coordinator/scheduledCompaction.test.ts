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

  it.each([
    ['under the target: keepDays', 100 * MIB, 7 * DAY],
    ['at the target: keepDays', 512 * MIB, 7 * DAY],
    ['twice the target: half of it', 1024 * MIB, 3.5 * DAY],
    ['far over the target: never under an hour', 1e9 * MIB, MIN_KEEP_MS],
  ] as const)('keep: %s', (_name, size, keep) => {
    expect(compactionKeepMs(c, size)).toBe(keep);
  });

  it('keepDays 0 keeps nothing, whatever the size', () => {
    expect(compactionKeepMs({ ...c, keepDays: 0 }, 1e9 * MIB)).toBe(0);
  });
});
