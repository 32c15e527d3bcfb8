import { describe, expect, it } from 'vitest';
import { CLAIM_LEASE_MS, MAX_ATTEMPTS, needsSending } from './notificationPlans.js';

describe('needsSending', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('sends new and failed events, keeps a live claim, retakes an expired one', () => {
    expect(needsSending(undefined, now)).toBe(true);
    expect(needsSending({ state: 'failed', at: at(-1000), attempts: 1 }, now)).toBe(true);
    expect(needsSending({ state: 'failed', at: at(-1000), attempts: MAX_ATTEMPTS }, now)).toBe(false);
    expect(needsSending({ state: 'sent', at: at(-1000), attempts: 1 }, now)).toBe(false);
    expect(needsSending({ state: 'sending', at: at(-1000), attempts: 1 }, now)).toBe(false);
    expect(needsSending({ state: 'sending', at: at(-CLAIM_LEASE_MS - 1), attempts: 1 }, now)).toBe(true);
  });

  it('does not believe a claim dated far in the future (it would never expire)', () => {
    expect(needsSending({ state: 'sending', at: '2999-01-01T00:00:00.000Z', attempts: 1 }, now)).toBe(true);
    expect(needsSending({ state: 'sending', at: at(60_000), attempts: 1 }, now)).toBe(false);
  });
});
