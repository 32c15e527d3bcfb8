import type { Job, JobAttempt, ServerStatus } from '../../../src/schema/types.js';

/**
 * The attempt a job's server and output come from: the one running now, else the last
 * that ended. A finished job has no assignment any more (the lifecycle moves it into the
 * history), so the history is where its server is. A stale result (a late report from an
 * older attempt) is recorded but never the job's own outcome, so it is skipped.
 */
export function lastAttempt(job: Job): JobAttempt | undefined {
  let last: JobAttempt | undefined;
  for (const h of job.history ?? []) if (h.outcome !== 'stale-result' && (!last || h.attempt >= last.attempt)) last = h;
  return last;
}

/** The server that runs the job now, or ran its last attempt; undefined when none did. */
export function lastServer(job: Job): string | undefined {
  return job.assignment?.server ?? lastAttempt(job)?.server;
}

/** One job on a server's page: a running one, or one attempt that ended there. */
export interface ServerJob {
  id: string;
  job: Job | undefined;
  attempt: number;
  /** The job's state for a current attempt, the attempt's outcome for an ended one. */
  state: string;
  /** When it started (current) or ended (past). */
  at: string | undefined;
  current: boolean;
}

/**
 * The jobs of one server, running first, then the attempts that ended there, newest
 * first. Running jobs come from the job records and from the server's own status (which
 * may name a job whose record this data does not hold).
 */
export function serverJobs(server: string, status: ServerStatus, jobs: readonly Job[], limit = 50): ServerJob[] {
  const current: ServerJob[] = [];
  const past: ServerJob[] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    const a = job.assignment;
    if (a?.server === server) {
      current.push({ id: job.id, job, attempt: a.attempt, state: job.state, at: a.startedAt ?? a.assignedAt, current: true });
      seen.add(job.id);
    }
    for (const h of job.history ?? [])
      if (h.server === server) past.push({ id: job.id, job, attempt: h.attempt, state: h.outcome, at: h.endedAt, current: false });
  }
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const r of status.jobs?.running ?? []) {
    if (!seen.has(r.id)) current.push({ id: r.id, job: byId.get(r.id), attempt: r.attempt, state: 'running', at: r.startedAt, current: true });
  }
  const newest = (a: ServerJob, b: ServerJob) => (b.at ?? '').localeCompare(a.at ?? '');
  return [...current.sort(newest), ...past.sort(newest)].slice(0, limit);
}

/**
 * The attempt whose end wrote the job's result (exit code and output): the last one that
 * finished by running (a lost, refused or stale attempt writes no result).
 */
export function resultAttempt(job: Job): JobAttempt | undefined {
  if (!job.result) return undefined;
  let found: JobAttempt | undefined;
  for (const h of job.history ?? [])
    if (['succeeded', 'failed', 'timeout', 'cancelled'].includes(h.outcome) && (!found || h.attempt >= found.attempt)) found = h;
  return found;
}

/** The `gitfleet` lines an operator may run on this job now (the CLI refuses the others). */
export function jobCommands(job: Job): string[] {
  const lines: string[] = [];
  if (['dead', 'failed', 'cancelled'].includes(job.state) && !job.reason?.startsWith('refused:')) lines.push(`gitfleet job retry ${job.id}`);
  if (['queued', 'assigned', 'running', 'failed'].includes(job.state)) lines.push(`gitfleet job cancel ${job.id}`);
  return lines;
}
