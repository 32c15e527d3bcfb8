import { resolveFleetSettings, type ResolvedFleetSettings } from '../settings/fleetSettings.js';
import { finishJob, holdsToken, recordStaleResult, refuseJob, startJob, type AttemptOutcome, type FencingToken } from './jobLifecycle.js';
import type { JobResult } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { abort, decide, type Plan } from '../store/Plan.js';

/**
 * The agent's job transactions. Each checks the fencing token on the current head:
 * only the server holding the current attempt may start it, refuse it or finish it.
 */
export function startJobPlan(id: string, server: string, token: FencingToken): Plan {
  return async (snapshot, { now }) => {
    const job = await snapshot.get('job', id);
    if (job?.state !== 'assigned' || !holdsToken(job, server, token))
      return abort('not-assigned', `job ${id} is no longer assigned to ${server} (attempt ${token.attempt})`);
    if (job.cancel) return abort('not-assigned', `job ${id} was cancelled before it started`);
    return new ChangeSet().put('job', startJob(job, now));
  };
}

export function refuseJobPlan(id: string, server: string, token: FencingToken, reason: string): Plan {
  return async (snapshot, { now }) => {
    const job = await snapshot.get('job', id);
    if (!job || !holdsToken(job, server, token)) return abort('not-assigned', `job ${id} is no longer assigned to ${server}`);
    return new ChangeSet().put('job', refuseJob(job, `${reason} (on ${server})`, now, server));
  };
}

/** What finishing an attempt found: `stale` when the job had moved on and the result was only recorded. */
export interface FinishFindings {
  stale: boolean;
}

/**
 * The end of an attempt. With the token still current, the result is applied (and a
 * failure is retried or dead-lettered); otherwise the job moved on without this server
 * (failed over, cancelled) and the late result is only recorded in its history.
 */
export function finishJobPlan(
  id: string,
  server: string,
  token: FencingToken,
  outcome: AttemptOutcome,
  result: JobResult,
  options: {
    remoteUrl: string;
    reason?: string;
    /** The agent's last valid fleet settings, for when fleet.json cannot be read now. */
    lastGoodSettings?: ResolvedFleetSettings;
  },
): Plan<FinishFindings> {
  return async (snapshot, { now }) => {
    const job = await snapshot.get('job', id);
    if (!job) return abort('not-found', `job ${id} no longer exists`);
    const current = job.state === 'running' && holdsToken(job, server, token);
    if (!current) return decide(new ChangeSet().put('job', recordStaleResult(job, server, token, outcome, result.exitCode, now)), { stale: true });
    // An unreadable fleet.json must not turn the retry budget into the defaults.
    const fleet = await snapshot.inspect('fleet');
    const settings =
      fleet && !fleet.ok && options.lastGoodSettings ? options.lastGoodSettings : resolveFleetSettings(fleet?.ok ? fleet.value : null, options.remoteUrl);
    return decide(new ChangeSet().put('job', finishJob(job, outcome, result, { now, settings, ...(options.reason ? { reason: options.reason } : {}) })), {
      stale: false,
    });
  };
}
