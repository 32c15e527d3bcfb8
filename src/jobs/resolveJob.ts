import { NotFoundError, UsageError } from '../errors/index.js';
import type { Job } from '../schema/types.js';
import type { Snapshot } from '../store/Snapshot.js';

/** A job by its id or a unique prefix of it (at least 6 characters). */
export async function resolveJob(snapshot: Snapshot, idOrPrefix: string): Promise<Job> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (!/^[a-z0-9-]{1,63}$/.test(wanted)) throw new UsageError(`${JSON.stringify(idOrPrefix.slice(0, 70))} is not a job id`);
  const exact = await snapshot.inspect('job', wanted);
  if (exact?.ok) return exact.value;
  if (exact && !exact.ok) throw new NotFoundError(`job ${wanted} is not a valid record: ${exact.reason}`, { hint: 'the coordinator rewrites it as a refused job; see gitfleet validate' });
  if (wanted.length < 6) throw new NotFoundError(`no job ${wanted}`, { hint: 'give the id, or at least 6 of its first characters' });
  const ids = (await snapshot.paths('jobs')).map((p) => p.slice('jobs/'.length, -'.json'.length)).filter((id) => id.startsWith(wanted));
  if (ids.length > 1) throw new UsageError(`${wanted} matches ${ids.length} jobs`, { hint: 'give more characters of the id' });
  const job = ids.length === 1 ? await snapshot.get('job', ids[0]!) : undefined;
  if (!job) throw new NotFoundError(`no job ${wanted}`, { hint: 'see gitfleet job list' });
  return job;
}
