import type { WebhookDelivery, WebhookNotifications } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { changesOf, decide, planValue } from '../store/Plan.js';
import type { Plan } from '../store/Store.js';
import type { NotifyEvent } from './notificationEvents.js';
import type { PostOutcome } from './postWebhook.js';

/** A claim older than this belongs to a notifier that died mid-send: it may be taken again. */
export const CLAIM_LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 5;
const KEEP_MS = 30 * 86_400_000;
/** A time in the record further ahead of this clock than this is not believed (skew, or a hand-pushed file). */
const CLOCK_SLACK_MS = 5 * 60_000;

/** Whether an event still needs sending, given what the webhook's record says. */
export function needsSending(delivery: WebhookDelivery | undefined, now: number): boolean {
  if (!delivery) return true;
  if (delivery.state === 'sent') return false;
  if (delivery.attempts >= MAX_ATTEMPTS) return false;
  // A claim dated in the future would otherwise never expire and silence the event for good.
  if (delivery.state === 'sending') return !(Date.parse(delivery.at) <= now + CLOCK_SLACK_MS) || now - Date.parse(delivery.at) > CLAIM_LEASE_MS;
  return true;
}

/**
 * Claims events for sending: marks them "sending" in the webhook's record. Only one
 * of two notifiers racing for the same events can commit the claim; the other replays,
 * sees them claimed, and leaves them. Its value is what this run won (of the attempt
 * that landed: a replay that finds them claimed wins nothing).
 */
export function claimPlan(webhook: string, events: readonly NotifyEvent[], actor: string, now = Date.now()): Plan<NotifyEvent[]> {
  return async (snapshot) => {
    const found = await snapshot.inspect('notifications', webhook);
    // A record that cannot be read is never replaced (it may hold claims): claim nothing.
    if (found && !found.ok) return decide(null, []);
    const record = found?.value ?? { schemaVersion: 1 as const, webhook, events: {} };
    const next: WebhookNotifications = { schemaVersion: 1, webhook, events: prune(record.events, now) };
    const claimed: NotifyEvent[] = [];
    for (const e of events) {
      const current = next.events[e.key];
      if (!needsSending(current, now)) continue;
      next.events[e.key] = { state: 'sending', at: new Date(now).toISOString(), attempts: (current?.attempts ?? 0) + 1, by: actor };
      claimed.push(e);
      if (claimed.length >= 20) break;
    }
    return decide(claimed.length ? new ChangeSet().put('notifications', next) : null, claimed);
  };
}

/**
 * Records how the posts went (only for claims this notifier still holds): sent or
 * failed, the status number and a fixed failure category, never text from the remote.
 */
export function recordPlan(webhook: string, outcomes: (PostOutcome & { key: string })[], actor: string, now = Date.now()): Plan {
  return async (snapshot) => {
    const record = await snapshot.get('notifications', webhook);
    if (!record) return null;
    const next: WebhookNotifications = { schemaVersion: 1, webhook, events: { ...record.events } };
    for (const o of outcomes) {
      const current = next.events[o.key];
      if (current?.state !== 'sending' || current.by !== actor) continue;
      next.events[o.key] = {
        state: o.ok ? 'sent' : 'failed',
        at: new Date(now).toISOString(),
        attempts: current.attempts,
        by: actor,
        ...(o.status !== undefined ? { status: o.status } : {}),
        ...(o.error ? { error: o.error } : {}),
      };
    }
    return new ChangeSet().put('notifications', next);
  };
}

function prune(events: Record<string, WebhookDelivery>, now: number): Record<string, WebhookDelivery> {
  // Entries dated in the future are dropped too: they would never age out and could fill the record.
  return Object.fromEntries(Object.entries(events).filter(([, d]) => now - Date.parse(d.at) <= KEEP_MS && Date.parse(d.at) <= now + CLOCK_SLACK_MS));
}

/**
 * One transaction for several webhooks' plans (one push per round, not one per webhook).
 * Its value is each plan's value, in the order of `plans`.
 */
export function allPlans<T>(plans: readonly Plan<T>[]): Plan<(T | undefined)[]> {
  return async (snapshot, context) => {
    const all = new ChangeSet();
    const values: (T | undefined)[] = [];
    for (const plan of plans) {
      const part = await plan(snapshot, context);
      const changes = changesOf(part);
      if (changes) all.merge(changes);
      values.push(planValue(part));
    }
    return decide(all.writes.length > 0 || all.deletes.length > 0 ? all : null, values);
  };
}
