import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { gitHttpRoute, isRefusal, type GitHttpRoute } from './gitHttpRoute.js';
import { hostHeaderAllowed, isLoopbackAddress, isLoopbackHostHeader } from '../../util/hostHeaderAllowed.js';

export interface GitHttpServerOptions {
  /** Folder holding the bare repositories to serve (GIT_PROJECT_ROOT). */
  projectRoot: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Require HTTP basic auth for every request (reads too), as hosted git servers do for private repositories. */
  auth?: { username: string; password: string };
  /** Open connections at most (default 512); more are refused by the socket layer. */
  maxConnections?: number;
  /** git http-backend processes at once (default 16); more requests wait for a turn. */
  maxBackends?: number;
  /** Requests waiting for a backend at most (default 512); more get 503. */
  maxWaiting?: number;
  /** Largest request body (a push), in bytes (default 100 MiB); larger ones get 413. */
  maxRequestBytes?: number;
  /**
   * Refuse every push (403 on both receive-pack endpoints) while serving fetches, as a
   * hosted server does for a read-only token or deploy key (used by `doctor`'s tests).
   */
  readOnly?: boolean;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };

/**
 * Smart HTTP git on loopback: git's own `git http-backend` (CGI) behind a small Node
 * server. Tests and the embedded `npm start` fleet use it as "the remote", so pushes
 * race and get rejected exactly as they would on a real git server.
 *
 * Any web page the operator visits can send requests to a loopback port, so it serves
 * only the smart-HTTP endpoints of the repositories in its root, checks the Host
 * header (DNS rebinding), refuses browsers (Origin or Sec-Fetch-Site headers), takes anonymous pushes
 * only from this machine, caps connections, backends and body size, and no request,
 * however malformed, can throw out of its handler.
 */
