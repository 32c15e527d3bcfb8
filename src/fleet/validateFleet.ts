import type { InvalidFile, Snapshot } from '../store/Snapshot.js';

export interface ValidationReport {
  commit: string | null;
  counts: { fleet: number; status: number; jobs: number; archivedJobs: number; messages: number; archived: number; receipts: number };
  /** Files that are not valid records: they are skipped by every reader. */
  errors: InvalidFile[];
  /** Valid records that point at something missing: worth a look, not fatal. */
  warnings: { path: string; reason: string }[];
}

/** Checks every record of the fleet repository and the references between them. */
export async function validateFleet(snapshot: Snapshot): Promise<ValidationReport> {
  const all = await snapshot.read();
  const warnings: ValidationReport['warnings'] = [];
  const jobIds = new Set([...all.jobs, ...all.archivedJobs].map((j) => j.id));
  for (const job of all.jobs) {
    for (const dep of job.dependsOn ?? []) {
      if (!jobIds.has(dep)) warnings.push({ path: `jobs/${job.id}.json`, reason: `depends on job ${dep}, which does not exist` });
    }
  }
  const messageIds = new Set([...all.messages, ...all.archived].map((m) => m.id));
  for (const m of all.messages) {
    if (m.replyTo && !messageIds.has(m.replyTo)) warnings.push({ path: `messages/${m.id}.json`, reason: `replies to ${m.replyTo}, which does not exist` });
  }
  if (all.fleet === null && !all.invalid.some((i) => i.path === 'fleet.json')) {
    warnings.push({ path: 'fleet.json', reason: 'missing: defaults apply (run `gitfleet init` to write it)' });
  }
  return {
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
    errors: all.invalid,
    warnings,
  };
}
