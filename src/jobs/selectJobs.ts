import type { Job, JobState, Priority } from '../schema/types.js';

export interface JobFilter {
  states?: JobState[];
  kind?: string;
  /** Held by, or last run on, this server. */
  server?: string;
  priority?: Priority;
  since?: Date;
  limit?: number;
}

/** The jobs `gitfleet job list` shows: filtered, newest first. */
export function selectJobs(jobs: readonly Job[], filter: JobFilter): Job[] {
  const states = filter.states?.length ? new Set(filter.states) : null;
  const since = filter.since?.getTime();
  const selected = jobs.filter(
    (j) =>
      (!states || states.has(j.state)) &&
      (!filter.kind || j.kind === filter.kind) &&
      (!filter.priority || j.priority === filter.priority) &&
      (since === undefined || Date.parse(j.createdAt) >= since) &&
      (!filter.server || lastServer(j) === filter.server),
  );
  selected.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  return selected.slice(0, filter.limit ?? 100);
}

/** The server that holds the job now, or the last one that ran it. */
export function lastServer(job: Job): string | undefined {
  return job.assignment?.server ?? [...(job.history ?? [])].reverse().find((h) => h.server)?.server;
}
