import type { RecordValidator } from '../../../src/store/parseRecordText.js';
import { buildFleetData, judgeServers } from './buildFleetData.js';
import { type DataSource, SourceError } from './DataSource.js';
import type { FleetData, RawFleet } from './FleetData.js';
import { fleetCache } from './fleetCache.js';
import { fetchSnapshot } from './snapshotFile.js';

export type ConnectionState = 'loading' | 'live' | 'snapshot' | 'offline' | 'rate-limited' | 'error';

export interface Connection {
  state: ConnectionState;
  source: DataSource['kind'] | null;
  /** One line for the banner, when something is wrong. */
  message: string | null;
  lastSuccessAt: number | null;
  nextRefreshAt: number | null;
  refreshSeconds: number | null;
  apiCalls: number;
}

const MAX_BACKOFF_MS = 30 * 60_000;

/**
 * The page's model: paints from the newest data it has (the live cache, else the baked
 * snapshot), then keeps it fresh from the live source: on a timer, on a push from the
 * source, on demand ('r'); with exponential backoff after failures and a pause until the
 * reset time when GitHub's rate limit is used up. Emits 'change' whenever data or the
 * connection changes.
 */
export class LiveFleet extends EventTarget {
  data: FleetData | null = null;
  connection: Connection;
  #raw: RawFleet | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #busy: Promise<void> | null = null;
  #again = false;
  #stopWatch: (() => void) | undefined;
  #abort = new AbortController();

  constructor(
    private readonly options: {
      snapshotUrl: string | null;
      /** The snapshot already being fetched (main.ts starts it before dashboard.json is read). */
      snapshot?: Promise<RawFleet>;
      live: DataSource | null;
      cacheKey: string | null;
      /** Whether records may be kept in localStorage now (not those read with a token the user did not ask to remember). */
      mayCache?: () => boolean;
      validate: RecordValidator;
      now?: () => number;
    },
  ) {
    super();
    this.connection = { state: 'loading', source: null, message: null, lastSuccessAt: null, nextRefreshAt: null, refreshSeconds: null, apiCalls: 0 };
  }

  get now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
    const { snapshotUrl, live, cacheKey } = this.options;
    let first: RawFleet | null = cacheKey ? fleetCache.load(cacheKey) : null;
    if (snapshotUrl) {
      try {
        const baked = await (this.options.snapshot ?? fetchSnapshot(snapshotUrl, this.#abort.signal));
        if (!first || Date.parse(baked.generatedAt) >= Date.parse(first.generatedAt)) first = baked;
        this.#update({ state: live ? 'loading' : 'snapshot', source: 'snapshot', message: null, lastSuccessAt: Date.parse(first.generatedAt) });
      } catch (error) {
        this.#update({ state: live ? 'loading' : 'error', message: `${(error as Error).message}` });
      }
    }
    if (first) this.#apply(first);
    if (!live) return;
    this.#stopWatch = live.watch?.(
      () => void this.refresh(),
      (connected) =>
        this.#update(
          connected
            ? { state: this.#raw ? 'live' : 'loading', message: null }
            : { state: 'offline', message: 'lost the connection to the server; reconnecting' },
        ),
    );
    await this.refresh();
  }

  /**
   * Refreshes now. A call while one is in flight runs once more after it: the push that
   * asked may be about a commit newer than the one being fetched.
   */
  refresh(): Promise<void> {
    if (this.#busy) {
      this.#again = true;
      return this.#busy;
    }
    this.#busy = this.#refreshOnce().finally(() => {
      this.#busy = null;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    });
    return this.#busy;
  }

  /** A problem to show in the banner (e.g. a broken dashboard.json). */
  report(message: string): void {
    this.#update({ message });
  }

  /** Re-judges server health as time passes (ages grow without any new data). */
  tick(): void {
    if (!this.data || !this.#raw) return;
    const judgedAt = this.#judgeAt(this.#raw);
    this.data = {
      ...this.data,
      judgedAt,
      servers: judgeServers(
        this.data.servers.map((s) => s.status),
        this.data.settings,
        judgedAt,
      ),
    };
    this.dispatchEvent(new Event('change'));
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#stopWatch?.();
    this.#abort.abort();
  }

  async #refreshOnce(): Promise<void> {
    const live = this.options.live;
    if (!live) return;
    clearTimeout(this.#timer);
    let delayMs = live.refreshSeconds * 1000;
    try {
      const { fleet, again } = await live.refresh(this.#raw, this.#abort.signal);
      if (fleet) {
        this.#apply(fleet);
        if (this.options.cacheKey && (this.options.mayCache?.() ?? true)) fleetCache.save(this.options.cacheKey, fleet);
      }
      // A source that needs a second call (head, then tree) gets it as the next refresh,
      // soon: one refresh never makes more than one API call.
      if (again) delayMs = 1000;
      this.#failures = 0;
      this.#update({ state: 'live', source: live.kind, message: null, lastSuccessAt: this.now });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.#failures++;
      const e = error instanceof SourceError ? error : new SourceError('http', String((error as Error).message ?? error));
      delayMs = Math.min(delayMs * 2 ** this.#failures, MAX_BACKOFF_MS) * (0.75 + Math.random() * 0.25);
      if (e.retryAt) delayMs = Math.max(delayMs, e.retryAt - this.now + 1000);
      this.#update({ state: e.code === 'rate-limited' ? 'rate-limited' : e.code === 'offline' ? 'offline' : 'error', source: live.kind, message: e.message });
    }
    this.#update({ nextRefreshAt: this.now + delayMs, refreshSeconds: live.refreshSeconds, apiCalls: live.apiCalls ?? 0 });
    this.#timer = setTimeout(() => this.#whenVisible(() => void this.refresh()), delayMs);
  }

  /** A hidden tab does not refresh (it would spend the visitor's API budget on nothing); it catches up when shown. */
  #whenVisible(run: () => void): void {
    if (typeof document === 'undefined' || !document.hidden) {
      run();
      return;
    }
    document.addEventListener('visibilitychange', () => this.#whenVisible(run), { once: true });
  }

  #apply(raw: RawFleet): void {
    this.#raw = raw;
    this.data = buildFleetData(raw, this.options.validate, this.#judgeAt(raw));
    this.dispatchEvent(new Event('change'));
  }

  /**
   * The time health is judged at. Without a live source the data never moves, so the
   * viewer's clock would turn every server offline a few minutes after a deploy: a
   * snapshot is judged at its own time instead (and the page says "as of" it).
   */
  #judgeAt(raw: RawFleet): number {
    if (this.options.live) return this.now;
    const taken = Date.parse(raw.generatedAt);
    return Number.isNaN(taken) ? this.now : taken;
  }

  /** Whether the page refreshes by itself (else it shows one moment: the data's own time). */
  get isLive(): boolean {
    return this.options.live !== null;
  }

  #update(patch: Partial<Connection>): void {
    this.connection = { ...this.connection, ...patch };
    this.dispatchEvent(new Event('change'));
  }
}
