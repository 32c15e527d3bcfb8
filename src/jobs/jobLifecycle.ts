import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Job, JobAttempt, JobResult, JobState } from '../schema/types.js';
import { retryDelayMs } from './retryDelay.js';

/**
 * The job state machine, as pure functions from one record to the next. Every writer
 * (operator, coordinator, agent) goes through these, inside a transaction that read
 * the job on the current head, so a transition always starts from the real state.
 *
 *   queued -> assigned -> running -> succeeded | failed | cancelled
 *   failed -> (after retryAt) assigned ... until the attempts are used up -> dead
 *   assigned | running -> lost (server dead) -> queued, or dead when out of attempts
 */

/** The fencing token of one assignment: the attempt number and a random claim id. */
export interface FencingToken {
  attempt: number;
  claimId: string;
}

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'cancelled', 'dead']);
const MAX_HISTORY = 200;
/** The schema's bound on attempts, failures and lost leases: counters stop there instead of making the record invalid. */
export const MAX_ATTEMPT_COUNTER = 1000;
const bump = (n: number | undefined) => Math.min(MAX_ATTEMPT_COUNTER, (n ?? 0) + 1);

export function isTerminal(job: Pick<Job, 'state'>): boolean {
  return TERMINAL_STATES.has(job.state);
}

/** Assigned or running: a server holds it. */
export function isHeld(job: Pick<Job, 'state'>): boolean {
  return job.state === 'assigned' || job.state === 'running';
}

export function holdsToken(job: Job, server: string, token: FencingToken): boolean {
  const a = job.assignment;
  return isHeld(job) && a !== undefined && a.server === server && a.attempt === token.attempt && a.claimId === token.claimId;
}

export function maxAttemptsOf(job: Job, settings: ResolvedFleetSettings): number {
  return job.maxAttempts ?? settings.jobs.defaultMaxAttempts;
}

/** Attempts used from the current budget (an operator retry starts a new budget). */
export function attemptsUsed(job: Job): number {
  return job.attempts - (job.attemptsAtRetry ?? 0);
}

export function outOfAttempts(job: Job, settings: ResolvedFleetSettings): boolean {
  return attemptsUsed(job) >= maxAttemptsOf(job, settings);
}

/** Servers that already had a go at this job, most recent last (a retry prefers others). */
export function previousServers(job: Job): string[] {
  const servers = (job.history ?? []).map((h) => h.server).filter((s): s is string => s !== undefined);
  if (job.assignment) servers.push(job.assignment.server);
  return servers;
}

export function assignJob(job: Job, to: { server: string; claimId: string; epoch: number; actor: string; now: Date }): Job {
  const attempt = job.attempts + 1;
  const next: Job = {
    ...job,
    state: 'assigned',
    attempts: attempt,
    assignment: { server: to.server, attempt, claimId: to.claimId, assignedAt: to.now.toISOString(), assignedBy: to.actor, epoch: to.epoch },
    updatedAt: to.now.toISOString(),
  };
  delete next.retryAt;
  delete next.reason;
  return next;
}

