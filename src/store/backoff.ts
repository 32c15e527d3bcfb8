export interface BackoffOptions {
  /** The smallest slot: no retry window is narrower than this many milliseconds per contender. */
  baseMs: number;
  /** The widest window a retry waits in (the deadline narrows it further). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 25, capMs: 120_000 };

/** Attempts the writers together aim to have in flight at once: two keeps the branch busy without piling up. */
const IN_FLIGHT = 2;
/** Growth of the contender estimate on a lost race (and one more: the winner). */
const GROWTH = 0.5;
/** Commits seen landing drain the estimate, but by at most this share per observation. */
const KEEP = 0.67;
/** Weight of the newest cycle in the slot estimate. */
const SLOT_WEIGHT = 0.3;
/** No estimate past this: a window of 100,000 cycles is already longer than any deadline. */
const MAX_CONTENDERS = 100_000;

/** What the transaction engine asks of a contention control (a Store owns one). */
export interface Contention {
  /** A push lost the race after a cycle of `cycleMs`: how long to wait, at most `maxWaitMs`. */
  rejected(cycleMs: number, maxWaitMs?: number): number;
  /** Commits that landed between two heads this writer fetched (undefined: more than counted). */
  sawLanded(count: number | undefined): void;
  /** This writer's commit landed after a cycle of `cycleMs`. */
  landed(cycleMs: number): void;
  /** How many writers it believes race (for the events). */
  readonly contenders: number;
  /** One attempt cycle, smoothed (the deadline keeps room for one). */
  readonly slotMs: number;
}

/**
 * Contention control for one writer, kept across its transactions (a Store owns one).
 * It estimates how many writers are racing for the branch and spreads its retries so
 * that, together, about IN_FLIGHT attempts are under way at any moment: the branch
 * takes one commit at a time, so more attempts only lose, and fewer leave it idle.
 *
 * The estimate learns from two things the writer sees for itself (a pseudo-Bayesian
 * estimator, as in Rivest's backoff for slotted channels): a lost race raises it by
 * half plus one; commits that landed meanwhile (counted between the heads it fetched)
 * lower it, each landed commit being a writer that left the race. Binary exponential
 * backoff only ever grows within a transaction, so the last writers of a storm waited
 * out windows sized for its peak; this one shrinks as the storm drains.
 *
 * A retry waits uniformly in [0, window) (full jitter), window = 2 × contenders × slot
 * / IN_FLIGHT, where a slot is a smoothed estimate of one attempt cycle (fetch, plan,
 * commit, push) as this writer measures it: on a loaded machine or a slow host cycles
 * take longer and windows widen with them. docs/decisions.md has the model this was
 * chosen on (scripts/bench/contentionModel.mjs).
 */
export class ContentionControl implements Contention {
  #contenders = 1;
  #slotMs: number | undefined;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** How many writers this one believes are racing (1: no contention seen). */
  get contenders(): number {
    return this.#contenders;
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
    this.#contenders = Math.min(MAX_CONTENDERS, this.#contenders * (1 + GROWTH) + 1);
    const window = Math.min(this.options.capMs, maxWaitMs, (2 * this.#contenders * this.slotMs) / IN_FLIGHT);
    return Math.max(0, Math.floor(this.random() * window));
  }

  /**
   * `count` commits landed between two heads this writer fetched (undefined: more than
   * it counted): as many writers left the race.
   */
  sawLanded(count: number | undefined): void {
    const drained = count === undefined ? 0 : this.#contenders - count;
    this.#contenders = Math.max(1, this.#contenders * KEEP, drained);
  }

  /** A commit landed after a cycle of `cycleMs`: this writer left the race. */
  landed(cycleMs: number): void {
    this.#observe(cycleMs);
    this.#contenders = Math.max(1, this.#contenders * KEEP);
  }

  #observe(cycleMs: number): void {
    if (!(cycleMs > 0)) return;
    this.#slotMs = this.#slotMs === undefined ? cycleMs : this.#slotMs * (1 - SLOT_WEIGHT) + cycleMs * SLOT_WEIGHT;
  }
}
