import type { Job, JobState, Priority } from '../schema/types.js';
import { FamilyBuilder } from './FamilyBuilder.js';
import type { MetricsView } from './MetricsView.js';

const STATES: readonly JobState[] = ['queued', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'dead'];
const PRIORITIES: readonly Priority[] = ['critical', 'high', 'normal', 'low'];
const OUTCOMES = ['succeeded', 'failed', 'timeout', 'lost', 'cancelled', 'refused', 'stale-result'] as const;
const QUANTILES = [0.5, 0.9, 0.99] as const;

/** The window of the "recent" families: waits of jobs started, and attempts ended, in the last hour. */
export const RECENT_WINDOW_MS = 3_600_000;

/**
 * Job families, from the live jobs/ records (finished jobs leave them for the archive, so
 * the finished states count what is still there). Times from the repository are bounded by
 * the clock: a start or an end in the future is not "recent", and a queue age is never negative.
 */
export function jobFamilies(view: MetricsView): FamilyBuilder[] {
  const now = view.now;
  const jobs = new FamilyBuilder('gitfleet_jobs', 'gauge', 'Jobs in jobs/ by state and priority');
  const oldest = new FamilyBuilder(
    'gitfleet_job_queue_oldest_age_seconds',
    'gauge',
    'Seconds the longest-waiting job of each priority has been waiting for a server (queued and due, or failed and due for a retry); 0 when none waits',
  );
  const wait = new FamilyBuilder(
    'gitfleet_job_wait_seconds',
    'gauge',
    'Wait from creation to first start of the jobs first started in the last hour, by quantile; NaN when none started',
  );
  const started = new FamilyBuilder('gitfleet_jobs_started_recent', 'gauge', 'Jobs first started in the last hour (the sample of gitfleet_job_wait_seconds)');
  const attempts = new FamilyBuilder('gitfleet_job_attempts_recent', 'gauge', 'Job attempts that ended in the last hour, by outcome');
  const failure = new FamilyBuilder(
    'gitfleet_job_failure_ratio',
    'gauge',
    'Share of the attempts finished in the last hour that failed or timed out (lost, refused and stale results left out, as gitfleet job stats counts); NaN when none finished',
  );

  const count = new Map<string, number>();
  const oldestWait = new Map<Priority, number>();
  const waits: number[] = [];
  const outcomes = new Map<string, number>();
  for (const job of view.jobs) {
    const key = `${job.state}/${job.priority}`;
    count.set(key, (count.get(key) ?? 0) + 1);
    const since = waitingSince(job);
    if (since !== null && since <= now) oldestWait.set(job.priority, Math.max(oldestWait.get(job.priority) ?? 0, now - since));
    const firstStart = time((job.history ?? []).find((h) => h.startedAt)?.startedAt ?? job.assignment?.startedAt);
    const created = time(job.createdAt);
    if (firstStart !== null && created !== null && firstStart <= now && now - firstStart <= RECENT_WINDOW_MS) waits.push(Math.max(0, firstStart - created));
    for (const h of job.history ?? []) {
      const ended = time(h.endedAt);
      if (ended !== null && ended <= now && now - ended <= RECENT_WINDOW_MS) outcomes.set(h.outcome, (outcomes.get(h.outcome) ?? 0) + 1);
    }
  }
  for (const state of STATES) for (const priority of PRIORITIES) jobs.add({ state, priority }, count.get(`${state}/${priority}`) ?? 0);
  for (const priority of PRIORITIES) oldest.add({ priority }, (oldestWait.get(priority) ?? 0) / 1000);
  waits.sort((a, b) => a - b);
  for (const q of QUANTILES)
    wait.add({ quantile: String(q) }, waits.length ? waits[Math.min(waits.length - 1, Math.ceil(q * waits.length) - 1)]! / 1000 : Number.NaN);
  started.add({}, waits.length);
  for (const outcome of OUTCOMES) attempts.add({ outcome }, outcomes.get(outcome) ?? 0);
  const n = (o: string) => outcomes.get(o) ?? 0;
  const failed = n('failed') + n('timeout');
  const finished = failed + n('succeeded') + n('cancelled');
  failure.add({}, finished > 0 ? failed / finished : Number.NaN);
  return [jobs, oldest, wait, started, attempts, failure];
}

/** Since when a job has been waiting for a server, or null when it does not wait (the time it became due). */
function waitingSince(job: Job): number | null {
  if (job.state === 'queued') {
    const created = time(job.createdAt);
    const notBefore = time(job.notBefore);
    return created === null ? null : Math.max(created, notBefore ?? created);
  }
  if (job.state === 'failed') return time(job.retryAt) ?? time(job.updatedAt);
  return null;
}

function time(iso: string | undefined): number | null {
  if (iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}
