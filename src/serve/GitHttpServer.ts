import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

export interface GitHttpServerOptions {
  /** Folder holding the bare repositories to serve (GIT_PROJECT_ROOT). */
  projectRoot: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Require HTTP basic auth for every request (reads too), as hosted git servers do for private repositories. */
  auth?: { username: string; password: string };
}

/**
 * Smart HTTP git on loopback: git's own `git http-backend` (CGI) behind a small Node
 * server. Tests and the embedded `npm start` fleet use it as "the remote", so pushes
 * race and get rejected exactly as they would on a real git server.
 */
export class GitHttpServer {
  #server: http.Server | undefined;
  #port: number;
  readonly #host: string;
  readonly #children = new Set<ReturnType<typeof spawn>>();

  constructor(private readonly options: GitHttpServerOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
  }

  get port(): number {
    return this.#port;
  }

  /** Base URL; a repository "fleet.git" in the project root is at `${url}/fleet.git`. */
  get url(): string {
    return `http://${this.#host}:${this.#port}`;
  }

  async start(): Promise<this> {
    if (this.#server) return this;
    const server = http.createServer((req, res) => this.#handle(req, res));
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => resolve());
    });
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

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const user = this.#authenticate(req);
    if (user === null) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="gitfleet"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: this.options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: this.options.projectRoot,
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#children.add(child);
    child.on('close', () => this.#children.delete(child));
    child.on('error', () => {
      if (!res.headersSent) res.writeHead(500).end('git http-backend failed to start\n');
    });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    child.stderr.resume();
    // The client went away before the answer was complete: stop the backend. (Not
    // req's 'close': that fires as soon as the request body has been read.)
    res.on('close', () => {
      if (!res.writableFinished) child.kill('SIGKILL');
    });
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    child.stdout.on('end', () => {
      if (!headersDone && !res.headersSent) res.writeHead(502);
      res.end();
    });
  }

  /** The authenticated user name, "anonymous" when no auth is required, or null when refused. */
  #authenticate(req: http.IncomingMessage): string | null {
    const required = this.options.auth;
    if (!required) return 'anonymous';
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!m) return null;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    return user === required.username && safeEqual(password, required.password) ? user : null;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
