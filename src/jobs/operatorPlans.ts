import { resolveFleetSettings } from '../settings/fleetSettings.js';
import { readFleetRecord, refuseInvalidFleet, UNREADABLE_RECORD } from '../settings/readFleetRecord.js';
import type { FleetSettings, Job } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { abort, decide, isAbort, type Abort } from '../store/Plan.js';
import { recordPath } from '../store/recordPaths.js';
import type { Plan } from '../store/Store.js';
import { checkJobParams, type ParamRefusal } from './checkJobParams.js';
import { cancelJob, isHeld, isTerminal, loseJob, retryJob } from './jobLifecycle.js';

/**
 * Adds a new job, after checking on the head that its dependencies exist, that some
 * server runs its kind and that one of those would accept its parameters. Its value
 * lists the servers that run the kind but would refuse these parameters.
 */
export function submitJobPlan(job: Job): Plan<{ refusedBy: ParamRefusal[] }> {
  return async (snapshot) => {
    if (await snapshot.has('job', job.id)) return abort('conflict', `job ${job.id} already exists`);
    for (const dep of job.dependsOn ?? []) {
      if (!(await snapshot.get('job', dep))) return abort('bad-dependency', `--depends-on ${dep}: there is no such job`);
    }
    const status = await snapshot.list('status');
    const kinds = new Set(status.records.flatMap((s) => s.jobs?.kinds ?? []));
    if (!kinds.has(job.kind)) {
      return abort('unknown-kind', `no server runs jobs of kind ${job.kind}`, { known: [...kinds].sort() });
    }
    const check = checkJobParams(job, status.records);
    if (!check.ok) {
      const first = check.refusedBy[0]!;
      // One line per distinct problem, naming its servers when they disagree.
      const problems = new Map<string, string[]>();
      for (const r of check.refusedBy) problems.set(r.problem, [...(problems.get(r.problem) ?? []), r.server]);
      const reason = problems.size === 1 ? first.problem : [...problems].map(([problem, servers]) => `${servers.join(', ')}: ${problem}`).join('; ');
      return abort('bad-params', reason, {
        param: first.param,
        ...(first.pattern !== undefined ? { pattern: first.pattern } : {}),
        example: check.example,
        refusedBy: check.refusedBy,
      });
    }
    return decide(new ChangeSet().put('job', job), { refusedBy: check.refusedBy });
  };
}

/** The job to change, or the abort that says it is absent or unreadable (never rewritten then). */
async function readJob(snapshot: Parameters<Plan>[0], id: string): Promise<Job | Abort> {
  const parsed = await snapshot.inspect('job', id);
  if (!parsed) return abort('not-found', `no job ${id}`);
  const path = recordPath('job', id);
  if (!parsed.ok) return abort(UNREADABLE_RECORD, `${path} is invalid (${parsed.reason}); refusing to rewrite it: fix it (gitfleet validate) first`, { path });
  return parsed.value;
}

/** Cancels a job (a running one only gets the request); its value is the job as it now stands. */
export function cancelJobPlan(id: string, by: string, reason: string | undefined): Plan<Job> {
  return async (snapshot, { now }) => {
    const job = await readJob(snapshot, id);
    if (isAbort(job)) return job;
    if (isTerminal(job)) return abort('conflict', `job ${id} is already ${job.state}`, { state: job.state });
    if (job.cancel) return decide(null, job);
    const next = cancelJob(job, by, reason, now);
    return decide(new ChangeSet().put('job', next), next);
  };
}

/** Queues a finished job again; its value is the job as written. */
export function retryJobPlan(id: string): Plan<Job> {
  return async (snapshot, { now }) => {
    const job = await readJob(snapshot, id);
    if (isAbort(job)) return job;
    if (job.state !== 'dead' && job.state !== 'failed' && job.state !== 'cancelled') {
      return abort('conflict', `job ${id} is ${job.state}; only dead, failed or cancelled jobs can be retried`, { state: job.state });
    }
    if (job.reason?.startsWith('refused:')) return abort('conflict', `job ${id} was ${job.reason}; retrying cannot change that`, { state: job.state });
    const next = retryJob(job, now);
    return decide(new ChangeSet().put('job', next), next);
  };
}

/**
 * `gitfleet failover <server>`: takes every job the server holds back to the queue now
 * (an operator knows the machine is gone before the dead window says so), and drains
 * the server so the coordinator does not hand them straight back. Its value is the ids
 * of the jobs taken back.
 */
export function failoverPlan(server: string, by: string, options: { drain: boolean; remoteUrl: string }): Plan<string[]> {
  return async (snapshot, { now }) => {
    const [jobs, record] = await Promise.all([snapshot.list('job'), readFleetRecord(snapshot)]);
    // Its attempt budgets and drain list live in fleet.json: with it unreadable, neither can be decided.
    if (record.state === 'invalid') return refuseInvalidFleet(record.reason);
    const fleet = record.state === 'valid' ? record.fleet : undefined;
    const settings = resolveFleetSettings(fleet, options.remoteUrl);
    const held = jobs.records.filter((j) => isHeld(j) && j.assignment?.server === server);
    const changes = new ChangeSet();
    for (const job of held) changes.put('job', loseJob(job, `manual failover of ${server} by ${by}`, { now, settings }));
    if (options.drain) changes.merge(drainChanges(fleet, server, true));
    return decide(
      changes,
      held.map((j) => j.id),
    );
  };
}

/** Adds a server to fleet.json's drain list, or takes it off (never rewriting a fleet.json it could not parse). */
export function drainPlan(server: string, drain: boolean): Plan {
  return async (snapshot) => {
    const record = await readFleetRecord(snapshot);
    if (record.state === 'invalid') return refuseInvalidFleet(record.reason);
    return drainChanges(record.state === 'valid' ? record.fleet : undefined, server, drain);
  };
}

function drainChanges(fleet: FleetSettings | undefined, server: string, drain: boolean): ChangeSet {
  const current = fleet ?? { schemaVersion: 1 as const };
  const list = new Set(current.drain ?? []);
  if (drain) list.add(server);
  else list.delete(server);
  const next: FleetSettings = { ...current, drain: [...list].sort() };
  if (next.drain!.length === 0) delete next.drain;
  return new ChangeSet().put('fleet', next);
}
