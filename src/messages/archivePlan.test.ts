import { describe, expect, it } from 'vitest';
import type { Message } from '../schema/types.js';
import { recordPath } from '../store/recordPaths.js';
import { runPlan } from '../store/runPlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { ARCHIVE_BATCH, archivePlan } from './archivePlan.js';
import { composeMessage } from './composeMessage.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const DAY = 86_400_000;
const msg = (at: number, over: { expiresInMs?: number } = {}) => composeMessage({ from: 'op:alice', to: 'all', subject: 'hello', now: at, ...over });
const files = (messages: Message[], extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(messages.map((m) => [recordPath('message', m.id), stringifyRecord(m)])),
  ...extra,
});

describe('archivePlan: its value says how many move now and how many are left', () => {
  const young = msg(NOW - 3_600_000);
  const old = msg(NOW - 40 * DAY);
  const expired = msg(NOW - 2 * DAY, { expiresInMs: DAY });

  it('moves the old and the expired, each to the month it was sent, and keeps the rest', async () => {
    const out = await runPlan(archivePlan(30 * DAY, NOW), files([young, old, expired]), new Date(NOW));
    expect(out.value).toEqual({ moved: 2, remaining: 0 });
    expect(out.deletes.sort()).toEqual([recordPath('message', old.id), recordPath('message', expired.id)].sort());
    expect(out.writes).toEqual({
      [recordPath('message', old.id, { archiveMonth: '2026-10' })]: old,
      [recordPath('message', expired.id, { archiveMonth: '2026-11' })]: expired,
    });
  });

  it('nothing due: nothing written', async () => {
    expect(await runPlan(archivePlan(30 * DAY, NOW), files([young]), new Date(NOW))).toEqual({ writes: {}, deletes: [], value: { moved: 0, remaining: 0 } });
  });

  it('an invalid message file is left where it is', async () => {
    const broken = msg(NOW - 40 * DAY);
    const out = await runPlan(archivePlan(30 * DAY, NOW), files([old], { [recordPath('message', broken.id)]: '{"schemaVersion": 1' }), new Date(NOW));
    expect(out.value).toEqual({ moved: 1, remaining: 0 });
    expect(out.deletes).toEqual([recordPath('message', old.id)]);
  });

  it(`moves at most ${ARCHIVE_BATCH} per commit, oldest ids first`, async () => {
    const many = Array.from({ length: ARCHIVE_BATCH + 3 }, (_, i) => msg(NOW - 40 * DAY + i * 1000));
    const out = await runPlan(archivePlan(30 * DAY, NOW), files(many), new Date(NOW));
    expect(out.value).toEqual({ moved: ARCHIVE_BATCH, remaining: 3 });
    expect(out.deletes).toHaveLength(ARCHIVE_BATCH);
    expect(out.deletes).not.toContain(recordPath('message', many.at(-1)!.id));
  });
});
