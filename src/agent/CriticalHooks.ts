import type { Message } from '../schema/types.js';
import type { Logger } from '../util/logger.js';
import { runMessageHook } from './runHook.js';

/** Hooks started per agent cycle (and running at once), unless the caller says otherwise. */
export const DEFAULT_HOOKS_PER_CYCLE = 4;
/** Each hook run is stopped after this long. */
export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;
/** Critical messages waiting for their hook beyond this are dropped (counted and logged). */
const MAX_WAITING = 1000;

export interface CriticalHooksOptions {
  argv: readonly string[];
  logger: Logger;
  perCycle?: number;
  timeoutMs?: number;
  /** Runs one hook (runMessageHook by default; tests inject nothing else). */
  run?: typeof runMessageHook;
}

/**
 * The local hook for critical messages, run off the heartbeat path: a cycle hands the
 * messages over and returns at once, so a slow or hanging hook never delays the status
 * commit. At most `perCycle` hooks start per cycle and at most that many run at once;
 * the rest wait for the next cycles (a burst of 50 critical messages cannot fork 50
 * processes). A message's hook runs at most once per process: the message is already
 * recorded as delivered, so no later run picks it up again.
 */
export class CriticalHooks {
  readonly #o: CriticalHooksOptions;
  readonly #running = new Map<string, Promise<void>>();
  readonly #waiting: Message[] = [];
  readonly #seen = new Set<string>();
  #dropped = 0;
  #startedThisCycle = 0;
  /** Hooks started since this object was made (for logs and tests). */
  started = 0;

  constructor(options: CriticalHooksOptions) {
    this.#o = options;
  }

  get perCycle(): number {
    return Math.max(1, this.#o.perCycle ?? DEFAULT_HOOKS_PER_CYCLE);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  get running(): number {
    return this.#running.size;
  }

  /** Queues the hooks of newly delivered critical messages (once per message id). */
  add(messages: readonly Message[]): void {
    for (const m of messages) {
      if (this.#seen.has(m.id)) continue;
      this.#seen.add(m.id);
      // Bounded memory for a daemon that runs for months: the oldest ids go first.
      if (this.#seen.size > 10_000) this.#seen.delete(this.#seen.values().next().value!);
      if (this.#waiting.length >= MAX_WAITING) {
        this.#dropped++;
        continue;
      }
      this.#waiting.push(m);
    }
    if (this.#dropped > 0) {
      this.#o.logger.warn('message.hooks-dropped', { dropped: this.#dropped, reason: `more than ${MAX_WAITING} critical messages waiting for the hook` });
      this.#dropped = 0;
    }
  }

  /** A new agent cycle: its budget of hook starts is full again. */
  newCycle(): void {
    this.#startedThisCycle = 0;
  }

  /** Starts waiting hooks within this cycle's budget (and while fewer than perCycle run); does not wait for them. */
  startSome(): number {
    let started = 0;
    while (this.#startedThisCycle < this.perCycle && this.#running.size < this.perCycle && this.#waiting.length > 0) {
      this.#start(this.#waiting.shift()!);
      this.#startedThisCycle++;
      started++;
    }
    if (this.#waiting.length > 0) this.#o.logger.info('message.hooks-deferred', { waiting: this.#waiting.length, perCycle: this.perCycle });
    return started;
  }

  /** Waits for the running hooks, and with `all`, runs every waiting one too (perCycle at a time). */
  async settle(options: { all?: boolean } = {}): Promise<void> {
    for (;;) {
      await Promise.all(this.#running.values());
      if (!options.all || this.#waiting.length === 0) return;
      this.newCycle();
      this.startSome();
    }
  }

  #start(m: Message): void {
    this.started++;
    const run = this.#o.run ?? runMessageHook;
    const job = run(this.#o.argv, m, this.#o.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS)
      .then((outcome) => {
        if (outcome.code !== 0) this.#o.logger.warn('message.hook-failed', { id: m.id, code: outcome.code, reason: outcome.error });
      })
      .catch((error: unknown) => this.#o.logger.warn('message.hook-failed', { id: m.id, reason: (error as Error).message }))
      .finally(() => this.#running.delete(m.id));
    this.#running.set(m.id, job);
  }
}
