/**
 * `git log` output is parsed with NUL separators only: commit ids, one-letter statuses
 * and paths (which cannot hold NUL). The messages and authors are not taken from this
 * output at all but from the commit objects themselves (parseCommitObject): a message
 * may hold any byte, and with it a fake record separator, a fake "A\tpath" line or a fake
 * commit; read from the object, whose size git states, it is just text.
 */
export const LOG_ARGS = ['-z', '--format=%H', '--name-status', '--no-renames'] as const;

export interface LoggedCommit {
  oid: string;
  files: { status: 'A' | 'M' | 'D'; path: string }[];
}

const OID = /^[0-9a-f]{40}$/;
// With --no-renames: added, modified, deleted, type changed, unmerged, unknown.
const STATUS = /^\n?([AMDTUX])$/;

/** Parses `git log -z --format=%H --name-status`: "<oid>\0" then "[\n]<status>\0<path>\0" per file. */
export function parseGitLog(out: Buffer): LoggedCommit[] {
  const tokens = out.toString('utf8').split('\0');
  const commits: LoggedCommit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const status = STATUS.exec(token);
    if (status && commits.length > 0 && i + 1 < tokens.length) {
      const letter = status[1] === 'A' || status[1] === 'D' ? status[1] : 'M';
      commits[commits.length - 1]!.files.push({ status: letter, path: tokens[++i]! });
    } else if (OID.test(token.replace(/^\n/, ''))) {
      commits.push({ oid: token.replace(/^\n/, ''), files: [] });
    }
  }
  return commits;
}
