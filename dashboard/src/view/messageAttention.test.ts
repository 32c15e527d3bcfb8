import { describe, expect, it } from 'vitest';
import type { Message, ReadReceipts, ServerStatus } from '../../../src/schema/types.js';
import type { ServerView } from '../data/FleetData.js';
import { byAttention, messageReceipts, messageStanding, openCritical } from './messageAttention.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const server = (id: string, labels: string[] = []): ServerView => ({
  id,
  status: { server: id, labels } as unknown as ServerStatus,
  verdict: { state: 'healthy', reasons: [] } as unknown as ServerView['verdict'],
  draining: false,
  uptime: { days: [], pct30: null, pct90: null },
});
const servers = [server('a', ['gpu']), server('b'), server('c', ['gpu'])];
const msg = (id: string, extra: Partial<Message> = {}): Message => ({
  schemaVersion: 1,
  id,
  from: 'op:alice',
  to: 'all',
  priority: 'critical',
  type: 'info',
  subject: id,
  createdAt: '2026-11-30T11:00:00Z',
  thread: id,
  ...extra,
});
const receipts = (entries: Record<string, Partial<ReadReceipts>>) =>
  new Map(Object.entries(entries).map(([s, r]) => [s, { schemaVersion: 1, server: s, read: {}, ...r } as ReadReceipts]));
const T = '2026-11-30T11:30:00Z';

describe('who a message is for and where it stands', () => {
  it('addresses every server for all but its sender, the carriers of a label, or one server', () => {
    const none = receipts({});
    expect(messageReceipts(msg('m', { from: 'b' }), servers, none).map((r) => r.server)).toEqual(['a', 'c']);
    expect(messageReceipts(msg('m', { to: 'label:gpu' }), servers, none).map((r) => r.server)).toEqual(['a', 'c']);
    // A server with no status record yet is still the one a direct message is for.
    expect(messageReceipts(msg('m', { to: 'zz' }), servers, none).map((r) => r.server)).toEqual(['zz']);
  });

  it('lists a server that received a message but no longer carries its label, not as a recipient', () => {
    const r = messageReceipts(msg('m', { to: 'label:gpu' }), servers, receipts({ b: { delivered: { m: T } } }));
    expect(r.find((x) => x.server === 'b')).toEqual({ server: 'b', addressed: false, delivered: T, read: null, acked: null });
    expect(messageStanding(msg('m', { to: 'label:gpu' }), servers, receipts({ a: { acked: { m: T } }, c: { acked: { m: T } } }), NOW).state).toBe(
      'acknowledged',
    );
  });

  it('needs attention until every recipient acknowledged it or it expired; read is not enough', () => {
    const m = msg('m', { to: 'label:gpu' });
    expect(messageStanding(m, servers, receipts({ a: { acked: { m: T } }, c: { read: { m: T } } }), NOW)).toEqual({ state: 'open', acked: 1, recipients: 2 });
    expect(messageStanding({ ...m, expiresAt: '2026-11-30T11:59:00Z' }, servers, receipts({}), NOW)).toEqual({ state: 'expired' });
    // Nobody can acknowledge a message to a label no server carries.
    expect(messageStanding(msg('m', { to: 'label:arm' }), servers, receipts({}), NOW).state).toBe('open');
  });

  it('a message to an operator is for that operator, who acknowledges it in their own receipts (op.<name>.json)', () => {
    const m = msg('m', { from: 'a', to: 'op:bob' });
    expect(messageStanding(m, servers, receipts({}), NOW)).toEqual({ state: 'open', acked: 0, recipients: 1 });
    expect(messageStanding(m, servers, receipts({ 'op:bob': { acked: { m: T } } }), NOW)).toEqual({ state: 'acknowledged', recipients: 1 });
    expect(messageReceipts(m, servers, receipts({ 'op:bob': { read: { m: T } } }))).toEqual([
      { server: 'op:bob', addressed: true, delivered: null, read: T, acked: null },
    ]);
  });

  it("never counts an operator's receipts as a recipient of a broadcast (all and labels address servers)", () => {
    const m = msg('m', { from: 'b' });
    const r = receipts({ 'op:alice': { read: { m: T }, acked: { m: T } }, a: { acked: { m: T } } });
    expect(messageStanding(m, servers, r, NOW)).toEqual({ state: 'open', acked: 1, recipients: 2 });
    expect(messageReceipts(m, servers, r).map((x) => [x.server, x.addressed])).toEqual([
      ['a', true],
      ['c', true],
      ['op:alice', false],
    ]);
  });

  it('orders the open messages first, then critical first and newest first like the CLI; counts open critical ones', () => {
    const done = { a: { acked: { m3: T, m4: T } }, b: { acked: { m3: T, m4: T } }, c: { acked: { m3: T, m4: T } } };
    const messages = [
      msg('m1', { priority: 'low' }),
      msg('m2'),
      msg('m3'),
      msg('m4', { priority: 'low' }),
      msg('m5', { priority: 'high' }),
      msg('m6', { expiresAt: '2026-11-30T11:00:00Z' }),
    ];
    const r = receipts(done);
    expect(byAttention(messages, servers, r, NOW).map((m) => m.id)).toEqual(['m2', 'm5', 'm1', 'm6', 'm3', 'm4']);
    expect(openCritical(messages, servers, r, NOW).map((m) => m.id)).toEqual(['m2']);
  });
});
