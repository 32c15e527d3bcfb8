import { AuthError, BranchNotFoundError, GitCommandError, type GitfleetError, RemoteUnreachableError } from '../errors/index.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stalled',
  UND_ERR_SOCKET: 'connection closed',
};

/**
 * The network error code anywhere in an error's chain: Node's fetch throws a bare
 * TypeError("fetch failed") whose cause (or an AggregateError's errors, when a host
 * has several addresses) carries the code, and isomorphic-git may wrap it again.
 */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const code = networkCode(inner, depth + 1);
    if (code) return code;
  }
  return undefined;
}

/** Maps an isomorphic-git (or fetch) failure to a typed gitfleet error. */
export function jsFailureError(error: unknown, operation: string, remoteLabel: string, branch: string): GitfleetError {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E_')) {
    return error as GitfleetError;
  }
  const e = error as { code?: string; name?: string; message?: string; data?: { statusCode?: number } };
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
  const cause = networkCode(error);
  if (cause || e.name === 'TimeoutError' || e.name === 'AbortError' || /fetch failed|socket|network|timed? ?out/i.test(e.message ?? '')) {
    const why = cause ? (REASONS[cause] ?? cause) : e.name === 'TimeoutError' || e.name === 'AbortError' ? 'no answer in time' : 'network error';
    return new RemoteUnreachableError(`cannot reach ${remoteLabel} (${why})`, {
      hint: 'check the URL, the network and that the git server is running',
    });
  }
  if (e.code === 'SmartHttpError' || e.code === 'ParseError' || e.code === 'RemoteCapabilityError') {
    return new RemoteUnreachableError(`${remoteLabel} did not answer like a git server (${e.message ?? e.code})`, {
      hint: 'check the repository URL',
    });
  }
  return new GitCommandError(`isomorphic-git ${operation} failed: ${e.message ?? String(error)}`, { cause: error });
}
