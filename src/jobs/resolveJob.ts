import { NotFoundError, UsageError } from '../errors/index.js';
import type { Job } from '../schema/types.js';
import { classifyPath } from '../store/recordPaths.js';
import type { Snapshot } from '../store/Snapshot.js';

/** A job by its id or a unique prefix of it (at least 6 characters), live or archived. */
export async function resolveJob(snapshot: Snapshot, idOrPrefix: string): Promise<Job> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (!/^[a-z0-9-]{1,63}$/.test(wanted)) throw new UsageError(`${JSON.stringify(idOrPrefix.slice(0, 70))} is not a job id`);
  const exact = await snapshot.inspect('job', wanted);
  if (exact?.ok) return exact.value;
  if (exact && !exact.ok)
    throw new NotFoundError(`job ${wanted} is not a valid record: ${exact.reason}`, {
      hint: 'the coordinator rewrites it as a refused job; see gitfleet validate',
    });
  const all = (await snapshot.paths('jobs')).map((path) => ({ path, c: classifyPath(path) })).filter((e) => e.c.type === 'record' && e.c.kind === 'job');
  const exactArchived = all.find((e) => e.c.type === 'record' && e.c.id === wanted);
  const matches = exactArchived ? [exactArchived] : wanted.length < 6 ? [] : all.filter((e) => e.c.type === 'record' && e.c.id!.startsWith(wanted));
  if (matches.length > 1) throw new UsageError(`${wanted} matches ${matches.length} jobs`, { hint: 'give more characters of the id' });
  const only = matches[0]?.c;
  const job = only?.type === 'record' ? await snapshot.get('job', only.id!, only.month ? { archiveMonth: only.month } : {}) : undefined;
  if (!job)
    throw new NotFoundError(`no job ${wanted}`, { hint: wanted.length < 6 ? 'give the id, or at least 6 of its first characters' : 'see gitfleet job list' });
  return job;
}
