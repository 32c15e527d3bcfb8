import { leaseProblem } from '../coordinator/leaseRole.js';
import type { InvalidFile, Snapshot } from '../store/Snapshot.js';
import { recordPath } from '../store/recordPaths.js';
import { FUTURE_SLACK_MS, isBeyondSlack, parseTime } from '../util/clockBounds.js';
import { idTime } from '../util/ids.js';
import { resolveFleetSettingsWithWarnings } from '../settings/fleetSettings.js';
import { looksLikeBuild } from '../import/looksLikeBuild.js';

export interface ValidationReport {
  commit: string | null;
  counts: { fleet: number; status: number; jobs: number; archivedJobs: number; messages: number; archived: number; receipts: number };
  /** fleet.json: a valid record, no file (defaults apply), or a file that fails its schema. */
  fleet: 'present' | 'absent' | 'invalid';
  /** Files that are not valid records: they are skipped by every reader. */
  errors: InvalidFile[];
  /**
   * Valid records worth a look, not fatal (they fail `validate` only with --strict):
   * references to missing records, settings that readers clamp, and times so far ahead
   * of this reader's clock that every reader ignores them (a far-future lease).
   */
  warnings: { path: string; reason: string }[];
  /** Set when the tree is another system's fleet with no gitfleet records (`gitfleet import build` reads it). */
  foreign?: 'build';
}

/** A notBefore further ahead than this is worth a warning (it is honoured: running a job early could do harm). */
const NOT_BEFORE_NOTABLE_MS = 366 * 86_400_000;

/** Checks every record of the fleet repository and the references between them. */
export async function validateFleet(snapshot: Snapshot, options: { now?: number; remoteUrl?: string } = {}): Promise<ValidationReport> {
  const now = options.now ?? Date.now();
  const [all, lease] = await Promise.all([snapshot.read(), snapshot.inspect('coordinator')]);
  const warnings: ValidationReport['warnings'] = [];
  const errors = [...all.invalid];
  const { settings, warnings: clamped } = resolveFleetSettingsWithWarnings(all.fleet, options.remoteUrl);
  for (const reason of clamped) warnings.push({ path: 'fleet.json', reason });
  if (lease && !lease.ok && !errors.some((e) => e.path === 'coordinator.json')) {
    errors.push({ path: 'coordinator.json', kind: 'coordinator', reason: lease.reason });
    errors.sort((a, b) => a.path.localeCompare(b.path));
  }
  if (lease?.ok) {
    const problem = leaseProblem(lease.value, now, settings.coordinator.leaseSeconds);
    if (problem) warnings.push({ path: 'coordinator.json', reason: problem });
  }
  const jobIds = new Set([...all.jobs, ...all.archivedJobs].map((j) => j.id));
  for (const job of all.jobs) {
    const path = recordPath('job', job.id);
    for (const dep of job.dependsOn ?? []) {
      if (!jobIds.has(dep)) warnings.push({ path, reason: `depends on job ${dep}, which does not exist` });
    }
    for (const [field, value] of [
      ['createdAt', job.createdAt],
      ['updatedAt', job.updatedAt],
      ['assignedAt', job.assignment?.assignedAt],
      ['startedAt', job.assignment?.startedAt],
    ] as const) {
      const t = parseTime(value);
      if (t !== null && isBeyondSlack(t, now))
        warnings.push({ path, reason: `${field} ${value} lies in the future of this reader's clock: readers treat it as unknown` });
    }
    const notBefore = parseTime(job.notBefore);
    if (notBefore !== null && notBefore > now + NOT_BEFORE_NOTABLE_MS)
      warnings.push({ path, reason: `notBefore ${job.notBefore} is more than a year ahead: the job waits until then` });
    const retryAt = parseTime(job.retryAt);
    if (retryAt !== null && retryAt > now + settings.jobs.retryMaxSeconds * 1000 + FUTURE_SLACK_MS)
      warnings.push({ path, reason: `retryAt ${job.retryAt} is further ahead than any retry delay: the coordinator does not wait for it` });
  }
  for (const s of all.status) {
    const t = parseTime(s.updatedAt);
    if (t !== null && isBeyondSlack(t, now))
      warnings.push({
        path: recordPath('status', s.server),
        reason: `updatedAt ${s.updatedAt} lies in the future of this reader's clock: the server shows as suspect`,
      });
  }
  const messageIds = new Set([...all.messages, ...all.archived].map((m) => m.id));
  for (const m of all.messages) {
    if (m.replyTo && !messageIds.has(m.replyTo)) warnings.push({ path: recordPath('message', m.id), reason: `replies to ${m.replyTo}, which does not exist` });
    const t = idTime(m.id);
    if (t !== null && isBeyondSlack(t, now))
      warnings.push({
        path: recordPath('message', m.id),
        reason: `its id says it was sent ${new Date(Math.min(t, 8.64e15)).toISOString()}, in the future of this reader's clock: it never moves an inbox watermark`,
      });
  }
  const fleetState = all.fleet !== null ? 'present' : all.invalid.some((i) => i.path === 'fleet.json') ? 'invalid' : 'absent';
  if (fleetState === 'absent') warnings.push({ path: 'fleet.json', reason: 'missing: defaults apply (run `gitfleet init` to write it)' });
  const noRecords = all.fleet === null && all.status.length + all.jobs.length + all.messages.length + all.archivedJobs.length + all.archived.length === 0;
  const foreign = noRecords && looksLikeBuild((await snapshot.tree()).map((e) => e.path)) ? ({ foreign: 'build' } as const) : {};
  return {
    ...foreign,
    commit: all.commit,
    counts: {
      fleet: all.fleet ? 1 : 0,
      status: all.status.length,
      jobs: all.jobs.length,
      archivedJobs: all.archivedJobs.length,
      messages: all.messages.length,
      archived: all.archived.length,
      receipts: all.receipts.length,
    },
    fleet: fleetState,
    errors,
    warnings,
  };
}
