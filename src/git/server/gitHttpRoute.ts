/** One of the smart-HTTP requests a git client makes, and nothing else. */
export interface GitHttpRoute {
  /** The repository folder name directly under the project root (e.g. fleet.git). */
  repository: string;
  service: 'git-upload-pack' | 'git-receive-pack';
  /** info/refs advertisement (GET) or the service itself (POST). */
  endpoint: 'info/refs' | 'service';
  pathInfo: string;
  queryString: string;
}

export type GitHttpRefusal = { status: 400 | 404 | 405; reason: string; allow?: string };

// One path segment, spelled as git clients spell it: no escapes, no dot segments.
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_TARGET = 512;

/**
 * Which smart-HTTP endpoint a request is, or why it is refused. Works on the raw
 * request target and refuses rather than decodes: git clients never percent-encode a
 * repository name, so `%`, `..`, extra segments, odd queries and every other method
 * mean "not a git request" before anything is decoded or reaches git http-backend.
 */
export function gitHttpRoute(method: string | undefined, target: string | undefined): GitHttpRoute | GitHttpRefusal {
  const raw = target ?? '';
  if (raw.length > MAX_TARGET || !raw.startsWith('/')) return { status: 400, reason: 'bad request target' };
  const q = raw.indexOf('?');
  const pathPart = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q + 1);
  const m = /^\/([^/]+)\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(pathPart);
  if (!m || !REPOSITORY.test(m[1]!) || m[1]!.endsWith('.lock')) return { status: 404, reason: 'not a git repository endpoint' };
  const repository = m[1]!;
  if (m[2] === 'info/refs') {
    if (method !== 'GET') return { status: 405, reason: 'method not allowed', allow: 'GET' };
    const service = /^service=(git-upload-pack|git-receive-pack)$/.exec(query)?.[1] as GitHttpRoute['service'] | undefined;
    if (!service) return { status: 404, reason: 'only the smart HTTP protocol is served' };
    return { repository, service, endpoint: 'info/refs', pathInfo: `/${repository}/info/refs`, queryString: `service=${service}` };
  }
  if (method !== 'POST') return { status: 405, reason: 'method not allowed', allow: 'POST' };
  if (query !== '') return { status: 404, reason: 'unexpected query' };
  const service = m[2] as GitHttpRoute['service'];
  return { repository, service, endpoint: 'service', pathInfo: `/${repository}/${service}`, queryString: '' };
}

export function isRefusal(route: GitHttpRoute | GitHttpRefusal): route is GitHttpRefusal {
  return 'status' in route;
}
