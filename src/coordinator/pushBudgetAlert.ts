import { composeMessage } from '../messages/composeMessage.js';
import { sendMessagePlan } from '../messages/sendMessagePlan.js';
import type { Message } from '../schema/types.js';
import { abort, type Plan } from '../store/Plan.js';
import { parseTime } from '../util/clockBounds.js';
import { PUSH_ALERT_EVERY_MS } from './PushRateMeter.js';

/** The tag of the coordinator's push-budget message: how a later one finds the last. */
export const PUSH_BUDGET_TAG = 'push-budget';
/** Who reads it: operators, not servers (a message to `all` would reach every agent). */
export const PUSH_BUDGET_RECIPIENT = 'op:operators';

/** The operator message a leader posts when the measured push rate is over the budget. */
export function pushBudgetMessage(input: { from: string; rate: number; budget: number; host: number; now: number }): Message {
  const rate = Math.round(input.rate * 10) / 10;
  return composeMessage({
    from: input.from,
    to: PUSH_BUDGET_RECIPIENT,
    type: 'warning',
    priority: 'high',
    subject: `The fleet pushes ${rate} times a minute, over its budget of ${input.budget}`,
    body:
      `Measured by coordinator ${input.from} over the last 10 minutes: ${rate} commits a minute on the branch; ` +
      `the push budget (pushBudget.pushesPerMinute) is ${input.budget} and the host's limit ${input.host}. ` +
      'Run `gitfleet budget` to see which writers push most, then lengthen heartbeat.periodSeconds, put sites behind relays, ' +
      'or split the fleet. This message repeats at most once an hour while the rate stays over.',
    tags: [PUSH_BUDGET_TAG],
    expiresInMs: 7 * 86_400_000,
    now: input.now,
  });
}

/**
 * Sends the message through the normal message plan, unless a push-budget message was
 * posted less than an hour ago (by any coordinator: a new leader or a restarted one does
 * not post again). Only live messages are looked at; an archived one is old enough.
 */
export function pushBudgetAlertPlan(message: Message, now: number): Plan {
  const send = sendMessagePlan(message);
  return async (snapshot, context) => {
    const { records } = await snapshot.list('message');
    const recent = records.some((m) => {
      if (!m.tags?.includes(PUSH_BUDGET_TAG) || m.to !== PUSH_BUDGET_RECIPIENT) return false;
      const sent = parseTime(m.createdAt);
      // A far-future time must not silence the alert for ever: it counts only within the hour around now.
      return sent !== null && Math.abs(now - sent) < PUSH_ALERT_EVERY_MS;
    });
    if (recent) return abort('duplicate', 'a push-budget message was posted less than an hour ago');
    return send(snapshot, context);
  };
}
