/** One file in a commit's tree. `size` is null where the backend cannot tell without reading. */
export interface TreeEntry {
  path: string;
  oid: string;
  size: number | null;
  /** git's mode, six digits: 100644 (file), 100755 (executable), 120000 (symlink), 160000 (gitlink), ... */
  mode: string;
  /**
   * Set on entries gitfleet must not read as files (listed only when asked for): why
   * (a symlink, a gitlink, a name git refuses, an unusual mode, a folder that is no tree).
   */
  unexpected?: string;
}

/** A file that differs between two commits; `oid` is its blob in the newer one, null when deleted. */
export interface ChangedPath {
  path: string;
  oid: string | null;
}

/** A file to write (content) or delete (null) in a new commit. */
export interface FileChange {
  path: string;
  content: Uint8Array | null;
}

export interface CommitMeta {
  message: string;
  authorName: string;
  authorEmail: string;
  /** Milliseconds since the epoch. */
  time: number;
}

export interface CommitInfo {
  oid: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Milliseconds since the epoch. */
  time: number;
  message: string;
  files: { status: 'A' | 'M' | 'D'; path: string }[];
}

export interface LogQuery {
  /** Commit to start from (the fetched head). */
  from: string;
  since?: Date;
  until?: Date;
  /** Only commits touching these paths (prefixes). */
  paths?: string[];
  /**
   * Only commits whose author or message this accepts. Applied before a commit's changed
   * files are computed, so a filter by author costs one diff per commit shown, not per
   * commit scanned (the js backend diffs trees itself). The git CLI backend scans at most
   * LOG_MATCH_SCAN commits for matches.
   */
  match?: (commit: Pick<CommitInfo, 'authorName' | 'authorEmail' | 'message'>) => boolean;
  /** Stop after this many commits (after filtering by paths, dates and match). */
  limit: number;
}

/** How many commits the git CLI backend reads at most when a LogQuery has a `match`. */
export const LOG_MATCH_SCAN = 20_000;

export type PushOutcome = 'ok' | 'rejected';

/**
 * What history tools (compaction) need beyond transactions: plumbing in the cache
 * repository and a push that replaces the branch under a lease. An optional capability:
 * the git CLI backend has it; isomorphic-git has no fast-import nor a leased force push.
 */
export interface HistoryRewriter {
  /** Runs a plumbing command in the cache repository. */
  plumbing(args: string[], input?: string | Uint8Array): Promise<Buffer>;
  /** Fetches the whole history of the branch (a shallow cache becomes complete). */
  unshallow(): Promise<void>;
  /** Replaces the branch with `commit` only if it still points at `expected`; 'rejected' when not. */
  pushRewrite(commit: string, expected: string): Promise<PushOutcome>;
}

/** One transaction offered for folding: its ref under refs/gitfleet/queue/ and the commit there. */
export interface QueuedCommit {
  ref: string;
  oid: string;
}

/**
 * The folder of the remote where writers that lost a race on `branch` offer their commits
 * to each other: one per branch, so fleets sharing a repository never fold each other's.
 */
export function queuePrefix(branch: string): string {
  return `refs/gitfleet/queue/${branch}/`;
}

/**
 * The remote's commit queue (see src/store/combine/): writers that lost a race offer their
 * commit under a ref of their own, and whoever pushes next folds every offer it can check
 * into one commit, deleting the refs it folded in the same atomic push. An optional
 * capability: it needs an atomic multi-ref push with leases (the git CLI backend).
 */
export interface CommitQueue {
  /** Where this branch's offers live (queuePrefix). */
  readonly prefix: string;
  /** Fetches the branch and every offer; `head` null when the remote has no branch. */
  fetch(): Promise<{ head: string | null; queued: QueuedCommit[] }>;
  /** Lists the branch's head and the offers without fetching objects (cheap: no pack is made). */
  list(): Promise<{ head: string | null; queued: QueuedCommit[] }>;
  /** Creates, moves or deletes (commit null) one offer ref, only if it holds `expected` (null: absent). */
  offer(ref: string, commit: string | null, expected: string | null): Promise<PushOutcome>;
  /** Fast-forwards the branch to `commit` and deletes `drop` (each only if unchanged): all or nothing. */
  pushFold(commit: string, drop: readonly QueuedCommit[]): Promise<PushOutcome>;
  /**
   * What each `commit:path` holds, as "<mode> <oid>" (a file, a symlink, a folder, a gitlink
   * all differ), or null when there is no such path. The commits must be in the cache.
   */
  entriesAt(items: readonly { commit: string; path: string }[]): Promise<(string | null)[]>;
  /** Commits' parents and messages, in order; null for one the cache does not hold. */
  readCommits(oids: readonly string[]): Promise<({ parents: string[]; message: string } | null)[]>;
}

