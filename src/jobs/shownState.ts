import type { Job, JobState } from '../schema/types.js';

/** The prefix refuseJob (src/jobs/jobLifecycle.ts) gives the reason of a job an agent refused. */
const REFUSED = 'refused: ';

/**
 * A job an agent refused is stored as `cancelled` with a reason starting "refused:" (the
 * job schema's states stay as older readers know them; see docs/decisions.md). What an
 * operator reads must not suggest that someone cancelled it: every view shows it as
 * `refused`, with the agent's reason.
 */
export type ShownJobState = JobState | 'refused';

export function isRefused(job: Pick<Job, 'state' | 'reason'>): boolean {
  return job.state === 'cancelled' && (job.reason?.startsWith(REFUSED.trim()) ?? false);
}

export function shownState(job: Pick<Job, 'state' | 'reason'>): ShownJobState {
  return isRefused(job) ? 'refused' : job.state;
}

/** The reason to show beside the state: a refused job's without the "refused:" it already reads as. */
export function shownReason(job: Pick<Job, 'state' | 'reason'>): string | undefined {
  if (!job.reason) return undefined;
  return isRefused(job) ? job.reason.replace(/^refused:\s*/, '') : job.reason;
}
