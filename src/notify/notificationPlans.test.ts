import { describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookNotifications } from '../schema/types.js';
import { recordPath } from '../store/recordPaths.js';
import { runPlan } from '../store/runPlan.js';
import { stringifyRecord } from '../util/stringifyRecord.js';
import type { NotifyEvent } from './notificationEvents.js';
import { allPlans, CLAIM_LEASE_MS, claimPlan, MAX_ATTEMPTS, needsSending, recordPlan } from './notificationPlans.js';

const now = Date.parse('2026-11-30T12:00:00Z');
const NOW = new Date(now);
const at = (ms: number) => new Date(now + ms).toISOString();
const PATH = recordPath('notifications', 'chat');

describe('needsSending', () => {
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

const event = (n: number): NotifyEvent => ({
  key: `job.dead:job-${n}`,
  kind: 'job.dead',
  priority: 'high',
  title: `job ${n}`,
  text: `job ${n} is dead`,
  at: at(-60_000),
});
const record = (events: Record<string, WebhookDelivery>, webhook = 'chat'): WebhookNotifications => ({ schemaVersion: 1, webhook, events });
const files = (r: WebhookNotifications | string, path = PATH) => ({ [path]: typeof r === 'string' ? r : stringifyRecord(r) });
const claim = (attempts: number, by = 'notifier-1'): WebhookDelivery => ({ state: 'sending', at: at(0), attempts, by });

describe('claimPlan: its value is what this notifier won', () => {
  it.each([
    ['no record yet: every event claimed', {}, [1, 2], [1, 2], { 'job.dead:job-1': claim(1), 'job.dead:job-2': claim(1) }],
    [
      'a live claim of another is left; an expired one is retaken; a failed one tried again',
      files(
        record({
          'job.dead:job-1': { state: 'sending', at: at(-1000), attempts: 1, by: 'notifier-2' },
          'job.dead:job-2': { state: 'sending', at: at(-CLAIM_LEASE_MS - 1000), attempts: 1, by: 'notifier-2' },
          'job.dead:job-3': { state: 'failed', at: at(-1000), attempts: 2, status: 500 },
        }),
      ),
      [1, 2, 3],
      [2, 3],
      { 'job.dead:job-1': { state: 'sending', at: at(-1000), attempts: 1, by: 'notifier-2' }, 'job.dead:job-2': claim(2), 'job.dead:job-3': claim(3) },
    ],
    [
      'entries older than 30 days or dated ahead are pruned when the record is written',
      files(
        record({
          'job.dead:job-8': { state: 'sent', at: at(-31 * 86_400_000), attempts: 1 },
          'job.dead:job-9': { state: 'sent', at: '2999-01-01T00:00:00.000Z', attempts: 1 },
        }),
      ),
      [1],
      [1],
      { 'job.dead:job-1': claim(1) },
    ],
  ] as const)('%s', async (_name, repo, events, won, written) => {
    const out = await runPlan(claimPlan('chat', events.map(event), 'notifier-1', now), repo, NOW);
    expect(out.value).toEqual(won.map(event));
    expect(out.writes).toEqual({ [PATH]: record(written) });
  });

  it('at most 20 events per claim', async () => {
    const out = await runPlan(
      claimPlan(
        'chat',
        Array.from({ length: 25 }, (_, i) => event(i)),
        'notifier-1',
        now,
      ),
      {},
      NOW,
    );
    expect(out.value).toHaveLength(20);
    expect(Object.keys((out.writes[PATH] as WebhookNotifications).events)).toHaveLength(20);
  });

  it.each([
    ['everything sent already', files(record({ 'job.dead:job-1': { state: 'sent', at: at(-1000), attempts: 1 } }))],
    ['an invalid record (it may hold claims): never replaced', files('{"schemaVersion": 1, "webhook": "chat", "events": []}')],
    ['a record of another webhook under this name', files(record({}, 'other'))],
  ] as const)('claims nothing: %s', async (_name, repo) => {
    expect(await runPlan(claimPlan('chat', [event(1)], 'notifier-1', now), repo, NOW)).toEqual({ writes: {}, deletes: [], value: [] });
  });
});

describe('recordPlan: outcomes of the claims this notifier still holds', () => {
  const held = record({ 'job.dead:job-1': claim(1), 'job.dead:job-2': claim(2), 'job.dead:job-3': claim(1, 'notifier-2') });

  it('sent and failed with the status and category; a claim taken over by another is left alone', async () => {
    const outcomes = [
      { key: 'job.dead:job-1', ok: true, status: 204 },
      { key: 'job.dead:job-2', ok: false, status: 500, error: 'HTTP 500' as const },
      { key: 'job.dead:job-3', ok: true, status: 200 },
    ];
    const out = await runPlan(recordPlan('chat', outcomes, 'notifier-1', now + 1000), files(held), NOW);
    const later = at(1000);
    expect(out.writes).toEqual({
      [PATH]: record({
        'job.dead:job-1': { state: 'sent', at: later, attempts: 1, by: 'notifier-1', status: 204 },
        'job.dead:job-2': { state: 'failed', at: later, attempts: 2, by: 'notifier-1', status: 500, error: 'HTTP 500' },
        'job.dead:job-3': claim(1, 'notifier-2'),
      }),
    });
  });

  it.each([
    ['no record', {}],
    ['an invalid record', files('{"schemaVersion": 1, "webhook": "chat", "events": []}')],
  ] as const)('writes nothing: %s', async (_name, repo) => {
    expect((await runPlan(recordPlan('chat', [{ key: 'job.dead:job-1', ok: true }], 'notifier-1', now), repo, NOW)).writes).toEqual({});
  });
});

describe('allPlans: one transaction for several webhooks', () => {
  it("merges the changes, and hands back each plan's value in order", async () => {
    const otherPath = recordPath('notifications', 'pager');
    const repo = { ...files(record({ 'job.dead:job-1': { state: 'sent', at: at(-1000), attempts: 1 } })) };
    const out = await runPlan(allPlans([claimPlan('chat', [event(1), event(2)], 'n', now), claimPlan('pager', [event(1)], 'n', now)]), repo, NOW);
    expect(out.value).toEqual([[event(2)], [event(1)]]);
    expect(Object.keys(out.writes).sort()).toEqual([PATH, otherPath]);
  });

  it('nothing to write in any: nothing written, the values still there', async () => {
    const repo = files(record({ 'job.dead:job-1': { state: 'sent', at: at(-1000), attempts: 1 } }));
    expect(await runPlan(allPlans([claimPlan('chat', [event(1)], 'n', now)]), repo, NOW)).toEqual({ writes: {}, deletes: [], value: [[]] });
  });
});
