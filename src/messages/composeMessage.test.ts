import { describe, expect, it } from 'vitest';
import { SECRET_SAMPLES } from '../../tests/fixtures/secretsCorpus.js';
import { validateRecord } from '../schema/validateRecord.js';
import { composeMessage } from './composeMessage.js';

const base = { from: 'op:alice', to: 'web-01', subject: 'Disk almost full', body: 'Please clean /var/log.\nThanks.' };

describe('composeMessage', () => {
  it('builds a valid message with a time-sortable id, its own thread, and a reply in the same thread', () => {
    const m = composeMessage({ ...base, priority: 'high', tags: ['disk', 'ops'], expiresInMs: 3_600_000, now: Date.parse('2026-11-22T10:00:00Z') });
    expect(validateRecord('message', m)).toEqual([]);
    expect(m).toMatchObject({ thread: m.id, type: 'info', priority: 'high', expiresAt: '2026-11-22T11:00:00.000Z' });
    const reply = composeMessage({ from: 'web-01', to: m.from, subject: 'Re: Disk almost full', replyTo: m });
    expect(reply).toMatchObject({ thread: m.id, replyTo: m.id, type: 'response', to: 'op:alice' });
    expect(reply.id > m.id).toBe(true);
  });

  it.each([
    [{ to: '../etc' }, /recipient "..\/etc" is not valid/],
    [{ to: 'label:GPU' }, /recipient/],
    [{ subject: '   ' }, /the subject is empty/],
    [{ subject: 'x'.repeat(201) }, /the subject is 201 characters; at most 200/],
    [{ subject: 'evil\u001b[2Jsubject' }, /the subject contains a control character \(U\+001b at position 5\)/],
    [{ body: 'x'.repeat(10 * 1024 * 1024) }, /the body is 10\.0 MB; at most 64 KiB/],
    [{ body: 'ok\nbad\u0007bell' }, /control character \(U\+0007 on line 2\)/],
    [{ tags: ['Not OK'] }, /tag "Not OK" is not valid/],
  ])('refuses %j clearly', (change, message) => {
    expect(() => composeMessage({ ...base, ...change })).toThrow(message);
  });

  it('refuses a secret with where and what (masked), unless overridden, and records the override', () => {
    const token = SECRET_SAMPLES.find((s) => s.kind === 'GitHub token')!.text;
    let error: Error & { code?: string } = new Error();
    try {
      composeMessage({ ...base, body: `line one\n${token}` });
    } catch (e) {
      error = e as Error & { code?: string };
    }
    expect(error.code).toBe('E_SECRET');
    expect(error.message).toMatch(/^refusing to send: body line 2 looks like a GitHub token \(ghp_…..\)$/);
    const sent = composeMessage({ ...base, body: token, allowSecret: true });
    expect(sent.secretOverride).toBe(true);
  });
});
