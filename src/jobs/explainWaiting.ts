import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Job, ServerStatus } from '../schema/types.js';
import { evaluateHealth } from '../status/evaluateHealth.js';
import { deadlineHolds, parseTime } from '../util/clockBounds.js';
import { ineligibility, type Liveness } from './placement.js';

/**
 * Why a queued job has no server yet, in one line for `job show`: each server's
 * reason, grouped ("3 servers: does not run kind x; 1: draining"). Liveness comes from
 * the status's age here (the CLI has not watched the heartbeats like the coordinator).
 */
export function explainWaiting(
  job: Job,
  statuses: readonly ServerStatus[],
  load: ReadonlyMap<string, number>,
  settings: ResolvedFleetSettings,
  now = Date.now(),
): string {
  const held = heldOff(job, settings, now);
  if (held) return held;
  if (statuses.length === 0) return 'no server has reported a status';
  const reasons = new Map<string, number>();
  let eligible = 0;
  for (const status of statuses) {
    const verdict = evaluateHealth(status, settings, now, undefined, statuses.length);
    const health = verdict.state;
    const liveness: Liveness = health === 'offline' ? 'dead' : health === 'suspect' ? 'suspect' : 'alive';
    const candidate = { server: status.server, status, liveness, load: load.get(status.server) ?? 0 };
    const why = ineligibility(job, verdict.maintenanceUntil === undefined ? candidate : { ...candidate, maintenanceUntil: verdict.maintenanceUntil }, settings);
    if (why === null) eligible++;
    else reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  const parts = [...reasons].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n} ${n === 1 ? 'server' : 'servers'}: ${why}`);
  if (eligible > 0) parts.unshift(`${eligible} ${eligible === 1 ? 'server' : 'servers'} could take it (waiting for the coordinator)`);
  return parts.join('; ');
}

/** A time the job itself waits for (notBefore, a retry backoff), said with the same bounds the coordinator applies. */
function heldOff(job: Job, settings: ResolvedFleetSettings, now: number): string | null {
  const notBefore = parseTime(job.notBefore);
  if (notBefore !== null && notBefore > now) return `not before ${job.notBefore}`;
  if (job.state === 'failed' && job.retryAt) {
    if (deadlineHolds(job.retryAt, now, settings.jobs.retryMaxSeconds * 1000)) return `retry at ${job.retryAt}`;
    if ((parseTime(job.retryAt) ?? 0) > now) return `retryAt ${job.retryAt} is further ahead than any retry delay: the coordinator does not wait for it`;
  }
  return null;
}
