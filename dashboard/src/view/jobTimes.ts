import type { Job } from '../../../src/schema/types.js';
import { lastAttempt, resultAttempt } from './jobServers.js';

/** A span of time for the jobs table: ended (`so far` false) or still counting at `now`. */
export type JobSpan = { ms: number; soFar: boolean } | { none: 'not started' | 'never started' | 'unknown' };

/** States in which a job that never started is still waiting for one. */
const WAITING = ['queued', 'assigned', 'failed'];

/** When the job's first attempt started: the earliest start any attempt records. */
function firstStart(job: Job): number | undefined {
  const starts = [...(job.history ?? []).map((h) => h.startedAt), job.assignment?.startedAt]
    .map((t) => (t ? Date.parse(t) : NaN))
    .filter((t) => !Number.isNaN(t));
  return starts.length ? Math.min(...starts) : undefined;
}

/**
 * How long the job waited: from its creation to its first start; a job that has not started
 * yet and still can has waited so far until `now`; one that ended without ever starting
 * (cancelled or refused in the queue) never started.
 */
export function jobWait(job: Job, now: number): JobSpan {
  const created = Date.parse(job.createdAt);
  const start = firstStart(job);
  if (start !== undefined) return { ms: Math.max(0, start - created), soFar: false };
  // Attempts that record no start (older records) say the job did start, but not when.
  if ((job.history ?? []).length > 0) return { none: 'unknown' };
  if (WAITING.includes(job.state)) return { ms: Math.max(0, now - created), soFar: true };
  return { none: 'never started' };
}

/**
 * How long the last attempt ran: the running one so far until `now`, else the last attempt
 * that ended, from its start to its end (or the result's own duration when the attempt that
 * wrote it records no start). An assignment left on a finished job is not a running attempt.
 */
export function jobDuration(job: Job, now: number): JobSpan {
  const a = job.assignment;
  if (a && (job.state === 'running' || job.state === 'assigned')) {
    const started = a.startedAt ? Date.parse(a.startedAt) : NaN;
    return Number.isNaN(started) ? { none: 'not started' } : { ms: Math.max(0, now - started), soFar: true };
  }
  const last = lastAttempt(job);
  if (!last) return { none: 'not started' };
  const started = last.startedAt ? Date.parse(last.startedAt) : NaN;
  const ended = last.endedAt ? Date.parse(last.endedAt) : NaN;
  if (!Number.isNaN(started) && !Number.isNaN(ended)) return { ms: Math.max(0, ended - started), soFar: false };
  const ms = job.result?.durationMs;
  return ms !== undefined && resultAttempt(job) === last ? { ms, soFar: false } : { none: 'unknown' };
}
