import { describe, expect, it } from 'vitest';
import type { Message } from '../schema/types.js';
import { selectMessages } from './selectMessages.js';

let n = 0;
const msg = (over: Partial<Message>): Message => {
  n++;
  return {
    schemaVersion: 1,
    id: `01jb${String(n).padStart(22, '0')}`,
    from: 'op:alice',
    to: 'all',
    priority: 'normal',
    type: 'info',
    subject: `message ${n}`,
    createdAt: new Date(Date.parse('2026-11-22T10:00:00Z') + n * 1000).toISOString(),
    thread: 'x',
    ...over,
  };
};

const messages = [
  msg({ to: 'web-01', subject: 'Reboot tonight' }),
  msg({ to: 'label:gpu', priority: 'critical', subject: 'GPU driver update' }),
  msg({ to: 'db-01', subject: 'Vacuum' }),
  msg({ to: 'all', priority: 'low', subject: 'Welcome', body: 'Say HELLO to the fleet' }),
  msg({ to: 'web-01', priority: 'critical', subject: 'Disk full', tags: ['disk'] }),
  msg({ to: 'web-01', subject: 'Old news', expiresAt: '2026-11-22T10:00:01Z' }),
];

describe('selectMessages', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');

  it('an inbox holds what is addressed to the server, its labels and all; critical first, newest first', () => {
    const inbox = selectMessages(messages, { server: 'web-01', labels: ['gpu'] }, undefined, now);
    expect(inbox.map((m) => m.subject)).toEqual(['Disk full', 'GPU driver update', 'Reboot tonight', 'Welcome']);
  });

  it("unread is relative to the server's receipts", () => {
    const read = { schemaVersion: 1 as const, server: 'web-01', read: { [messages[4]!.id]: '2026-11-22T11:00:00Z' } };
    expect(selectMessages(messages, { server: 'web-01', labels: [], unread: true }, read, now).map((m) => m.subject)).toEqual(['Reboot tonight', 'Welcome']);
  });

  it('filters by sender, recipient, priority, tag, time and text (case-insensitive, subject or body)', () => {
    expect(selectMessages(messages, { to: 'db-01' }, undefined, now)).toHaveLength(1);
    expect(selectMessages(messages, { priority: 'critical' }, undefined, now)).toHaveLength(2);
    expect(selectMessages(messages, { tag: 'disk' }, undefined, now)[0]!.subject).toBe('Disk full');
    expect(selectMessages(messages, { text: 'hello' }, undefined, now)[0]!.subject).toBe('Welcome');
    expect(selectMessages(messages, { text: 'DISK' }, undefined, now)[0]!.subject).toBe('Disk full');
    expect(selectMessages(messages, { since: new Date(Date.parse('2026-11-22T10:00:04Z')) }, undefined, now)).toHaveLength(2);
    expect(selectMessages(messages, { from: 'web-01' }, undefined, now)).toEqual([]);
  });

  it("an operator's inbox holds what is addressed to op:<name> only, unread first", () => {
    const replies = [
      msg({ from: 'web-01', to: 'op:alice', priority: 'critical', subject: 'Disk replaced' }),
      msg({ from: 'web-02', to: 'op:alice', subject: 'Drained' }),
      msg({ from: 'web-03', to: 'op:bob', subject: 'Not for alice' }),
    ];
    const all = [...messages, ...replies];
    const read = { schemaVersion: 1 as const, server: 'op:alice', read: { [replies[0]!.id]: '2026-11-22T11:00:00Z' } };
    expect(selectMessages(all, { server: 'op:alice', unreadFirst: true }, read, now).map((m) => m.subject)).toEqual(['Drained', 'Disk replaced']);
    expect(selectMessages(all, { server: 'op:alice' }, read, now).map((m) => m.subject)).toEqual(['Disk replaced', 'Drained']);
  });

  it('leaves expired messages out unless asked', () => {
    expect(selectMessages(messages, {}, undefined, now)).toHaveLength(5);
    expect(selectMessages(messages, { includeExpired: true }, undefined, now)).toHaveLength(6);
  });
});
