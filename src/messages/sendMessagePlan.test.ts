import { describe, expect, it } from 'vitest';
import type { Message } from '../schema/types.js';
import { recordPath } from '../store/recordPaths.js';
import { runPlan } from '../store/runPlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import { composeMessage } from './composeMessage.js';
import { sendMessagePlan } from './sendMessagePlan.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const BROKEN = '{"schemaVersion": 1, "server": ';
const earlier = composeMessage({ from: 'op:alice', to: 'all', subject: 'first', now: NOW.getTime() - 3_600_000 });
const archived = composeMessage({ from: 'op:alice', to: 'all', subject: 'old', now: Date.parse('2026-09-01T00:00:00.000Z') });
const status = (server: string, labels: string[] = []) => ({
  [recordPath('status', server)]: stringifyRecord({
    schemaVersion: 1,
    server,
    updatedAt: NOW.toISOString(),
    seq: 1,
    health: { state: 'healthy' },
    ...(labels.length ? { labels } : {}),
  }),
});
const repo = {
  ...status('web-01', ['gpu']),
  [recordPath('status', 'web-02')]: BROKEN,
  [recordPath('message', earlier.id)]: stringifyRecord(earlier),
  [recordPath('message', archived.id, { archiveMonth: '2026-09' })]: stringifyRecord(archived),
};
const send = (to: string, over: { replyTo?: Message; force?: boolean } = {}) =>
  composeMessage({ from: 'op:bob', to, subject: 'disk full', now: NOW.getTime(), ...(over.replyTo ? { replyTo: over.replyTo } : {}) });

describe('sendMessagePlan', () => {
  it.each([
    ['to all', send('all'), {}, undefined],
    ['to an operator (never checked)', send('op:carol'), {}, undefined],
    ['to a server that has reported', send('web-01'), {}, undefined],
    ['to a label a server has', send('label:gpu'), {}, undefined],
    ['to a server that never reported', send('web-09'), {}, 'unknown-recipient'],
    ['to a server whose status file is invalid', send('web-02'), {}, 'unknown-recipient'],
    ['to a label no server has', send('label:arm'), {}, 'unknown-recipient'],
    ['to an unknown server with --force', send('web-09'), { force: true }, undefined],
    ['in reply to a live message', send('all', { replyTo: earlier }), {}, undefined],
    ['in reply to an archived message', send('all', { replyTo: archived }), {}, undefined],
    ['in reply to a message that does not exist', { ...send('all', { replyTo: earlier }), replyTo: 'zz0000000000-000000' }, {}, 'unknown-message'],
    ['with the id of an existing message', { ...send('all'), id: earlier.id }, {}, 'duplicate'],
  ] as const)('%s', async (_name, message, options, code) => {
    const out = await runPlan(sendMessagePlan(message, options), repo, NOW);
    expect(out.aborted?.code).toBe(code);
    expect(out.writes).toEqual(code ? {} : { [recordPath('message', message.id)]: message });
    expect(out.value).toBeUndefined();
  });

  it('an invalid file that holds the id is never overwritten', async () => {
    const message = send('all');
    const out = await runPlan(sendMessagePlan(message), { [recordPath('message', message.id)]: BROKEN }, NOW);
    expect(out).toMatchObject({ aborted: { code: 'duplicate' }, writes: {} });
  });
});
