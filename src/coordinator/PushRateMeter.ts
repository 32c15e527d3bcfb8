/** How far back the measured push rate looks. */
export const PUSH_RATE_WINDOW_MS = 10 * 60_000;
/** One operator message per this long while the fleet stays over its budget. */
export const PUSH_ALERT_EVERY_MS = 60 * 60_000;
/** Below this much observation, a rate is not judged (one burst right after a start is not a rate). */
const MIN_OBSERVED_MS = 60_000;

/**
 * The branch's actual push rate as the coordinator sees it: each tick adds the commits
 * that landed since the head it saw last (every push is one commit on the linear branch),
 * and the rate is their count over a sliding window, in commits a minute. Before a whole
 * window has been observed the rate is over the time observed (at least a minute).
 * The clock is the caller's (`now` arguments), so tests drive it.
 */
export class PushRateMeter {
  readonly #windowMs: number;
  readonly #samples: { at: number; count: number }[] = [];
  #since: number | null = null;
  #lastAlertAt: number | null = null;

  constructor(windowMs = PUSH_RATE_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /** Starts (or restarts, after a history rewrite) the observation at `now`. */
  start(now: number): void {
    this.#samples.length = 0;
    this.#since = now;
  }

  /** `count` commits landed between the previous head and the one seen at `now`. */
  add(count: number, now: number): void {
    if (this.#since === null) this.#since = now;
    if (count > 0) this.#samples.push({ at: now, count });
    this.#prune(now);
  }

  /** Commits a minute over the window; null while less than a minute was observed. */
  rate(now: number): number | null {
    if (this.#since === null || now - this.#since < MIN_OBSERVED_MS) return null;
    this.#prune(now);
    const span = Math.min(this.#windowMs, now - this.#since);
    const total = this.#samples.reduce((t, s) => t + s.count, 0);
    return (total * 60_000) / span;
  }

  /**
   * Whether to post an operator message now: the rate is over `budget` and no message was
   * posted in the last PUSH_ALERT_EVERY_MS (by this meter, or as `lastPostedAt` says, e.g.
   * a message found in the repository). Records the alert when it says yes.
   */
  shouldAlert(budget: number, now: number, lastPostedAt: number | null = null): boolean {
    const rate = this.rate(now);
    if (rate === null || rate <= budget) return false;
    const last = Math.max(this.#lastAlertAt ?? -Infinity, lastPostedAt ?? -Infinity);
    if (now - last < PUSH_ALERT_EVERY_MS) return false;
    this.#lastAlertAt = now;
    return true;
  }

  #prune(now: number): void {
    while (this.#samples.length > 0 && this.#samples[0]!.at <= now - this.#windowMs) this.#samples.shift();
  }
}
