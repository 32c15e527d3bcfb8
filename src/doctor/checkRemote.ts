import type { GitBackend } from '../git/GitBackend.js';
import type { RemoteSpec } from '../git/RemoteSpec.js';
import { type CheckResult, fail, failFromError, ok } from './DoctorCheck.js';

/** The repository as configured: URL (credentials never shown), protocol, where the token comes from. */
export function checkRemoteConfig(remote: RemoteSpec, branch: string): CheckResult {
  const auth =
    remote.protocol === 'http'
      ? remote.auth
        ? `, token for user ${JSON.stringify(remote.auth.username)}`
        : ', no token (anonymous, or a git credential helper)'
      : '';
  return ok('remote.url', `${remote.url} branch ${branch} over ${remote.protocol}${auth}`);
}

/** Read permission and the branch: ls-remote (no objects fetched). */
export async function checkRead(backend: GitBackend, branch: string): Promise<{ result: CheckResult; head: string | null }> {
  try {
    const head = await backend.lsRemote();
    if (head === null) {
      return {
        result: fail(
          'remote.read',
          `${backend.remoteLabel} is readable but has no branch ${JSON.stringify(branch)}`,
          'run `gitfleet init` to create the fleet repository there, or pass --branch',
          6,
        ),
        head,
      };
    }
    return { result: ok('remote.read', `read access: ${branch} is at ${head.slice(0, 10)}`), head };
  } catch (error) {
    return { result: failFromError('remote.read', error, 'check the URL, the network and GITFLEET_TOKEN'), head: null };
  }
}

/** Push permission, proven without writing (GitBackend.probePush says what it proves where). */
export async function checkPush(backend: GitBackend, remote: RemoteSpec): Promise<CheckResult> {
  try {
    await backend.probePush();
    const how =
      remote.protocol === 'file'
        ? 'its refs and objects folders are writable by this user'
        : 'the server opened receive-pack for these credentials (no ref was changed; branch protection rules are not checked)';
    return ok('remote.push', `push access: ${how}`);
  } catch (error) {
    const result = failFromError('remote.push', error);
    if (result.exitCode === 4) {
      return {
        ...result,
        message: `push refused: ${result.message}`,
        fix: 'give the token write access to the repository (GitHub: Contents read and write; a deploy key with write access), or use one that has it',
      };
    }
    return result;
  }
}
