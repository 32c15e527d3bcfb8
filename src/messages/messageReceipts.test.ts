import { describe, expect, it } from 'vitest';
import { composeMessage } from './composeMessage.js';
import { messageReceipts } from './messageReceipts.js';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const T1 = '2026-11-22T12:01:00.000Z';
const T2 = '2026-11-22T12:02:00.000Z';
const servers = [{ server: 'web-01', labels: ['web'] }, { server: 'web-02', labels: ['web'] }, { server: 'db-01' }];

describe('messageReceipts: delivered, read and acknowledged, by whom', () => {
  it('gathers servers and operators, earliest first, and names recipients still waiting', () => {
    const m = composeMessage({ from: 'op:alice', to: 'label:web', subject: 'deploy', now: NOW });
    const out = messageReceipts(
      m,
      [
        { schemaVersion: 1, server: 'web-02', delivered: { [m.id]: T2 }, read: { [m.id]: T2 }, acked: { [m.id]: T2 } },
        { schemaVersion: 1, server: 'op:bob', delivered: { [m.id]: T1 }, read: { [m.id]: T1 } },
        { schemaVersion: 1, server: 'db-01', read: {} },
      ],
      servers,
    );
    expect(out).toEqual({
      delivered: [
        { by: 'op:bob', at: T1 },
        { by: 'web-02', at: T2 },
      ],
      read: [
        { by: 'op:bob', at: T1 },
        { by: 'web-02', at: T2 },
      ],
      acked: [{ by: 'web-02', at: T2 }],
      waiting: ['web-01'],
    });
  });

  it('a reply to an operator waits for that operator; a sender never waits for itself', () => {
    const toOp = composeMessage({ from: 'web-01', to: 'op:alice', subject: 'done', now: NOW });
    expect(messageReceipts(toOp, [], servers).waiting).toEqual(['op:alice']);
    const toAll = composeMessage({ from: 'web-01', to: 'all', subject: 'hello', now: NOW });
    expect(messageReceipts(toAll, [], servers).waiting).toEqual(['db-01', 'web-02']);
  });
});
