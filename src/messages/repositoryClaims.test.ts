import { describe, expect, it } from 'vitest';
import { pickUpMessages } from './pickUpMessages.js';
import type { Message, ReadReceipts } from '../schema/types.js';
import { memorySnapshot } from '../store/memorySnapshot.js';
import { changesOf, isAbort, planValue } from '../store/Plan.js';
import { recordPath } from '../store/recordPaths.js';
import type { Snapshot } from '../store/Snapshot.js';
import { newId } from '../util/ids.js';
import { archivePlan } from './archivePlan.js';
import { composeMessage } from './composeMessage.js';
import { receiptsPlan } from './receiptsPlan.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const FAR = Date.parse('9999-01-01T00:00:00.000Z');
const DAY = 86_400_000;

/** A snapshot of message files: valid messages, and files that fail to parse. */
function snapshotOf(messages: Message[], broken: string[] = [], receipts?: ReadReceipts | 'invalid'): Snapshot {
  const files: Record<string, string> = {};
  for (const m of messages) files[recordPath('message', m.id)] = JSON.stringify(m);
  for (const id of broken) files[recordPath('message', id)] = '{"schemaVersion": 1, "id": ';
  if (receipts !== undefined)
    files[recordPath('receipts', 'srv-01')] = JSON.stringify(receipts === 'invalid' ? { schemaVersion: 1, server: 'srv-01', read: [] } : receipts);
  return memorySnapshot(files);
}

const msg = (at: number, to = 'srv-01', subject = 'hello') => composeMessage({ from: 'op:alice', to, subject, now: at });
const plan = async (p: ReturnType<typeof archivePlan>, snap: Snapshot) => p(snap, { attempt: 1, now: new Date(NOW) });

describe('inbox pickup: the watermark comes only from valid messages, bounded by the clock', () => {
  it.each([
    ['an invalid far-future file name does not move it', [msg(NOW - 60_000)], [newId(FAR)]],
    ['a valid far-future message (not for us) does not move it past now', [msg(NOW - 60_000), msg(FAR, 'web-99')], []],
  ] as const)('%s', async (_, messages, broken) => {
    const pickup = await pickUpMessages(snapshotOf([...messages], [...broken]), 'srv-01', [], null, NOW);
    expect(pickup.watermark).toBe(messages[0]!.id);
    expect(pickup.messages.map((m) => m.id)).toEqual([messages[0]!.id]);
  });

  it('a far-future watermark handed in is not believed: the mailbox is looked at again', async () => {
    const m = msg(NOW - 60_000);
    const pickup = await pickUpMessages(snapshotOf([m]), 'srv-01', [], newId(FAR), NOW);
    expect(pickup.messages.map((x) => x.id)).toEqual([m.id]);
  });

  it('a far-future message for us is delivered (once, by receipt) but never becomes the watermark', async () => {
    const ahead = msg(FAR);
    const pickup = await pickUpMessages(snapshotOf([ahead]), 'srv-01', [], null, NOW);
    expect(pickup.messages.map((x) => x.id)).toEqual([ahead.id]);
    expect(pickup.watermark).toBeNull();
  });

  it('an invalid receipts file blocks pickup (never replaced) and says why', async () => {
    const pickup = await pickUpMessages(snapshotOf([msg(NOW - 1000)], [], 'invalid'), 'srv-01', [], null, NOW);
    expect(pickup).toMatchObject({ messages: [], receipts: null });
    expect(pickup.blocked).toMatch(/messages\/receipts\/srv-01\.json is invalid \(read: must be object\)/);
  });
});

describe('receipts and archive plans', () => {
  it('msg read never replaces an invalid receipts file', async () => {
    const m = msg(NOW - 1000);
    const result = await receiptsPlan('srv-01', [m.id], 'read', new Date(NOW))(snapshotOf([m], [], 'invalid'), { attempt: 1, now: new Date(NOW) });
    expect(isAbort(result) && result.code).toBe('invalid-record');
  });

  it.each([
    ['sent an hour ago: kept', NOW - 3_600_000, false, ''],
    ['sent 40 days ago: archived in its month', NOW - 40 * DAY, true, '2026-10'],
    ['a few minutes ahead (a fast clock): kept', NOW + 10 * 60_000, false, ''],
    ['in the year 9999: archived, in this month', FAR, true, '2026-11'],
  ] as const)('msg archive --older-than 30d: %s', async (_, at, moved, month) => {
    const m = msg(at);
    const result = await plan(archivePlan(30 * DAY, NOW), snapshotOf([m]));
    expect(planValue(result)).toEqual({ moved: moved ? 1 : 0, remaining: 0 });
    if (moved) expect(changesOf(result)?.writes.map((w) => w.path)).toEqual([recordPath('message', m.id, { archiveMonth: month })]);
  });
});
