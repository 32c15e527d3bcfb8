import { resolveFleetSettings } from '../fleet/fleetSettings.js';
import type { FleetSettings, Job } from '../schema/types.js';
import { abort, ChangeSet } from '../store/ChangeSet.js';
import type { Plan } from '../store/Store.js';
import { cancelJob, isHeld, isTerminal, loseJob, retryJob } from './jobLifecycle.js';

/** Why an operator's job transaction did nothing: data.code tells the CLI which error to raise. */
export type RefusalCode = 'not-found' | 'conflict' | 'unknown-kind' | 'bad-dependency';

/** Adds a new job, after checking on the head that its dependencies exist and that some server runs its kind. */
export function submitJobPlan(job: Job): Plan {
  return async (snapshot) => {
    if (await snapshot.has('job', job.id)) return abort(`job ${job.id} already exists`, { code: 'conflict' });
    for (const dep of job.dependsOn ?? []) {
      if (!(await snapshot.get('job', dep))) return abort(`--depends-on ${dep}: there is no such job`, { code: 'bad-dependency' });
    }
    const status = await snapshot.list('status');
    const kinds = new Set(status.records.flatMap((s) => s.jobs?.kinds ?? []));
    if (!kinds.has(job.kind)) {
      return abort(`no server runs jobs of kind ${job.kind}`, { code: 'unknown-kind', known: [...kinds].sort() });
    }
    return new ChangeSet().put('job', job);
  };
}

export function cancelJobPlan(id: string, by: string, reason: string | undefined): Plan {
  return async (snapshot, { now }) => {
    const job = await snapshot.get('job', id);
    if (!job) return abort(`no job ${id}`, { code: 'not-found' });
    if (isTerminal(job)) return abort(`job ${id} is already ${job.state}`, { code: 'conflict', state: job.state });
    if (job.cancel) return null;
    return new ChangeSet().put('job', cancelJob(job, by, reason, now));
  };
}

export function retryJobPlan(id: string): Plan {
  return async (snapshot, { now }) => {
    const job = await snapshot.get('job', id);
    if (!job) return abort(`no job ${id}`, { code: 'not-found' });
    if (job.state !== 'dead' && job.state !== 'failed' && job.state !== 'cancelled') {
      return abort(`job ${id} is ${job.state}; only dead, failed or cancelled jobs can be retried`, { code: 'conflict', state: job.state });
    }
    if (job.reason?.startsWith('refused:')) return abort(`job ${id} was ${job.reason}; retrying cannot change that`, { code: 'conflict', state: job.state });
    return new ChangeSet().put('job', retryJob(job, now));
  };
}

/**
 * `gitfleet failover <server>`: takes every job the server holds back to the queue now
 * (an operator knows the machine is gone before the dead window says so), and drains
 * the server so the coordinator does not hand them straight back.
 */
export function failoverPlan(server: string, by: string, options: { drain: boolean; remoteUrl: string; onJobs?: (ids: string[]) => void }): Plan {
  return async (snapshot, { now }) => {
    const [jobs, fleet] = await Promise.all([snapshot.list('job'), snapshot.get('fleet')]);
    const settings = resolveFleetSettings(fleet, options.remoteUrl);
    const held = jobs.records.filter((j) => isHeld(j) && j.assignment?.server === server);
    options.onJobs?.(held.map((j) => j.id));
    const changes = new ChangeSet();
    for (const job of held) changes.put('job', loseJob(job, `manual failover of ${server} by ${by}`, { now, settings }));
    if (options.drain) changes.merge(drainChanges(fleet, server, true));
    return changes;
  };
}

/** Adds a server to fleet.json's drain list, or takes it off. */
export function drainPlan(server: string, drain: boolean): Plan {
  return async (snapshot) => drainChanges(await snapshot.get('fleet'), server, drain);
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