export function startJob(job: Job, now: Date): Job {
  if (!job.assignment) throw new Error(`job ${job.id} has no assignment to start`);
  return { ...job, state: 'running', assignment: { ...job.assignment, startedAt: now.toISOString() }, updatedAt: now.toISOString() };
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'timeout' | 'cancelled';

export interface FinishOptions {
  now: Date;
  settings: ResolvedFleetSettings;
  reason?: string;
  random?: () => number;
}

/** The end of the current attempt, as reported by the server that ran it. */
export function finishJob(job: Job, outcome: AttemptOutcome, result: JobResult, options: FinishOptions): Job {
  const entry = attemptEntry(job, outcome, options.now, result.exitCode, options.reason);
  const base = withHistory(withoutAssignment(job), entry, options.now);
  base.result = result;
  if (outcome === 'succeeded') return { ...base, state: 'succeeded' };
  if (outcome === 'cancelled' || job.cancel) return terminal(base, 'cancelled', cancelReason(job));
  return afterFailure(
    { ...base, failures: bump(job.failures) },
    `${outcome === 'timeout' ? 'timed out' : `failed${result.exitCode !== undefined && result.exitCode !== null ? ` (exit code ${result.exitCode})` : ''}`}`,
    options,
  );
}

/** The holder of the job is gone (dead server, never started, stopped reporting it). */
export function loseJob(job: Job, reason: string, options: FinishOptions): Job {
  const entry = attemptEntry(job, 'lost', options.now, undefined, reason);
  const base: Job = { ...withHistory(withoutAssignment(job), entry, options.now), lostLeases: bump(job.lostLeases) };
  if (job.cancel) return terminal(base, 'cancelled', cancelReason(job));
  if (outOfAttempts(job, options.settings))
    return terminal(base, 'dead', `${reason}; no attempts left (${attemptsUsed(job)} of ${maxAttemptsOf(job, options.settings)})`);
  // Lost is not the job's fault: it goes straight back to the queue, no backoff.
  return { ...base, state: 'queued', reason: clip(`requeued: ${reason}`) };
}

/** Cancels at once what no server runs; asks the server to stop what it runs. */
export function cancelJob(job: Job, by: string, reason: string | undefined, now: Date): Job {
  const cancel = { requestedBy: by, requestedAt: now.toISOString(), ...(reason ? { reason: clip(reason) } : {}) };
  if (job.state === 'running') return { ...job, cancel, updatedAt: now.toISOString() };
  const base = job.state === 'assigned' ? withHistory(withoutAssignment(job), attemptEntry(job, 'cancelled', now, undefined, reason), now) : job;
  return terminal({ ...base, cancel, updatedAt: now.toISOString() }, 'cancelled', reason ? `cancelled by ${by}: ${reason}` : `cancelled by ${by}`);
}

/** An operator's retry: back to the queue with a fresh budget of attempts. */
export function retryJob(job: Job, now: Date): Job {
  const next: Job = { ...job, state: 'queued', attemptsAtRetry: job.attempts, updatedAt: now.toISOString() };
  for (const key of ['cancel', 'reason', 'retryAt', 'assignment', 'result'] as const) delete next[key];
  return next;
}

/** Never to run: an unknown kind, a bad parameter, a dependency cycle, an unreadable record. */
export function refuseJob(job: Job, reason: string, now: Date, server?: string): Job {
  const entry: JobAttempt = { attempt: job.attempts, outcome: 'refused', endedAt: now.toISOString(), reason: clip(reason) };
  if (server) entry.server = server;
  return terminal(withHistory(withoutAssignment(job), entry, now), 'cancelled', `refused: ${reason}`);
}

/** A result that arrived for an attempt that is no longer current: recorded, not applied. */
export function recordStaleResult(job: Job, server: string, token: FencingToken, outcome: AttemptOutcome, exitCode: number | null | undefined, now: Date): Job {
  const entry: JobAttempt = {
    attempt: token.attempt,
    server,
    claimId: token.claimId,
    endedAt: now.toISOString(),
    outcome: 'stale-result',
    reason: clip(`late ${outcome} from ${server}; not applied`),
  };
  if (exitCode !== undefined) entry.exitCode = exitCode;
  return withHistory(job, entry, now);
}

function afterFailure(job: Job, what: string, options: FinishOptions): Job {
  const used = attemptsUsed(job);
  const max = maxAttemptsOf(job, options.settings);
  if (used >= max) return terminal(job, 'dead', `${what}; no attempts left (${used} of ${max})`);
  const retryAt = new Date(options.now.getTime() + retryDelayMs(job.failures ?? 1, options.settings, options.random));
  return { ...job, state: 'failed', retryAt: retryAt.toISOString(), reason: clip(`${what}; attempt ${used} of ${max}, retry at ${retryAt.toISOString()}`) };
}

function terminal(job: Job, state: 'cancelled' | 'dead', reason: string): Job {
  const next: Job = { ...job, state, reason: clip(reason) };
  delete next.retryAt;
  return next;
}

function cancelReason(job: Job): string {
  const c = job.cancel;
  if (!c) return 'cancelled';
  return c.reason ? `cancelled by ${c.requestedBy}: ${c.reason}` : `cancelled by ${c.requestedBy}`;
}

function attemptEntry(job: Job, outcome: JobAttempt['outcome'], now: Date, exitCode: number | null | undefined, reason?: string): JobAttempt {
  const a = job.assignment;
  const entry: JobAttempt = { attempt: a?.attempt ?? job.attempts, outcome, endedAt: now.toISOString() };
  if (a) {
    entry.server = a.server;
    entry.claimId = a.claimId;
    entry.assignedAt = a.assignedAt;
    if (a.startedAt) entry.startedAt = a.startedAt;
  }
  if (exitCode !== undefined) entry.exitCode = exitCode;
  if (reason) entry.reason = clip(reason);
  return entry;
}

function withoutAssignment(job: Job): Job {
  const next = { ...job };
  delete next.assignment;
  return next;
}

function withHistory(job: Job, entry: JobAttempt, now: Date): Job {
  const history = [...(job.history ?? []), entry];
  return { ...job, history: history.slice(-MAX_HISTORY), updatedAt: now.toISOString() };
}

/** Reasons are short text in the schema (200 characters). */
export function clip(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
