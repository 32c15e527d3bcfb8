import type { Store } from '../store/Store.js';
import { NotFoundError } from '../errors/index.js';

export interface LogOptions {
  /** Only changes made by this actor (a server id or op:<name>). */
  actor?: string;
  /** Only changes under these paths (a file, or a folder prefix such as status/). */
  paths?: string[];
  since?: Date;
  until?: Date;
  limit?: number;
}

export interface LogEntry {
  commit: string;
  time: string;
  actor: string;
  summary: string;
  files: { status: 'A' | 'M' | 'D'; path: string }[];
}

const SCAN_LIMIT = 20_000;

/** Who changed what, newest first, from the branch history. */
export async function fleetLog(store: Store, options: LogOptions = {}): Promise<LogEntry[]> {
  const snapshot = await store.snapshot();
  if (!snapshot.commit) throw new NotFoundError('the fleet branch has no commits');
  const limit = options.limit ?? 50;
  // Filtering by actor happens here (git's --author is a regular expression over
  // "name <email>"), so ask git for more and stop at the limit.
  const commits = await store.log({
    from: snapshot.commit,
    limit: options.actor ? SCAN_LIMIT : limit,
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
    ...(options.paths?.length ? { paths: options.paths } : {}),
  });
  const entries: LogEntry[] = [];
  for (const c of commits) {
    const actor = /^Gitfleet-Actor: (.+)$/m.exec(c.message)?.[1]?.trim() ?? c.authorName;
    if (options.actor && actor !== options.actor) continue;
    entries.push({
      commit: c.oid,
      time: new Date(c.time).toISOString(),
      actor,
      summary: c.message.split('\n')[0] ?? '',
      files: c.files,
    });
    if (entries.length >= limit) break;
  }
  return entries;
}
