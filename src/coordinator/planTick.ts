import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { dependencyVerdict, findDependencyCycles } from '../jobs/dependencies.js';
import { assignJob, cancelJob, clip, loseJob, MAX_ATTEMPT_COUNTER, outOfAttempts, previousServers, refuseJob } from '../jobs/jobLifecycle.js';
import { capacityOf, chooseServer, type ServerCandidate } from '../jobs/placement.js';
import { PRIORITY_RANK } from '../schema/priorityRank.js';
import type { Job } from '../schema/types.js';
import { believedPast, deadlineHolds } from '../util/clockBounds.js';
import type { FleetIndex } from './FleetIndex.js';
import { activeMaintenance } from '../settings/maintenanceWindows.js';
import { serverLiveness } from './serverLiveness.js';

export type DecisionAction = 'assign' | 'lose' | 'refuse' | 'cancel' | 'dead' | 'archive';

/** One job to rewrite, and the blob it was decided on (the commit checks it is still that). */
export interface JobDecision {
  id: string;
  baseOid: string;
  action: DecisionAction;
  job: Job;
  note: string;
}

export interface TickPlan {
  decisions: JobDecision[];
  liveness: Map<string, ServerCandidate>;
  waiting: number;
}

export interface TickOptions {
  settings: ResolvedFleetSettings;
  now: number;
  actor: string;
  epoch: number;
  /** False until this coordinator has watched for a whole dead window after taking over. */
  canFailOver: boolean;
  claimId: () => string;
  roundRobin: { last: string | null };
  /** At most this many assignments per tick (one commit stays small). */
  maxAssignments?: number;
  random?: () => number;
}

/**
 * The coordinator's decisions for one tick, as a pure function of what it knows:
 * refuse unreadable and impossible jobs, settle dependencies, fail over the jobs of
 * dead servers (only once it may), give up on jobs that were never started, and
 * assign queued jobs by priority (FIFO within a level) with the fleet's strategy.
 */
export function planTick(index: FleetIndex, o: TickOptions): TickPlan {
  const now = new Date(o.now);
  const s = o.settings;
  const decisions: JobDecision[] = [];
  const decided = new Set<string>();
  const decide = (id: string, baseOid: string, action: DecisionAction, job: Job, note: string) => {
    decisions.push({ id, baseOid, action, job, note });
    decided.add(id);
  };

  const candidates = new Map<string, ServerCandidate>();
  // The number of status files the agents count when they choose their period.
  const fleetSize = index.servers.size + index.invalidStatus.size;
  for (const [server, seen] of index.servers) {
    const { liveness, silentMs } = serverLiveness(seen, s, o.now, fleetSize);
    const candidate: ServerCandidate = { server, status: seen.status, liveness, load: 0 };
    // fleet.json's windows are the source of truth: a server silent for its whole window never reports one.
    const window = s.maintenance.length > 0 ? activeMaintenance(s.maintenance, server, seen.status.labels ?? [], o.now, silentMs) : null;
    if (window) candidate.maintenanceUntil = window.until;
    candidates.set(server, candidate);
  }
  const knownKinds = new Set<string>();
  for (const c of candidates.values()) for (const k of c.status.jobs?.kinds ?? []) knownKinds.add(k);

  // Unreadable job files are never rewritten: a plan cannot know what it would destroy
  // (a job this cache failed to read, a hand edit half done). They never run either,
  // since only parsed jobs are queued; `validate` and `job list` show them with their reason.

  const lookup = (id: string) => index.job(id);
  const activeJobs: Job[] = [];
  for (const id of index.active) {
    const job = index.job(id);
    if (job) activeJobs.push(job);
  }
  for (const cycle of findDependencyCycles(activeJobs, lookup)) {
    for (const id of cycle.slice(0, -1)) {
      const entry = index.jobs.get(id);
      if (entry && !decided.has(id))
        decide(id, entry.oid, 'refuse', refuseJob(entry.job, clip(`dependency cycle ${cycle.join(' -> ')}`), now), 'dependency cycle');
    }
  }

  const queue: Job[] = [];
  for (const job of activeJobs) {
    if (decided.has(job.id)) continue;
    const oid = index.jobs.get(job.id)!.oid;
    const holder = job.assignment ? candidates.get(job.assignment.server) : undefined;
    if (job.state === 'assigned' || job.state === 'running') {
      const reason = heldJobProblem(job, holder, o);
      if (reason) decide(job.id, oid, 'lose', loseJob(job, reason, { now, settings: s, ...(o.random ? { random: o.random } : {}) }), reason);
      else if (holder) holder.load++;
      continue;
    }
    // queued or failed
    if (job.cancel) {
      decide(job.id, oid, 'cancel', cancelJob(job, job.cancel.requestedBy, job.cancel.reason, now), 'cancel requested');
      continue;
    }
    if (job.state === 'failed' && outOfAttempts(job, s)) {
      decide(job.id, oid, 'dead', finishDead(job, now), 'out of attempts');
      continue;
    }
    // One more assignment would pass the attempt counter's schema bound: the commit of the
    // whole tick would be refused, and with it every other decision, tick after tick.
    if (job.attempts >= MAX_ATTEMPT_COUNTER) {
      decide(job.id, oid, 'dead', finishDead({ ...job, reason: `attempt counter at its limit (${MAX_ATTEMPT_COUNTER})` }, now), 'attempt counter at its limit');
      continue;
    }
    // With no status at all (a fresh fleet, every status unreadable) nothing is known: wait.
    if (candidates.size > 0 && !knownKinds.has(job.kind)) {
      decide(job.id, oid, 'refuse', refuseJob(job, `unknown kind ${job.kind}: no server's agent runs it`, now), 'unknown kind');
      continue;
    }
    const deps = dependencyVerdict(job, lookup);
    if (deps.kind === 'refuse') {
      decide(job.id, oid, 'refuse', refuseJob(job, deps.reason, now), 'bad dependency');
      continue;
    }
    if (deps.kind === 'cancel') {
      decide(job.id, oid, 'cancel', cancelJob(job, o.actor, deps.reason, now), deps.reason);
      continue;
    }
    if (deps.kind === 'waiting') continue;
    // notBefore is the operator's explicit wish: honoured however far ahead (running a job
    // early could do harm; waiting holds off nothing but this job). retryAt is a backoff
    // an agent computed from its clock: honoured only up to the longest retry delay.
    if (job.notBefore && Date.parse(job.notBefore) > o.now) continue;
    if (job.state === 'failed' && deadlineHolds(job.retryAt, o.now, s.jobs.retryMaxSeconds * 1000)) continue;
    queue.push(job);
  }

  queue.sort(byPriorityThenAge);
  const limit = o.maxAssignments ?? 1000;
  const pool = [...candidates.values()];
  let assigned = 0;
  let waiting = 0;
  for (const job of queue) {
    if (assigned >= limit || !pool.some((c) => c.liveness === 'alive' && c.load < capacityOf(c.status, s))) {
      waiting += queue.length - assigned - waiting;
      break;
    }
    const target = chooseServer(job, pool, s, { avoid: previousServers(job), roundRobin: o.roundRobin });
    if (!target) {
      waiting++;
      continue;
    }
    target.load++;
    assigned++;
    const next = assignJob(job, { server: target.server, claimId: o.claimId(), epoch: o.epoch, actor: o.actor, now });
    decide(job.id, index.jobs.get(job.id)!.oid, 'assign', next, `-> ${target.server}`);
  }
  archiveFinished(index, o, decided, decide);
  return { decisions, liveness: candidates, waiting };
}

