import type { Logger } from '../util/logger.js';
import { SHUTDOWN } from './postWebhook.js';
import { sendNotifications, type NotifyReport, type NotifyTarget } from './sendNotifications.js';

/**
 * Runs delivery rounds beside the coordinator's ticks, never inside them: `start()`
 * returns at once, at most one round is in flight (a tick that ends while one runs
 * starts none), and a round is bounded by notify.roundSeconds. So a webhook that never
 * answers cannot hold up an assignment or the renewal of the lease.
 */
export class NotificationRunner {
  readonly #fleet: NotifyTarget;
  readonly #options: { actor: string; logger: Logger; env?: NodeJS.ProcessEnv; onRound?: (reports: NotifyReport[]) => void };
  readonly #stop = new AbortController();
  #inFlight: Promise<void> | null = null;
  /** The last reason each webhook was skipped, so a standing misconfiguration is logged once, not every tick. */
  readonly #skipped = new Map<string, string>();

  constructor(fleet: NotifyTarget, options: { actor: string; logger: Logger; env?: NodeJS.ProcessEnv; onRound?: (reports: NotifyReport[]) => void }) {
    this.#fleet = fleet;
    this.#options = options;
  }

  /** Starts a round unless one is running or the runner is closed. Returns whether it started one. */
  start(): boolean {
    if (this.#inFlight || this.#stop.signal.aborted) return false;
    const { actor, logger, env } = this.#options;
    this.#inFlight = sendNotifications(this.#fleet, { actor, logger, signal: this.#stop.signal, ...(env ? { env } : {}) })
      .then((reports) => {
        for (const r of reports) this.#logSkipped(r);
        this.#options.onRound?.(reports);
      })
      .catch((error: unknown) =>
        logger.warn('notify.round-failed', { code: (error as { code?: string }).code ?? 'E_INTERNAL', reason: (error as Error).message }),
      )
      .finally(() => {
        this.#inFlight = null;
      });
    return true;
  }

  /** Resolves when no round is running. */
  async idle(): Promise<void> {
    await this.#inFlight;
  }

  /** Ends the posts of the round in flight (recorded as aborted) and waits for it to finish recording. */
  async close(): Promise<void> {
    this.#stop.abort(SHUTDOWN);
    await this.idle();
  }

  #logSkipped(report: NotifyReport): void {
    if (report.skipped === undefined) {
      this.#skipped.delete(report.webhook);
      return;
    }
    if (this.#skipped.get(report.webhook) === report.skipped) return;
    this.#skipped.set(report.webhook, report.skipped);
    this.#options.logger.warn('notify.skipped', { webhook: report.webhook, reason: report.skipped });
  }
}
