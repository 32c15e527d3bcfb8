import type { Job, JobState, Priority } from '../schema/types.js';
import { isRefused } from './shownState.js';

export interface JobStats {
  total: number;
  byState: Record<JobState, number>;
  /** Of byState.cancelled, the jobs an agent refused (stored as cancelled; shown as refused). */
  refused: number;
  /** Jobs waiting for a server (queued, or failed and due for a retry), per priority. */
  depth: Record<Priority, number>;
  /** From creation to the first start. */
  waitMs: { p50: number | null; p95: number | null; count: number };
  /** Attempts that ended, and the share of them that failed (failed or timed out). */
  attempts: { finished: number; failed: number; lost: number; failureRate: number | null };
}

const STATES: JobState[] = ['queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'dead'];
const PRIORITIES: Priority[] = ['critical', 'high', 'normal', 'low'];

/** Queue depth, states, wait times and failure rate over the given jobs (`gitfleet job stats`). */
export function jobStats(jobs: readonly Job[], options: { since?: Date } = {}): JobStats {
  const since = options.since?.getTime() ?? -Infinity;
  const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<JobState, number>;
  const depth = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const waits: number[] = [];
  let finished = 0;
  let failed = 0;
  let lost = 0;
  let total = 0;
  let refused = 0;
  for (const job of jobs) {
    if (Date.parse(job.createdAt) < since) continue;
    total++;
    byState[job.state]++;
    if (isRefused(job)) refused++;
    if (job.state === 'queued' || job.state === 'failed') depth[job.priority]++;
    const firstStart = (job.history ?? []).find((h) => h.startedAt)?.startedAt ?? job.assignment?.startedAt;
    if (firstStart) waits.push(Math.max(0, Date.parse(firstStart) - Date.parse(job.createdAt)));
    for (const h of job.history ?? []) {
      if (h.outcome === 'stale-result' || h.outcome === 'refused') continue;
      if (h.outcome === 'lost') lost++;
      else finished++;
      if (h.outcome === 'failed' || h.outcome === 'timeout') failed++;
    }
  }
  waits.sort((a, b) => a - b);
  return {
    total,
    byState,
    refused,
    depth,
    waitMs: { p50: percentile(waits, 0.5), p95: percentile(waits, 0.95), count: waits.length },
    attempts: { finished, failed, lost, failureRate: finished > 0 ? failed / finished : null },
  };
}

function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
