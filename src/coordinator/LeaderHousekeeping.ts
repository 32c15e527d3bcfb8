import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';
import type { TypedEvents } from '../util/TypedEvents.js';
import type { CoordinatorEvents } from './coordinatorEvents.js';
import { pushBudgetAlertPlan, pushBudgetMessage } from './pushBudgetAlert.js';
import { PushRateMeter } from './PushRateMeter.js';
import { compactionDue, runScheduledCompaction } from './scheduledCompaction.js';

/** Commits counted between two heads at most: a longer gap is counted as unknown (the meter restarts). */
const LANDED_LIMIT = 10_000;

export interface LeaderHousekeepingOptions {
  store: Store;
  holder: string;
  logger: Logger;
  events: TypedEvents<CoordinatorEvents>;
  /** Says a reason once per coordinator (its warnOnce). */
  warnOnce: (reason: string) => void;
}

/**
 * What a leading coordinator does beside deciding jobs: it measures the branch's push rate
 * from the heads its ticks see, posts one operator message an hour while that rate is over
 * the budget, and compacts history on the schedule of fleet.json `compaction`.
 */
export class LeaderHousekeeping {
  /** The branch's measured push rate (commits a minute, from the heads each tick sees). */
  readonly pushRate = new PushRateMeter();
  /** When this coordinator last ran (or tried) a scheduled compaction; kept in its state file. */
  lastCompactionAt: number | null = null;
  readonly #o: LeaderHousekeepingOptions;

  constructor(options: LeaderHousekeepingOptions) {
    this.#o = options;
  }

  /** Adds the commits that landed between the head seen last (`previous`) and `head` to the meter. */
  async measurePushes(previous: string | null, head: string, now: number): Promise<void> {
    if (previous === null) return this.pushRate.start(now);
    if (previous === head) return this.pushRate.add(0, now);
    const landed = await this.#o.store.countLanded(previous, head, LANDED_LIMIT).catch(() => undefined);
    // Not an ancestor (history was rewritten) or too far back: start measuring afresh.
    if (landed === undefined) this.pushRate.start(now);
    else this.pushRate.add(landed, now);
  }

  /** After a tick that led: the push-budget message when due, then compaction when due. */
  async run(settings: ResolvedFleetSettings, now: number): Promise<void> {
    await this.#alertOverBudget(settings, now);
    await this.#compactIfDue(settings, now);
  }

  async #alertOverBudget(settings: ResolvedFleetSettings, now: number): Promise<void> {
    const { holder, store, events } = this.#o;
    const budget = settings.pushBudget.pushesPerMinute;
    const rate = this.pushRate.rate(now);
    if (rate === null || !this.pushRate.shouldAlert(budget, now)) return;
    const message = pushBudgetMessage({ from: holder, rate, budget, host: settings.host.pushesPerMinute, now });
    const result = await store
      .transact(`coordinator ${holder}: push budget exceeded`, pushBudgetAlertPlan(message, now))
      .catch((error: unknown) => ({ status: 'failed' as const, reason: (error as Error).message }));
    events.emit('coordinator.over-budget', {
      holder,
      rate: Math.round(rate * 100) / 100,
      budget,
      message: result.status === 'committed' ? message.id : null,
      result: result.status,
    });
  }

  async #compactIfDue(settings: ResolvedFleetSettings, now: number): Promise<void> {
    const { holder, store, events } = this.#o;
    const compaction = settings.compaction;
    if (!compaction || !compactionDue(compaction, this.lastCompactionAt, now)) return;
    this.lastCompactionAt = now;
    if (!store.backend.rewriteHistory) {
      this.#o.warnOnce('scheduled compaction needs the git CLI backend (backend.rewriteHistory): skipped');
      return;
    }
    try {
      const done = await runScheduledCompaction(store, compaction, now, this.#o.logger);
      events.emit('coordinator.compacted', {
        holder,
        status: done.result.status,
        sizeMiB: done.sizeMiB,
        keptHours: Math.round((done.keepMs / 3_600_000) * 100) / 100,
        squashed: done.result.squashed,
        kept: done.result.kept,
        oldHead: done.result.oldHead,
        newHead: done.result.newHead,
      });
      // The rewritten branch has new commit ids: measure the rate afresh from it.
      if (done.result.status === 'compacted') this.pushRate.start(now);
    } catch (error) {
      events.emit('coordinator.compaction-failed', { holder, reason: (error as Error).message });
    }
  }
}