export class GitHttpServer {
  #server: http.Server | undefined;
  #port: number;
  /** Backend slots held (by a running git http-backend, or a request about to start one). */
  #busy = 0;
  readonly #host: string;
  readonly #children = new Set<ReturnType<typeof spawn>>();
  /** Requests waiting for a backend, oldest first (many writers race in tests and in a busy local fleet). */
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly options: GitHttpServerOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
  }

  get port(): number {
    return this.#port;
  }

  /** Base URL; a repository "fleet.git" in the project root is at `${url}/fleet.git`. */
  get url(): string {
    return `http://${this.#host.includes(':') ? `[${this.#host}]` : this.#host}:${this.#port}`;
  }

  async start(): Promise<this> {
    if (this.#server) return this;
    const server = http.createServer((req, res) => {
      this.#handle(req, res).catch(() => fail(res, 500, 'internal error'));
    });
    server.keepAliveTimeout = 1000;
    server.headersTimeout = 20_000;
    server.maxConnections = this.options.maxConnections ?? 512;
    server.on('clientError', (_error, socket) => {
      if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => resolve());
    });
    server.on('error', () => undefined);
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stops listening (clients then get "connection refused"); start() again resumes on the same port. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const child of this.#children) child.kill('SIGKILL');
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    req.on('error', () => res.destroy());
    res.on('error', () => undefined);
    if (!hostHeaderAllowed(this.#host, req.headers.host)) return fail(res, 421, 'unexpected Host header', req);
    // git clients never send these; browsers do (a page posting to loopback). Not
    // Sec-Fetch-Mode: Node's own fetch, which the js backend uses, sends that one.
    if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) return fail(res, 403, 'browser requests are not served', req);
    const route = gitHttpRoute(req.method, req.url);
    if (isRefusal(route)) return fail(res, route.status, route.reason, req, route.allow ? { Allow: route.allow } : {});
    const user = this.#authenticate(req);
    if (user === null) return fail(res, 401, 'authentication required', req, { 'WWW-Authenticate': 'Basic realm="gitfleet"' });
    if (route.service === 'git-receive-pack' && this.options.readOnly) return fail(res, 403, 'this user may not push to this repository', req);
    if (
      route.service === 'git-receive-pack' &&
      !this.options.auth &&
      !(isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHostHeader(req.headers.host))
    ) {
      return fail(res, 403, 'anonymous pushes are taken only from this machine', req);
    }
    if (route.endpoint === 'service' && req.headers['content-type'] !== `application/x-${route.service}-request`)
      return fail(res, 415, 'unexpected content type', req);
    const limit = this.options.maxRequestBytes ?? 100 * 1024 * 1024;
    const declared = req.headers['content-length'];
    if (declared !== undefined && (!/^\d{1,15}$/.test(declared) || Number(declared) > limit)) return fail(res, 413, 'request body too large', req);
    if (!(await this.#isRepository(route.repository))) return fail(res, 404, 'no such repository', req);
    if (!(await this.#acquire(res))) return fail(res, 503, 'busy', req, { 'Retry-After': '1' });
    if (res.destroyed) return this.#release();
    try {
      this.#runBackend(req, res, route, user, limit);
    } catch (error) {
      // spawn() itself threw: the slot was never handed to a child.
      this.#release();
      throw error;
    }
  }

  /**
   * Waits for one of the maxBackends slots (false, without one, when too many already
   * wait or the client left while waiting). The holder releases it exactly once.
   */
  async #acquire(res: http.ServerResponse): Promise<boolean> {
    if (this.#busy < (this.options.maxBackends ?? 16)) {
      this.#busy++;
      return true;
    }
    if (this.#waiting.length >= (this.options.maxWaiting ?? 512)) return false;
    return new Promise<boolean>((resolve) => {
      const go = () => resolve(true);
      this.#waiting.push(go);
      res.once('close', () => {
        const at = this.#waiting.indexOf(go);
        if (at < 0) return;
        this.#waiting.splice(at, 1);
        resolve(false);
      });
    });
  }

  /** Hands the slot to the oldest waiting request, or frees it. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#busy--;
  }

  async #isRepository(name: string): Promise<boolean> {
    const dir = path.join(this.options.projectRoot, name);
    const [head, objects] = await Promise.all([fs.stat(path.join(dir, 'HEAD')).catch(() => null), fs.stat(path.join(dir, 'objects')).catch(() => null)]);
    return Boolean(head?.isFile() && objects?.isDirectory());
  }

  #runBackend(req: http.IncomingMessage, res: http.ServerResponse, route: GitHttpRoute, user: string, limit: number): void {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: this.options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
      PATH_INFO: route.pathInfo,
      QUERY_STRING: route.queryString,
      REQUEST_METHOD: req.method!,
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: this.options.projectRoot,
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    const encoding = req.headers['content-encoding'];
    if (encoding === 'gzip' || encoding === 'x-gzip') env.HTTP_CONTENT_ENCODING = encoding;
    const protocol = req.headers['git-protocol'];
    if (typeof protocol === 'string' && /^[\x20-\x7e]{1,256}$/.test(protocol)) env.GIT_PROTOCOL = protocol;
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#children.add(child);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#children.delete(child);
      this.#release();
    };
    child.on('close', release);
    child.on('error', release);
    child.on('error', () => fail(res, 500, 'git http-backend failed to start'));
    child.stdin.on('error', () => undefined);
    child.stdout.on('error', () => undefined);
    child.stderr.resume();
    // A chunked body has no declared length: count it as it streams.
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        child.kill('SIGKILL');
        req.unpipe(child.stdin);
        fail(res, 413, 'request body too large');
      }
    });
    req.pipe(child.stdin);
    // The client went away before the answer was complete: stop the backend. (Not
    // req's 'close': that fires as soon as the request body has been read.)
    res.on('close', () => {
      if (!res.writableFinished) child.kill('SIGKILL');
    });
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (res.destroyed || res.writableEnded) return;
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 64 * 1024) {
          child.kill('SIGKILL');
          fail(res, 502, 'bad answer from git http-backend');
        }
        return;
      }
      headersDone = true;
      const { status, headers } = parseCgiHead(head.subarray(0, end));
      if (res.headersSent) return;
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    child.stdout.on('end', () => {
      if (!headersDone) fail(res, 502, 'no answer from git http-backend');
      else if (!res.writableEnded) res.end();
    });
  }

  /** The authenticated user name, "anonymous" when no auth is required, or null when refused. */
  #authenticate(req: http.IncomingMessage): string | null {
    const required = this.options.auth;
    if (!required) return 'anonymous';
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header);
    if (!m) return null;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    return user === required.username && safeEqual(password, required.password) ? user : null;
  }
}

/** The status and headers of a CGI answer; header names and values that Node would refuse are dropped. */
function parseCgiHead(head: Buffer): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of head.toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const code = Number.parseInt(value, 10);
      status = code >= 100 && code <= 599 ? code : 502;
    } else if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && /^[\t\x20-\x7e]*$/.test(value)) headers[name] = value;
  }
  return { status, headers };
}

/** Answers with a short plain-text error, once; a response already under way is cut instead. */
function fail(res: http.ServerResponse, status: number, message: string, req?: http.IncomingMessage, headers: Record<string, string> = {}): void {
  req?.resume();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...TEXT, ...headers, Connection: 'close' });
  res.end(`${message}\n`);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
