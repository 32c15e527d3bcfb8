import type { ServerStatus } from '../schema/types.js';

/** What of a status makes a push necessary right away (not at the next heartbeat). */
export function significantChanges(previous: ServerStatus | null, next: ServerStatus): string[] {
  if (!previous) return ['first report'];
  const reasons: string[] = [];
  if (previous.health.state !== next.health.state) reasons.push(`health ${previous.health.state} -> ${next.health.state}`);
  if (Boolean(previous.draining) !== Boolean(next.draining)) reasons.push(next.draining ? 'draining' : 'undrained');
  const list = (a?: string[]) => [...(a ?? [])].sort().join(',');
  if (list(previous.labels) !== list(next.labels) || list(previous.capabilities) !== list(next.capabilities)) reasons.push('labels changed');
  if (previous.agent?.version !== next.agent?.version) reasons.push('agent upgraded');
  if (previous.heartbeat?.periodSeconds !== next.heartbeat?.periodSeconds) reasons.push('heartbeat period changed');
  return reasons;
}

/**
 * Whether the list of running jobs changed. Not a reason to push at once: each job's
 * start and end is already a commit of its own (the job record is the truth), so the
 * status follows at the next heartbeat, which such a change keeps from being skipped.
 */
export function runningJobsChanged(previous: ServerStatus | null, next: ServerStatus): boolean {
  const jobs = (s: ServerStatus | null) =>
    (s?.jobs?.running ?? [])
      .map((j) => `${j.id}#${j.attempt}`)
      .sort()
      .join(',');
  return jobs(previous) !== jobs(next);
}

/**
 * Whether the metrics moved enough to be worth a heartbeat that could otherwise be
 * skipped (an idle server may skip every other heartbeat).
 */
export function metricsMoved(previous: ServerStatus | null, next: ServerStatus): boolean {
  if (!previous) return true;
  const pct = (u?: number, t?: number) => (u === undefined || !t ? 0 : (u / t) * 100);
  const diskMax = (s: ServerStatus) => Math.max(0, ...(s.disks ?? []).map((d) => pct(d.usedBytes, d.totalBytes)));
  return (
    Math.abs((previous.cpu?.usagePercent ?? 0) - (next.cpu?.usagePercent ?? 0)) >= 10 ||
    Math.abs(pct(previous.memory?.usedBytes, previous.memory?.totalBytes) - pct(next.memory?.usedBytes, next.memory?.totalBytes)) >= 5 ||
    Math.abs(diskMax(previous) - diskMax(next)) >= 1
  );
}
