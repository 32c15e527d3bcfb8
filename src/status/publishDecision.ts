import type { ServerStatus } from '../schema/types.js';
import { isHeartbeatDue } from './heartbeatSchedule.js';
import { metricsMoved, runningJobsChanged, significantChanges } from './significantChange.js';

/** What an agent remembers of its publishing (a part of its state file). */
export interface PublishMemory {
  /** The last status that reached the repository, and when. */
  lastPushed: ServerStatus | null;
  lastPushAt: number | null;
  /** The last heartbeat slot handled (pushed, or skipped because nothing changed). */
  lastSlotHandledAt: number | null;
}

export interface PublishInput extends PublishMemory {
  server: string;
  /** The status this cycle built. */
  status: ServerStatus;
  now: number;
  periodMs: number;
  /** fleet.json's heartbeat.maxSilencePeriods: the longest an idle server may stay silent. */
  maxSilencePeriods: number;
  /** false: publish only significant changes (`agent --once` before it waits for its slot). */
  heartbeat?: boolean;
  /** Publish regardless, with `reason` (default "forced"). */
  force?: boolean;
  reason?: string;
}

export type PublishDecision =
  /** Publish, and say why; measure the remote's latency first on a heartbeat or a first push. */
  | { publish: true; reason: string; measureLatency: boolean }
  /** Do not publish, and say why not; `slotHandled`: an idle heartbeat was skipped, so this slot counts as handled. */
  | { publish: false; reason: string; slotHandled: boolean };

/** Whether this server's heartbeat slot has come since it last pushed or skipped one. */
export function heartbeatSlotDue(memory: PublishMemory, now: number, server: string, periodMs: number): boolean {
  const handled = Math.max(memory.lastPushAt ?? -Infinity, memory.lastSlotHandledAt ?? -Infinity);
  return isHeartbeatDue(Number.isFinite(handled) ? handled : null, now, server, periodMs);
}

/**
 * Whether a cycle publishes its status, and why: at once when something significant
 * changed (health, drain, labels, version, period), at its slot otherwise — unless the
 * server is idle (metrics and running jobs as last pushed) and was heard from recently
 * enough, in which case the heartbeat is skipped, never for longer than the fleet's
 * maxSilencePeriods less half a period.
 */
export function decidePublish(input: PublishInput): PublishDecision {
  const { lastPushed, lastPushAt, status, now, periodMs } = input;
  const changes = significantChanges(lastPushed, status);
  const due = heartbeatSlotDue(input, now, input.server, periodMs);
  const quiet =
    lastPushAt !== null &&
    now - lastPushAt < (input.maxSilencePeriods - 0.5) * periodMs &&
    !metricsMoved(lastPushed, status) &&
    !runningJobsChanged(lastPushed, status);
  const heartbeat = input.heartbeat !== false;
  let reason: string;
  if (input.force) reason = input.reason ?? 'forced';
  else if (changes.length > 0) reason = changes.join(', ');
  else if (due && heartbeat && !quiet) reason = 'heartbeat';
  else reason = '';
  if (reason) return { publish: true, reason, measureLatency: reason === 'heartbeat' || !lastPushAt };
  return { publish: false, reason: due && quiet ? 'idle: heartbeat skipped' : 'nothing due', slotHandled: due && quiet && heartbeat };
}

/**
 * While the remote is unreachable, a heartbeat waits (in the outbox) for the next
 * network try; a significant change or a forced publish tries at once.
 */
export function waitsForNetwork(offlineSince: number | null, nextNetworkTry: number, now: number, reason: string): boolean {
  return offlineSince !== null && now < nextNetworkTry && reason === 'heartbeat';
}

/** When an offline agent tries the remote again: backing off with the time offline, from 5 s up to a period. */
export function nextNetworkTryAt(now: number, offlineSince: number, periodMs: number): number {
  return now + Math.min(Math.max(5_000, now - offlineSince), periodMs);
}
