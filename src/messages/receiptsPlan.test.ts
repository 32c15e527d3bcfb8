import { describe, expect, it } from 'vitest';
import type { ReadReceipts } from '../schema/types.js';
import { recordPath } from '../store/recordPaths.js';
import { runPlan } from '../store/runPlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { composeMessage } from './composeMessage.js';
import { receiptsPlan, type ReceiptKind } from './receiptsPlan.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const BEFORE = '2026-11-22T11:00:00.000Z';
const at = NOW.toISOString();
const [a, b, gone] = [1, 2, 3].map((n) => composeMessage({ from: 'op:alice', to: 'all', subject: `m${n}`, now: NOW.getTime() - n * 60_000 })) as [
  ReturnType<typeof composeMessage>,
  ReturnType<typeof composeMessage>,
  ReturnType<typeof composeMessage>,
];
const PATH = recordPath('receipts', 'web-01');

const STATUS = stringifyRecord({ schemaVersion: 1, server: 'web-01', updatedAt: NOW.toISOString(), seq: 1, health: { state: 'healthy' } });

function repo(receipts?: ReadReceipts | string, options: { reported?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {
    ...(options.reported === false ? {} : { [recordPath('status', 'web-01')]: STATUS }),
    [recordPath('message', a.id)]: stringifyRecord(a),
    [recordPath('message', b.id)]: stringifyRecord(b),
    [recordPath('message', gone.id, { archiveMonth: '2026-11' })]: stringifyRecord(gone),
  };
  if (receipts !== undefined) files[PATH] = typeof receipts === 'string' ? receipts : stringifyRecord(receipts);
  return files;
}

describe('receiptsPlan: one server marks messages in its own receipts file', () => {
  it.each([
    ['delivered', { delivered: { [a.id]: at }, read: {} }],
    ['read (implies delivered)', { delivered: { [a.id]: at }, read: { [a.id]: at } }],
    ['acked (implies read and delivered)', { delivered: { [a.id]: at }, read: { [a.id]: at }, acked: { [a.id]: at } }],
  ] as const)('%s', async (kind, fields) => {
    const out = await runPlan(receiptsPlan('web-01', [a.id], kind.split(' ')[0] as ReceiptKind, NOW), repo(), NOW);
    expect(out.writes).toEqual({ [PATH]: { schemaVersion: 1, server: 'web-01', ...fields } });
  });

  it('keeps earlier times, drops entries of messages no longer live, skips unknown ids', async () => {
    const before: ReadReceipts = { schemaVersion: 1, server: 'web-01', delivered: { [a.id]: BEFORE, [gone.id]: BEFORE }, read: { [gone.id]: BEFORE } };
    const out = await runPlan(receiptsPlan('web-01', [a.id, b.id, 'zz0000000000-000000'], 'read', NOW), repo(before), NOW);
    expect(out.writes).toEqual({ [PATH]: { schemaVersion: 1, server: 'web-01', delivered: { [a.id]: BEFORE, [b.id]: at }, read: { [a.id]: at, [b.id]: at } } });
  });

  it('marking again what is marked writes nothing', async () => {
    // In the order the plan writes its fields (a file in another order is rewritten once).
    const before: ReadReceipts = { schemaVersion: 1, server: 'web-01', read: { [a.id]: BEFORE }, delivered: { [a.id]: BEFORE } };
    const out = await runPlan(receiptsPlan('web-01', [a.id], 'read', NOW), repo(before), NOW);
    expect(out).toEqual({ writes: {}, deletes: [], value: undefined });
  });

  it.each([
    ['only unknown (or archived) ids', repo(), [gone.id, 'zz0000000000-000000'], 'unknown-message'],
    ['an invalid receipts file: never replaced', repo('{"schemaVersion": 1, "server": "web-01", "read": []}'), [a.id], 'invalid-record'],
    ['a server that never reported (no phantom receipts file)', repo(undefined, { reported: false }), [a.id], 'unknown-recipient'],
    ['a receipts file of another server under this name', repo(stringifyRecord({ schemaVersion: 1, server: 'web-02', read: {} })), [a.id], 'invalid-record'],
  ] as const)('refused: %s', async (_name, files, ids, code) => {
    const out = await runPlan(receiptsPlan('web-01', ids, 'read', NOW), files, NOW);
    expect(out).toMatchObject({ aborted: { code }, writes: {} });
    if (code === 'invalid-record') expect(out.aborted?.data).toEqual({ path: PATH });
    if (code === 'unknown-recipient') expect(out.aborted?.reason).toBe('unknown server web-01: no server with that id has reported');
  });

  it.each(['read', 'acked'] as const)('an operator marks %s in messages/receipts/op.<name>.json (no status needed)', async (kind) => {
    const out = await runPlan(receiptsPlan('op:alice', [a.id], kind, NOW), repo(undefined, { reported: false }), NOW);
    expect(out.writes).toEqual({
      'messages/receipts/op.alice.json': {
        schemaVersion: 1,
        server: 'op:alice',
        delivered: { [a.id]: at },
        read: { [a.id]: at },
        ...(kind === 'acked' ? { acked: { [a.id]: at } } : {}),
      },
    });
  });

  it('an operator keeps earlier marks in its own file', async () => {
    const before: ReadReceipts = { schemaVersion: 1, server: 'op:alice', read: { [b.id]: BEFORE }, delivered: { [b.id]: BEFORE } };
    const files = { ...repo(), 'messages/receipts/op.alice.json': stringifyRecord(before) };
    const out = await runPlan(receiptsPlan('op:alice', [a.id], 'read', NOW), files, NOW);
    expect(out.writes).toEqual({
      'messages/receipts/op.alice.json': {
        schemaVersion: 1,
        server: 'op:alice',
        read: { [b.id]: BEFORE, [a.id]: at },
        delivered: { [b.id]: BEFORE, [a.id]: at },
      },
    });
  });
});
