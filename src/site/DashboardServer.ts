import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { readMetricsView } from '../metrics/MetricsView.js';
import { METRICS_CONTENT_TYPE } from '../metrics/metricText.js';
import { renderMetrics } from '../metrics/renderMetrics.js';
import type { Snapshot } from '../store/Snapshot.js';
import type { Store } from '../store/Store.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { buildSiteSnapshot } from './buildSiteSnapshot.js';
import type { DashboardConfig } from './dashboardConfig.js';
import { EventStreams, formatEvent } from './EventStreams.js';
import { acceptsGzip } from './acceptsGzip.js';
import { serveAsset } from './serveAsset.js';
import { hostHeaderAllowed } from '../util/hostHeaderAllowed.js';

export interface DashboardServerOptions {
  store: Store;
  /** The built dashboard (dashboardAssetsDir()). */
  assetsDir: string;
  /** Default 127.0.0.1: the fleet's records are for its operators, not the network. */
  host?: string;
  /** 0 picks a free port (default DEFAULT_DASHBOARD_PORT). */
  port?: number;
  /** How often to fetch the fleet repository for a new head (default 5 s). */
  pollMs?: number;
  title?: string;
  /** Open event streams at most (default 100); more get 503. */
  maxStreams?: number;
  /** Open event streams per client address at most (default 25: every tab on one machine shares its address); more get 503. */
  maxStreamsPerAddress?: number;
  /** Open connections at most (default 256); more are refused by the socket layer. */
  maxConnections?: number;
  /** Serve the dashboard's source maps (default false). */
  sourceMaps?: boolean;
  logger?: Logger;
  now?: () => Date;
  /** The fleet repository's URL, as `gitfleet status` passes it to the fleet settings (for /metrics). */
  remoteUrl?: string;
}

export const DEFAULT_DASHBOARD_PORT = 8480;
const gzipAsync = promisify(gzip);
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

interface BuiltSnapshot {
  json: Buffer;
  gzip: Promise<Buffer> | undefined;
}

/**
 * `gitfleet serve`: the static dashboard plus its live data. One poll loop fetches the
 * fleet repository every pollMs, however many browsers are open; /snapshot.json is
 * built once per commit it finds and /events tells each page when the head moved. When
 * the remote cannot be reached the last snapshot keeps being served.
 */
