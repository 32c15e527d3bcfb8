import { AuthError, BranchNotFoundError, CacheCorruptError, GitCommandError, type GitfleetError, RemoteUnreachableError } from '../errors/index.js';
import { redact } from '../util/redact.js';

const AUTH = [
  /authentication failed/i,
  /HTTP Basic: Access denied/i,
  /could not read (username|password)/i,
  /terminal prompts disabled/i,
  /returned error: 40[13]\b/i,
  /permission denied \(publickey/i,
  /invalid (username or password|credentials)/i,
  /403 forbidden/i,
  /unable to get password/i,
  // GitHub refuses a push that adds or changes a workflow without the token's workflow scope;
  // it is a "[remote rejected]", but replaying it could never succeed.
  /refusing to allow an? .+ to create or update workflow/i,
];
const BRANCH_MISSING = [/couldn't find remote ref/i, /no such ref was fetched/i];
const REJECTED = [
  /\[rejected\]/,
  /\[remote rejected\]/,
  /non-fast-forward/i,
  /\(fetch first\)/i,
  /failed to update ref/i,
  /cannot lock ref/i,
  /stale info/i,
  /incorrect old value provided/i,
];
const CORRUPT = [
  /bad object/i,
  /object file .* is empty/i,
  /loose object .* is corrupt/i,
  /packfile .* (cannot be accessed|does not match|is corrupt)/i,
  /inflate: data stream error/i,
  /not a git repository/i,
  /invalid sha1 pointer/i,
  /unable to read [0-9a-f]{40}/i,
  /could not parse object/i,
  /bad tree object/i,
  /missing (blob|tree|commit) object/i,
  /did not send all necessary objects/i,
  /fatal: bad config/i,
  /fatal: unable to read tree/i,
  /is corrupt/i,
  /index file .* is too small/i,
];
const UNREACHABLE = [
  /could not resolve host/i,
  /failed to connect/i,
  /connection (refused|reset|timed out)/i,
  /operation timed out/i,
  /network is unreachable/i,
  /unable to access/i,
  /could not read from remote repository/i,
  /does not appear to be a git repository/i,
  /repository .* not found/i,
  /returned error: (404|5\d\d)\b/i,
  /the remote end hung up/i,
  /early EOF/i,
  /empty reply from server/i,
  /recv failure/i,
  /SSL|TLS|certificate/,
  /no such file or directory/i,
  /timed out/i,
];

export type GitFailureKind = 'auth' | 'branch-missing' | 'rejected' | 'corrupt' | 'unreachable' | 'other';

/** Which kind of failure git's own words describe. Order matters: the most specific first. */
export function gitFailureKind(text: string, operation: string): GitFailureKind {
  if (AUTH.some((re) => re.test(text))) return 'auth';
  if (BRANCH_MISSING.some((re) => re.test(text))) return 'branch-missing';
  if (operation === 'push' && REJECTED.some((re) => re.test(text))) return 'rejected';
  if (UNREACHABLE.some((re) => re.test(text)) && /remote|http|ssh|connect|host|access|repository|EOF|reply|recv|SSL|TLS|timed out/i.test(text)) {
    return 'unreachable';
  }
  if (CORRUPT.some((re) => re.test(text))) return 'corrupt';
  if (UNREACHABLE.some((re) => re.test(text))) return 'unreachable';
  return 'other';
}

/** Turns git's stderr into a typed gitfleet error with a one-line message and a hint. */
export function gitFailureError(text: string, operation: string, remoteLabel: string, branch: string): GitfleetError {
  const kind = gitFailureKind(text, operation);
  const detail = firstMeaningfulLine(text);
  switch (kind) {
    case 'auth':
      return new AuthError(`${remoteLabel} refused the credentials for ${operation} (${detail})`, {
        hint: 'check GITFLEET_TOKEN (or your git credential helper) and that it may read and push to this repository',
      });
    case 'branch-missing':
      return new BranchNotFoundError(`${remoteLabel} has no branch ${JSON.stringify(branch)}`, {
        hint: 'run `gitfleet init` to create the fleet repository, or pass --branch',
      });
    case 'corrupt':
      return new CacheCorruptError(`the local git cache is damaged (${detail})`, {
        hint: 'delete the cache directory (see --cache-dir) and run again',
      });
    case 'unreachable':
      return new RemoteUnreachableError(`cannot reach ${remoteLabel} (${detail})`, {
        hint: 'check the URL, the network and that the git server is running',
      });
    default:
      return new GitCommandError(`git ${operation} failed: ${detail}`, { hint: 'see the message from git above' });
  }
}

/**
 * Lines git prints with --verbose or as progress: they name the URL or count objects and
 * never say what went wrong ("Pushing to <url>" was once reported as a push's failure).
 */
const CHATTER = [
  /^hint:/i,
  /^To /,
  /^From /,
  /^Pushing to /,
  /^Fetching /,
  /^POST /,
  /^Done$/,
  /^(remote: )?(Enumerating|Counting|Compressing|Writing|Receiving|Resolving|Unpacking) objects/,
  /^(remote: )?Total \d+/,
  /^=+$/,
  /^\s*[=*+-]? ?\[up to date\]/,
  /^\* branch /,
];

function firstMeaningfulLine(text: string): string {
  const lines = redact(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !CHATTER.some((re) => re.test(l)));
  // The server's own error says why; git's "failed to push some refs" only says that.
  const fatal = lines.find((l) => /^remote: (fatal|error):/i.test(l)) ?? lines.find((l) => /^(fatal|error):/i.test(l) || /\[(remote )?rejected\]/.test(l));
  // Without a fatal line, the last thing git said is the nearest to the cause.
  const line = (fatal ?? lines.at(-1) ?? 'no output').replace(/^(remote: )?(fatal|error):\s*/i, '$1');
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
