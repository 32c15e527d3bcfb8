import {
  AuthError,
  BranchNotFoundError,
  GitCommandError,
  type GitfleetError,
  RemoteUnreachableError,
} from '../errors/index.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** Maps an isomorphic-git (or fetch) failure to a typed gitfleet error. */
export function jsFailureError(error: unknown, operation: string, remoteLabel: string, branch: string): GitfleetError {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E_')) {
    return error as GitfleetError;
  }
  const e = error as { code?: string; name?: string; message?: string; data?: { statusCode?: number }; cause?: { code?: string } };
  const status = e.data?.statusCode;
  if (e.code === 'HttpError' && (status === 401 || status === 403)) {
    return new AuthError(`${remoteLabel} refused the credentials for ${operation} (HTTP ${status})`, {
      hint: 'check GITFLEET_TOKEN and that it may read and push to this repository',
    });
  }
  if (e.code === 'HttpError') {
    return new RemoteUnreachableError(`cannot reach ${remoteLabel} (HTTP ${status ?? '?'})`, {
      hint: status === 404 ? 'check the repository URL' : 'check that the git server is running',
    });
  }
  if (e.code === 'NotFoundError' && operation === 'fetch') {
    return new BranchNotFoundError(`${remoteLabel} has no branch ${JSON.stringify(branch)}`, {
      hint: 'run `gitfleet init` to create the fleet repository, or pass --branch',
    });
  }
  const cause = e.cause?.code ?? e.code;
  if (
    (cause && NETWORK_CODES.has(cause)) ||
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    /fetch failed|socket|network|timed? ?out/i.test(e.message ?? '')
  ) {
    return new RemoteUnreachableError(`cannot reach ${remoteLabel} (${cause ?? e.name ?? 'network error'})`, {
      hint: 'check the URL, the network and that the git server is running',
    });
  }
  if (e.code === 'SmartHttpError' || e.code === 'ParseError' || e.code === 'RemoteCapabilityError') {
    return new RemoteUnreachableError(`${remoteLabel} did not answer like a git server (${e.message ?? e.code})`, {
      hint: 'check the repository URL',
    });
  }
  return new GitCommandError(`isomorphic-git ${operation} failed: ${e.message ?? String(error)}`);
}