/** At most this many finished jobs move to the archive per tick (one commit stays small). */
const ARCHIVE_BATCH = 500;

/** Finished jobs older than archiveAfterHours move to jobs/archive/YYYY-MM/, keeping jobs/ small. */
function archiveFinished(
  index: FleetIndex,
  o: TickOptions,
  decided: Set<string>,
  decide: (id: string, baseOid: string, action: DecisionAction, job: Job, note: string) => void,
): void {
  const before = o.now - o.settings.jobs.archiveAfterHours * 3_600_000;
  let moved = 0;
  for (const [id, endedAt] of index.finished) {
    if (moved >= ARCHIVE_BATCH) break;
    // An end time ahead of this clock is unknown: the job is finished, so it may go (or it
    // would stay in jobs/ for as long as the time lies ahead).
    const ended = believedPast(endedAt, o.now);
    if ((ended !== null && ended >= before) || decided.has(id)) continue;
    const entry = index.jobs.get(id);
    if (!entry) continue;
    decide(id, entry.oid, 'archive', entry.job, 'finished long ago');
    moved++;
  }
}

/** Why a held job must be taken back from its server, or null when all is well. */
function heldJobProblem(job: Job, holder: ServerCandidate | undefined, o: TickOptions): string | null {
  const a = job.assignment;
  if (!a) return 'held without an assignment';
  const deadMs = o.settings.heartbeat.deadAfterPeriods * o.settings.heartbeat.periodSeconds * 1000;
  if (!o.canFailOver) return null;
  if (!holder) return `server ${a.server} has no status`;
  // In maintenance an operator expects silence: its jobs wait for the window to end, and
  // are failed over then only if the server is still silent (the dead rule below, as usual).
  // Only the server's own word that it no longer runs the job counts meanwhile.
  if (holder.maintenanceUntil !== undefined) return notReported(job, holder);
  if (holder.liveness === 'dead') return `server ${a.server} is dead (no heartbeat seen)`;
  // A time from the record beyond this clock's slack is unknown: an assignment that
  // cannot say when it was made has waited too long (or it would be held forever).
  const assignedAt = believedPast(a.assignedAt, o.now);
  if (job.state === 'assigned' && (assignedAt === null || o.now - assignedAt > deadMs))
    return `not started by ${a.server} within ${Math.round(deadMs / 1000)} s`;
  if (job.state === 'running' && a.startedAt) {
    const dropped = notReported(job, holder);
    if (dropped) return dropped;
    const timeoutMs = (job.timeoutSeconds ?? o.settings.jobs.defaultTimeoutSeconds) * 1000;
    const startedAt = believedPast(a.startedAt, o.now);
    if (startedAt === null) return `its start time ${a.startedAt} is not a time this coordinator believes (ahead of its clock)`;
    if (o.now - startedAt > timeoutMs + deadMs) return `still running ${Math.round(deadMs / 1000)} s past its timeout`;
  }
  return null;
}

/** The holder's report made after the job started does not list it: the server itself says it no longer runs it. */
function notReported(job: Job, holder: ServerCandidate): string | null {
  const a = job.assignment;
  if (job.state !== 'running' || !a?.startedAt) return null;
  const reported = holder.status.jobs?.running?.some((r) => r.id === job.id && r.claimId === a.claimId);
  // The server's own clock on both sides: a report made after the start must list the job.
  return !reported && Date.parse(holder.status.updatedAt) > Date.parse(a.startedAt) + 1000 ? `${a.server} no longer reports running it` : null;
}

function finishDead(job: Job, now: Date): Job {
  const next: Job = { ...job, state: 'dead', updatedAt: now.toISOString(), reason: clip(job.reason ?? 'no attempts left') };
  delete next.retryAt;
  return next;
}

function byPriorityThenAge(a: Job, b: Job): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1);
}
