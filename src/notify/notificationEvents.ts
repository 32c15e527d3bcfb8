import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Job, Message, Priority, ServerStatus, Webhook } from '../schema/types.js';
import { evaluateHealth } from '../status/evaluateHealth.js';
import { PRIORITY_RANK } from '../schema/priorityRank.js';

export type EventKind = 'message.critical' | 'server.dead' | 'job.dead';

export interface NotifyEvent {
  /** Unique per occurrence: a server that dies twice makes two events. */
  key: string;
  kind: EventKind;
  priority: Priority;
  title: string;
  text: string;
  at: string;
}

/** Events older than this are not announced (a new webhook does not replay history). */
export const EVENT_HORIZON_MS = 24 * 3_600_000;

/** What is worth a notification in the current state of the fleet. */
export function collectEvents(
  input: { messages: readonly Message[]; jobs: readonly Job[]; status: readonly ServerStatus[]; settings: ResolvedFleetSettings },
  now = Date.now(),
): NotifyEvent[] {
  const events: NotifyEvent[] = [];
  const recent = (iso: string) => now - Date.parse(iso) <= EVENT_HORIZON_MS;
  for (const m of input.messages) {
    if (m.priority !== 'critical' || !recent(m.createdAt)) continue;
    events.push({
      key: `message.critical:${m.id}`,
      kind: 'message.critical',
      priority: 'critical',
      title: `[${m.to}] ${m.subject}`,
      text: `${m.from} → ${m.to}: ${m.subject}${m.body ? `\n\n${m.body.slice(0, 1000)}` : ''}`,
      at: m.createdAt,
    });
  }
  for (const s of input.status) {
    const verdict = evaluateHealth(s, input.settings, now);
    if (verdict.state !== 'offline') continue;
    const seenAt = Math.floor(Date.parse(s.updatedAt) / 1000);
    events.push({
      key: `server.dead:${s.server}:${seenAt}`,
      kind: 'server.dead',
      priority: 'high',
      title: `server ${s.server} is offline`,
      text: `${s.server}: ${verdict.reasons[0] ?? 'no heartbeat'}`,
      at: s.updatedAt,
    });
  }
  for (const j of input.jobs) {
    if (j.state !== 'dead' || !recent(j.updatedAt ?? j.createdAt)) continue;
    events.push({
      key: `job.dead:${j.id}`,
      kind: 'job.dead',
      priority: 'high',
      title: `job ${j.id} (${j.kind}) is dead`,
      text: `${j.id} (${j.kind}) gave up after ${j.attempts} attempts${j.reason ? `: ${j.reason}` : ''}`,
      at: j.updatedAt ?? j.createdAt,
    });
  }
  return events;
}

/** The events a webhook subscribes to (all by default) at or above its minimum priority. */
export function eventsFor(webhook: Webhook, events: readonly NotifyEvent[]): NotifyEvent[] {
  const min = PRIORITY_RANK[webhook.minPriority ?? 'low'];
  return events.filter((e) => (webhook.events ?? ['message.critical', 'server.dead', 'job.dead']).includes(e.kind) && PRIORITY_RANK[e.priority] <= min);
}