export class DashboardServer {
  readonly #opts: DashboardServerOptions;
  readonly #logger: Logger;
  readonly #streams: EventStreams;
  #server: http.Server | undefined;
  #root = '';
  #latest: Snapshot | undefined;
  #built: Promise<BuiltSnapshot> | undefined;
  #failing = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: DashboardServerOptions) {
    this.#opts = options;
    this.#logger = options.logger ?? silentLogger;
    this.#streams = new EventStreams({ max: options.maxStreams ?? 100, maxPerAddress: options.maxStreamsPerAddress ?? 25, keepaliveMs: 25_000 });
  }

  /** Listens (rejecting with the listen error, e.g. EADDRINUSE), reads the head once, and starts polling. */
  async start(): Promise<{ url: string }> {
    this.#root = await fs.realpath(this.#opts.assetsDir);
    const server = http.createServer((req, res) => void this.#handle(req, res));
    // Each open page holds a connection for its event stream: bound them, and the time a
    // client may take to send its headers (a slow client must not hold a slot for long).
    server.maxConnections = this.#opts.maxConnections ?? 256;
    server.headersTimeout = 20_000;
    const host = this.#opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#opts.port ?? DEFAULT_DASHBOARD_PORT, host, () => resolve());
    });
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    await this.#refresh();
    this.#schedule();
    return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/` };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#streams.closeAll();
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#refresh().finally(() => this.#schedule()), this.#opts.pollMs ?? 5_000);
  }

  /** Fetches the head; never throws: a failure is logged when the state changes, and the last snapshot stays. */
  async #refresh(): Promise<void> {
    let snapshot: Snapshot;
    try {
      snapshot = await this.#opts.store.snapshot();
    } catch (error) {
      if (!this.#failing && !this.#stopped)
        this.#logger.warn('dashboard.fetch-failed', { reason: (error as Error)?.message ?? String(error), serving: this.#latest?.commit ?? null });
      this.#failing = true;
      return;
    }
    if (this.#failing) this.#logger.info('dashboard.fetch-recovered', { commit: snapshot.commit });
    this.#failing = false;
    if (this.#stopped || snapshot.commit === this.#latest?.commit) return;
    this.#latest = snapshot;
    this.#built = undefined;
    this.#streams.send('commit', { commit: snapshot.commit });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        this.#reply(req, res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
        return;
      }
      if (!hostHeaderAllowed(this.#opts.host ?? '127.0.0.1', req.headers.host)) {
        // DNS rebinding: a web page the operator visits could otherwise point its own name
        // at 127.0.0.1 and read the fleet's records same-origin.
        this.#reply(req, res, 421, 'text/plain; charset=utf-8', 'unexpected Host header\n');
        return;
      }
      const route = (req.url ?? '/').split('?', 1)[0];
      if (route === '/snapshot.json') await this.#serveSnapshot(req, res);
      else if (route === '/dashboard.json')
        this.#reply(req, res, 200, 'application/json; charset=utf-8', JSON.stringify(this.#config()), { 'Cache-Control': 'no-store' });
      else if (route === '/events') this.#serveEvents(req, res);
      else if (route === '/metrics') await this.#serveMetrics(req, res);
      else if (!(await serveAsset(req, res, this.#root, SECURITY_HEADERS, { sourceMaps: this.#opts.sourceMaps ?? false })))
        this.#reply(req, res, 404, 'text/plain; charset=utf-8', 'not found\n');
    } catch (error) {
      this.#logger.error('dashboard.request-failed', { path: (req.url ?? '').slice(0, 200), reason: (error as Error)?.message ?? String(error) });
      if (!res.headersSent) this.#reply(req, res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    }
  }

  #config(): DashboardConfig {
    return {
      format: 'gitfleet-dashboard',
      version: 1,
      ...(this.#opts.title ? { title: this.#opts.title } : {}),
      snapshot: 'snapshot.json',
      live: { type: 'serve', snapshot: 'snapshot.json', events: 'events' },
    };
  }

  async #serveSnapshot(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const built = await this.#currentSnapshot();
    if (!built) {
      const retry = String(Math.ceil((this.#opts.pollMs ?? 5_000) / 1000));
      this.#reply(req, res, 503, 'application/json; charset=utf-8', '{"error":"the fleet repository has not been read yet"}', {
        'Retry-After': retry,
        'Cache-Control': 'no-store',
      });
      return;
    }
    const headers = { 'Cache-Control': 'no-store', Vary: 'Accept-Encoding' };
    if (!acceptsGzip(req.headers['accept-encoding'])) {
      this.#reply(req, res, 200, 'application/json; charset=utf-8', built.json, headers);
      return;
    }
    built.gzip ??= gzipAsync(built.json);
    this.#reply(req, res, 200, 'application/json; charset=utf-8', await built.gzip, { ...headers, 'Content-Encoding': 'gzip' });
  }

  /** The snapshot of the latest head, built at most once per commit however many pages ask at once. */
  #currentSnapshot(): Promise<BuiltSnapshot> | undefined {
    const latest = this.#latest;
    if (!latest?.commit) return undefined;
    if (!this.#built) {
      const now = this.#opts.now?.() ?? new Date();
      const build = buildSiteSnapshot(latest, now).then((site) => ({ json: Buffer.from(JSON.stringify(site)), gzip: undefined }));
      // A failed build (a blob unreadable for a moment) is tried again by the next request.
      build.catch(() => {
        if (this.#built === build) this.#built = undefined;
      });
      this.#built = build;
    }
    return this.#built;
  }

  /**
   * The Prometheus exposition of the latest head, judged at the time of the scrape: a server
   * that stopped reporting makes no commit, so its age and health must move with the clock.
   * The records come from the store's cache; only the judging is redone per scrape.
   */
  async #serveMetrics(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const latest = this.#latest;
    if (!latest?.commit) {
      const retry = String(Math.ceil((this.#opts.pollMs ?? 5_000) / 1000));
      this.#reply(req, res, 503, 'text/plain; charset=utf-8', 'the fleet repository has not been read yet\n', {
        'Retry-After': retry,
        'Cache-Control': 'no-store',
      });
      return;
    }
    const now = (this.#opts.now?.() ?? new Date()).getTime();
    const text = renderMetrics(await readMetricsView(latest, this.#opts.remoteUrl ?? '', now));
    this.#reply(req, res, 200, METRICS_CONTENT_TYPE, text, { 'Cache-Control': 'no-store' });
  }

  #serveEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method === 'HEAD') {
      this.#reply(req, res, 200, 'text/event-stream; charset=utf-8', '', { 'Cache-Control': 'no-store' });
      return;
    }
    const commit = this.#latest?.commit;
    this.#streams.open(res, SECURITY_HEADERS, commit ? formatEvent('commit', { commit }) : undefined, req.socket.remoteAddress ?? '');
  }

  #reply(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    contentType: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): void {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Type': contentType, 'Content-Length': bytes.byteLength });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }
}
