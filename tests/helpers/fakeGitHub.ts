import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gitRunner } from './fakeGitHubGit.js';

/**
 * A local stand-in for the few GitHub endpoints the dashboard's live refresh uses, answered
 * from a real bare repository by the real git binary, so dashboard tests run without
 * github.com yet meet GitHub's habits: ETags and free 304s, an hourly budget of 60 that runs
 * out with a 403, browser caching (max-age 60 on the API, 300 on raw), CORS, renames and the
 * 300-file cap in compare, and a 404 when a rewritten history shares no ancestor with the
 * commit a page remembers.
 *
 * Deliberate differences from GitHub (everything else follows its REST documentation):
 * - One server: the API lives under `/api` and raw.githubusercontent.com under `/raw`.
 * - Objects carry only the fields the dashboard reads (no urls to html pages, no authors,
 *   no additions/deletions/patch in compare files); nothing that is present is made up.
 * - `raw_url` points straight at the raw stand-in (GitHub's goes through a github.com redirect).
 * - Any `Authorization: Bearer|token <x>` counts as a valid token (one shared 5000 budget).
 * - A 304 is free for anonymous callers too; GitHub's current docs promise that only to
 *   requests with an Authorization header, so a page must not count on free anonymous 304s.
 * - When the budget is spent every call gets the 403, conditional or not (the stricter reading).
 * - Raw paths take the ref as one segment, or `refs/heads/<name>` / `refs/tags/<name>`.
 */

export interface FakeGitHubOptions {
  /** The bare repository every answer is read from. */
  bareDir: string;
  owner?: string;
  repo?: string;
  /** The anonymous hourly budget; GitHub gives anonymous visitors 60. */
  rateLimit?: number;
}

export interface FakeGitHub {
  /** e.g. `http://127.0.0.1:PORT/api`, standing for `https://api.github.com`. */
  apiBase: string;
  /** e.g. `http://127.0.0.1:PORT/raw`, standing for `https://raw.githubusercontent.com`. */
  rawBase: string;
  /** Paths (with query) below apiBase / rawBase of every GET, in order; preflights are left out. */
  calls: { api: string[]; raw: string[] };
  /** Sets what is left of the anonymous budget (or, with 'token', of the authenticated one). */
  setRemaining(n: number, who?: 'anonymous' | 'token'): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: string | Buffer;
  type: string;
  etag?: string;
}

interface Bucket {
  limit: number;
  remaining: number;
  resetAt: number;
}

const TOKEN_LIMIT = 5000;
const MAX_COMPARE_COMMITS = 250;
const MAX_COMPARE_FILES = 300;
const MAX_TREE_ENTRIES = 100_000;
const REF = /^[A-Za-z0-9._/-]+$/;
const EXPOSED =
  'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-Request-Id';