/**
 * The small interface the transaction engine needs from git. Two implementations:
 * CliBackend (the git binary, spawned directly; any remote git supports) and
 * JsBackend (isomorphic-git; HTTP(S) only, no git binary needed). Both keep a private
 * local cache of the remote branch and never touch a working tree.
 *
 * Errors are typed (AuthError, RemoteUnreachableError, BranchNotFoundError,
 * CacheCorruptError, GitCommandError); a push that loses the race is not an error
 * but the outcome 'rejected'.
 */
export interface GitBackend {
  readonly kind: 'cli' | 'js';
  /** The remote as it may be shown to people (no credentials). */
  readonly remoteLabel: string;
  /** Fetches the branch; returns its head, or null when the remote has no such branch. */
  fetch(): Promise<string | null>;
  /**
   * Reads follow soon, once the caller has the cache (Store.snapshot): a backend may get
   * ready for them meanwhile, as long as nothing it does depends on the cache staying as it
   * is until then. Never fails.
   */
  prepareToRead?(): void;
  /**
   * The branch head the cache holds while a fetch is under way (the one from before it, or
   * the one it has just set), read without the cache's lock, for reads worth starting while
   * that fetch runs; null where that is not safe. Never fails.
   */
  headBeforeFetch?(): Promise<string | null>;
  /** Lists the branch on the remote without fetching (a cheap reachability and latency probe). */
  lsRemote(): Promise<string | null>;
  /** The names of every branch on the remote (without refs/heads/), without fetching. */
  listBranches(): Promise<string[]>;
  /**
   * Every plain file under the given top-level paths (files or folders; `'*'`: the whole
   * tree) at `commit`, recursively, sorted by path. With `all`, also every entry that is not a plain file
   * (symlinks, gitlinks, names git refuses, ...), marked `unexpected`. Both backends
   * return the same listing for the same tree (one parser: walkTree.ts).
   */
  listTree(commit: string, roots: readonly string[] | '*', options?: { all?: boolean }): Promise<TreeEntry[]>;
  /**
   * Contents of the given objects. Throws CacheCorruptError for any the local cache
   * cannot return: a missing object is cache damage, never an invalid record.
   */
  readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>>;
  /** Builds a commit on `parent` (null: a root commit) from objects only; no working tree. */
  commit(parent: string | null, changes: readonly FileChange[], meta: CommitMeta): Promise<string>;
  /**
   * Proves the credentials may push, without changing any ref: opens the remote's
   * receive-pack service and reads its ref advertisement, sending no update command.
   * Over smart HTTP that is `GET info/refs?service=git-receive-pack`, which GitHub,
   * GitLab, Gitea/Forgejo, Bitbucket and `git http-backend` (http.receivepack needs an
   * authenticated REMOTE_USER; `gitfleet serve`) all refuse (401/403) to a user who may
   * not push; over ssh, GitHub/GitLab/Gitea refuse to start git-receive-pack for a
   * read-only key. It cannot see per-branch rules (a protected branch on a writable
   * repository), and on a local path it proves only that the folder is writable.
   * Throws AuthError (refused), RemoteUnreachableError or GitCommandError.
   */
  probePush(): Promise<void>;
  /** Pushes `commit` to the branch as a fast-forward only; never forces. */
  push(commit: string): Promise<PushOutcome>;
  /**
   * Plain files changed between two commits, with their blob at `to` (null: deleted, or
   * no longer a plain file). For incremental readers.
   */
  changedPaths(from: string, to: string): Promise<ChangedPath[]>;
  /**
   * Commits that landed between two heads (`to` ahead of `from`), counted from the cache
   * without touching the network; undefined past `limit` or when history is missing.
   */
  countLanded(from: string, to: string, limit: number): Promise<number | undefined>;
  /** History of the branch, newest first; deepens a shallow cache as needed. */
  log(query: LogQuery): Promise<CommitInfo[]>;
  /** The commit queue, where the backend can do it (absent: writers retry on their own). */
  readonly queue?: CommitQueue;
  /** History rewriting, where the backend can do it (absent: it cannot). */
  readonly rewriteHistory?: HistoryRewriter;
  /** Drops the local cache so the next fetch starts afresh (recovery from corruption). */
  reset(): Promise<void>;
  /** Releases resources (caches, child processes). */
  close(): Promise<void>;
}
