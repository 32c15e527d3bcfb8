export interface BackoffOptions {
  /** The smallest slot: no retry window is narrower than this many milliseconds per step. */
  baseMs: number;
  /** The widest window a retry waits in (the deadline narrows it further). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 25, capMs: 120_000 };

/** The window never grows past 2^MAX_LEVEL slots: room for thousands of writers. */
const MAX_LEVEL = 14;
/** Weight of the newest cycle in the slot estimate. */
const SLOT_WEIGHT = 0.3;

/**
 * Contention control for one writer, kept across its transactions (a Store owns one):
 * the logic Ethernet and TCP learned. Every lost race doubles the window a retry waits
 * in (full jitter: uniform in [0, window)), so however many writers collide the offered
 * load falls until it fits what the remote can take; a landed commit halves it twice
 * (quick recovery), so a writer that once met a storm does not stay slow.
 *
 * The window is counted in slots, and a slot is a smoothed estimate of how long one
 * attempt cycle (fetch, plan, commit, push) takes on this machine and this remote: on
 * a loaded machine or a slow host an attempt takes far longer, and a window measured
 * in fixed milliseconds would keep writers colliding. Its cap is wide (two minutes)
 * because 200 writers need a window of about 200 cycles to spread out; the caller
 * narrows it to what the deadline leaves.
 */
export class ContentionControl {
  #level = 0;
  #slotMs: number | undefined;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** log2 of the current window in slots: 0 when this writer has met no contention. */
  get level(): number {
    return this.#level;
  }

  get slotMs(): number {
    return Math.max(this.options.baseMs, this.#slotMs ?? this.options.baseMs);
  }

  /**
   * A push lost the race after a cycle of `cycleMs`. Returns how long to wait before
   * the next attempt, at most `maxWaitMs` (what the deadline leaves).
   */
  rejected(cycleMs: number, maxWaitMs = Infinity): number {
    this.#observe(cycleMs);
    this.#level = Math.min(MAX_LEVEL, this.#level + 1);
    return this.wait(maxWaitMs);
  }

  /** A wait at the current level, at most `maxWaitMs` (for a loss already counted). */
  wait(maxWaitMs = Infinity): number {
    const window = Math.min(this.options.capMs, maxWaitMs, this.slotMs * 2 ** this.#level);
    return Math.max(0, Math.floor(this.random() * window));
  }

  /** A commit landed after a cycle of `cycleMs`. */
  landed(cycleMs: number): void {
    this.#observe(cycleMs);
    this.#level = Math.max(0, this.#level - 2);
  }

  #observe(cycleMs: number): void {
    if (!(cycleMs > 0)) return;
    this.#slotMs = this.#slotMs === undefined ? cycleMs : this.#slotMs * (1 - SLOT_WEIGHT) + cycleMs * SLOT_WEIGHT;
  }
}
