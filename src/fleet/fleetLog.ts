import type { Store } from '../store/Store.js';
import { NotFoundError } from '../errors/index.js';

export interface LogOptions {
  /**
   * Only changes made by this actor: a server id or op:<name> (the Gitfleet-Actor
   * trailer of gitfleet's commits), or a commit author's name (commits made by other
   * tools, such as a Build repository's history, have no trailer).
   */
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

/** What tells who made a commit: its author's name and its message (the trailer). */
type CommitWho = { authorName: string; message: string };

/** Who made a commit: its Gitfleet-Actor trailer, else its author's name. */
export function commitActor(c: CommitWho): string {
  return /^Gitfleet-Actor: (.+)$/m.exec(c.message)?.[1]?.trim() ?? c.authorName;
}

/** Writers whose offers a fold applied (its `Gitfleet-Folded: <offer> <writer>` lines; see src/store/combine/). */
export function foldedActors(message: string): string[] {
  return [...message.matchAll(/^Gitfleet-Folded: [0-9a-f]{40} (\S+)$/gm)].map((m) => m[1]!);
}

/** Whether a commit is `actor`'s: by its trailer, its author's name, or a write of theirs it folded. */
export function madeBy(c: CommitWho, actor: string): boolean {
  return commitActor(c) === actor || c.authorName === actor || foldedActors(c.message).includes(actor);
}

/** Who changed what, newest first, from the branch history. */
export async function fleetLog(store: Store, options: LogOptions = {}): Promise<LogEntry[]> {
  const snapshot = await store.snapshot();
  if (!snapshot.commit) throw new NotFoundError('the fleet branch has no commits');
  const limit = options.limit ?? 50;
  const { actor } = options;
  // The actor filter goes to the backend (git's --author is a regular expression over
  // "name <email>" and knows no trailers), which applies it before computing the files
  // of each commit, so --limit bounds the work on a long history.
  const commits = await store.log({
    from: snapshot.commit,
    limit,
    ...(actor ? { match: (c: CommitWho) => madeBy(c, actor) } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
    ...(options.paths?.length ? { paths: options.paths } : {}),
  });
  return commits.slice(0, limit).map((c) => ({
    commit: c.oid,
    time: new Date(c.time).toISOString(),
    actor: commitActor(c),
    summary: c.message.split('\n')[0] ?? '',
    files: c.files,
  }));
}