const DOCS = 'https://docs.github.com/rest';
const RATE_DOCS = 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting';
const API_ROUTE = /^\/repos\/([^/]+)\/([^/]+)\/(commits|git\/trees|compare)\/(.+)$/;

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owner = options.owner ?? 'fleet-owner';
  const repo = options.repo ?? 'fleet';
  const hour = () => Math.floor(Date.now() / 1000) + 3600;
  const buckets = {
    anonymous: { limit: options.rateLimit ?? 60, remaining: options.rateLimit ?? 60, resetAt: hour() } as Bucket,
    token: { limit: TOKEN_LIMIT, remaining: TOKEN_LIMIT, resetAt: hour() } as Bucket,
  };
  const calls = { api: [] as string[], raw: [] as string[] };
  const git = gitRunner(options.bareDir);
  // GitHub matches owner and repository names without regard to case.
  const isOurs = (o: string, r: string) => o.toLowerCase() === owner.toLowerCase() && r.toLowerCase() === repo.toLowerCase();
  let base = '';

  /** Answers one API GET as GitHub would, before conditional and budget handling. */
  async function api(route: string, search: URLSearchParams, accept: string): Promise<Reply> {
    const m = API_ROUTE.exec(route);
    if (!m) return notFound();
    const parts = m.slice(1).map(decode);
    if (parts.some((part) => part === null)) return badRequest('Malformed path');
    const [o, r, kind, rest] = parts as [string, string, string, string];
    if (!isOurs(o, r)) return notFound();
    if (kind === 'compare') {
      const at = rest.indexOf('...');
      if (at < 0) return notFound();
      const [from, to] = [rest.slice(0, at), rest.slice(at + 3)];
      if (!validRef(from) || !validRef(to)) return badRequest(`Invalid ref in ${rest}`);
      return compare(from, to);
    }
    if (!validRef(rest)) return badRequest(`Invalid ref: ${rest}`);
    if (kind === 'commits') {
      const sha = await git.resolve(rest, 'commit');
      // GitHub answers an unknown ref here with 422, not 404.
      if (!sha) return json(422, { message: `No commit found for SHA: ${rest}`, documentation_url: `${DOCS}/commits/commits#get-a-commit`, status: '422' });
      // The sha media type's ETag is the sha itself, so a client can send the sha it holds.
      if (/application\/vnd\.github(\.v3)?\.sha/.test(accept))
        return { status: 200, body: sha, type: 'application/vnd.github.sha; charset=utf-8', etag: `"${sha}"` };
      const info = await git.commits(['-1', sha]);
      return json(200, info[0]);
    }
    const tree = await git.resolve(rest, 'tree');
    if (!tree) return notFound();
    const entries = await git.tree(tree, search.has('recursive'));
    const truncated = entries.length > MAX_TREE_ENTRIES;
    const gitUrl = `${base}/api/repos/${owner}/${repo}/git`;
    return json(200, {
      sha: tree,
      url: `${gitUrl}/trees/${tree}`,
      tree: entries.slice(0, MAX_TREE_ENTRIES).map((e) => ({ ...e, url: `${gitUrl}/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}` })),
      truncated,
    });
  }

  async function compare(from: string, to: string): Promise<Reply> {
    const [baseSha, headSha] = await Promise.all([git.resolve(from, 'commit'), git.resolve(to, 'commit')]);
    if (!baseSha || !headSha) return notFound();
    const mergeBase = await git.mergeBase(baseSha, headSha);
    // After a history rewrite the page's remembered commit shares nothing with the new head.
    if (!mergeBase)
      return json(404, {
        message: `No common ancestor between ${from} and ${to}.`,
        documentation_url: `${DOCS}/commits/commits#compare-two-commits`,
        status: '404',
      });
    const [ahead, behindBy, files, [baseInfo], [mergeBaseInfo]] = await Promise.all([
      git.commits(['--reverse', `${baseSha}..${headSha}`]),
      git.count(`${headSha}..${baseSha}`),
      git.diff(mergeBase, headSha),
      git.commits(['-1', baseSha]),
      git.commits(['-1', mergeBase]),
    ]);
    const aheadBy = ahead.length;
    const status = aheadBy === 0 ? (behindBy === 0 ? 'identical' : 'behind') : behindBy === 0 ? 'ahead' : 'diverged';
    const rawPath = (p: string) => p.split('/').map(encodeURIComponent).join('/');
    return json(200, {
      status,
      ahead_by: aheadBy,
      behind_by: behindBy,
      total_commits: aheadBy,
      base_commit: baseInfo,
      merge_base_commit: mergeBaseInfo,
      // Without paging GitHub lists 250 commits, the last of them the newest of the comparison.
      commits: ahead.slice(-MAX_COMPARE_COMMITS),
      // GitHub stops at 300 files without saying so; a client must treat 300 as "maybe more".
      files: files.slice(0, MAX_COMPARE_FILES).map((f) => ({ ...f, raw_url: `${base}/raw/${owner}/${repo}/${headSha}/${rawPath(f.filename)}` })),
    });
  }

  async function raw(route: string): Promise<Reply> {
    const segments = route.split('/').slice(1).map(decode);
    if (segments.some((s) => s === null)) return rawText(400, '400: Invalid request');
    const [o, r, ...rest] = segments as string[];
    if (o === undefined || r === undefined || !isOurs(o, r)) return rawText(404, '404: Not Found');
    const refLength = rest[0] === 'refs' && (rest[1] === 'heads' || rest[1] === 'tags') ? 3 : 1;
    const ref = rest.slice(0, refLength).join('/');
    const file = rest.slice(refLength);
    if (!validRef(ref) || file.length === 0 || !file.every(validPathSegment)) return rawText(400, '400: Invalid request');
    const commit = await git.resolve(ref, 'commit');
    const bytes = commit ? await git.blob(commit, file.join('/')) : null;
    if (!bytes) return rawText(404, '404: Not Found');
    return { status: 200, body: bytes, type: 'text/plain; charset=utf-8', etag: `W/"${hash(bytes)}"` };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      // Split by hand: new URL() would quietly resolve the `..` a hostile path relies on.
      const target = req.url ?? '/';
      const queryAt = target.indexOf('?');
      const pathname = queryAt < 0 ? target : target.slice(0, queryAt);
      const search = queryAt < 0 ? '' : target.slice(queryAt);
      const isApi = pathname.startsWith('/api/');
      const isRaw = pathname.startsWith('/raw/');
      res.setHeader('access-control-allow-origin', '*');
      if (req.method === 'OPTIONS') return preflight(res);
      if (!isApi && !isRaw) return send(res, rawText(404, '404: Not Found'));
      const route = pathname.slice(4);
      (isApi ? calls.api : calls.raw).push(route + search);
      if (isRaw) {
        res.setHeader('cache-control', 'max-age=300');
        const reply = req.method === 'GET' ? await raw(route) : rawText(405, '405: Method Not Allowed');
        return send(res, reply, req.headers['if-none-match']);
      }
      const who = whoIs(req.headers.authorization);
      if (who === 'bad') return sendApi(res, json(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' }), null);
      const bucket = buckets[who];
      if (Date.now() / 1000 >= bucket.resetAt) Object.assign(bucket, { remaining: bucket.limit, resetAt: hour() });
      if (bucket.remaining <= 0) {
        const message =
          who === 'token'
            ? 'API rate limit exceeded for user ID 1.'
            : `API rate limit exceeded for ${req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1'}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
        return sendApi(res, json(403, { message, documentation_url: RATE_DOCS }), bucket);
      }
      const reply = req.method === 'GET' ? await api(route, new URLSearchParams(search), req.headers.accept ?? '') : notFound();
      // A 304 costs nothing; every other answer, errors included, spends one request.
      const notModified = reply.status === 200 && reply.etag !== undefined && etagMatches(req.headers['if-none-match'], reply.etag);
      if (!notModified) bucket.remaining -= 1;
      if (reply.status === 200) res.setHeader('cache-control', `${who === 'token' ? 'private' : 'public'}, max-age=60, s-maxage=60`);
      return sendApi(res, reply, bucket, req.headers['if-none-match']);
    })().catch((error: unknown) => {
      // A broken fake must fail the test loudly, not hang the page waiting for an answer.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: `fake GitHub failed: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });

  function sendApi(res: http.ServerResponse, reply: Reply, bucket: Bucket | null, ifNoneMatch?: string): void {
    res.setHeader('access-control-expose-headers', EXPOSED);
    res.setHeader('vary', 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding');
    res.setHeader('x-github-media-type', reply.type.startsWith('application/vnd.github.sha') ? 'github.v3; param=sha' : 'github.v3; format=json');
    if (bucket) {
      res.setHeader('x-ratelimit-limit', String(bucket.limit));
      res.setHeader('x-ratelimit-remaining', String(Math.max(0, bucket.remaining)));
      res.setHeader('x-ratelimit-reset', String(bucket.resetAt));
      res.setHeader('x-ratelimit-used', String(Math.max(0, bucket.limit - bucket.remaining)));
      res.setHeader('x-ratelimit-resource', 'core');
    }
    send(res, reply, ifNoneMatch);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiBase: `${base}/api`,
    rawBase: `${base}/raw`,
    calls,
    setRemaining(n, who = 'anonymous') {
      buckets[who].remaining = n;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // A browser keeps connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

function whoIs(authorization: string | undefined): 'anonymous' | 'token' | 'bad' {
  if (authorization === undefined) return 'anonymous';
  return /^(bearer|token)\s+\S+$/i.test(authorization.trim()) ? 'token' : 'bad';
}

function validRef(ref: string): boolean {
  return ref.length <= 255 && REF.test(ref) && !ref.includes('..') && !ref.startsWith('-') && !ref.startsWith('/');
}

function validPathSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[\u0000-\u001f\\]/.test(segment);
}

function decode(part: string | undefined): string | null {
  try {
    return decodeURIComponent(part ?? '');
  } catch {
    // A malformed escape is the client's fault: the caller answers 400.
    return null;
  }
}

/** If-None-Match uses the weak comparison: W/ prefixes are ignored, lists and * honoured. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

function hash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 40);
}

function json(status: number, value: unknown): Reply {
  const body = JSON.stringify(value);
  return { status, body, type: 'application/json; charset=utf-8', ...(status === 200 ? { etag: `W/"${hash(body)}"` } : {}) };
}

function notFound(): Reply {
  return json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
}

function badRequest(message: string): Reply {
  return json(400, { message, documentation_url: DOCS, status: '400' });
}

function rawText(status: number, body: string): Reply {
  return { status, body, type: 'text/plain; charset=utf-8' };
}

function preflight(res: http.ServerResponse): void {
  res.writeHead(204, {
    'access-control-allow-headers': 'Authorization, Accept, If-None-Match, If-Modified-Since, X-GitHub-Api-Version, Content-Type, X-Requested-With',
    'access-control-allow-methods': 'GET',
    'access-control-max-age': '86400',
  });
  res.end();
}

function send(res: http.ServerResponse, reply: Reply, ifNoneMatch?: string): void {
  if (reply.etag) res.setHeader('etag', reply.etag);
  if (reply.status === 200 && reply.etag && etagMatches(ifNoneMatch, reply.etag)) {
    res.writeHead(304);
    res.end();
    return;
  }
  res.setHeader('x-content-type-options', 'nosniff');
  res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}
