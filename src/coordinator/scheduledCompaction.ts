import { compactHistory, type CompactResult } from '../fleet/compactHistory.js';
import { type HistoryExtent, historyExtent } from '../fleet/historySize.js';
import type { ResolvedFleetSettings } from '../settings/fleetSettings.js';
import type { Store } from '../store/Store.js';
import type { Logger } from '../util/logger.js';

type CompactionSettings = NonNullable<ResolvedFleetSettings['compaction']>;

const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;
/** However far over its target the history is, this much is always kept (a day of heartbeats at least explains the present). */
export const MIN_KEEP_MS = 3_600_000;

/** Whether a scheduled compaction is due: never run yet by this coordinator, or `every` has passed since. */
export function compactionDue(compaction: CompactionSettings | null, lastAt: number | null, now: number): boolean {
  if (!compaction) return false;
  return lastAt === null || now - lastAt >= compaction.everyMs || now < lastAt;
}

/**
 * How much history to keep commit by commit: keepDays, unless the history is over its
 * size target; then less, in proportion to how fast it grows (a steady fleet's history
 * grows about linearly with time: size over the span it covers), never under MIN_KEEP_MS
 * unless keepDays itself asks for less. The span is the history's own (since its oldest
 * commit, the folded root after a compaction), not keepDays: after a first compaction a
 * history covers less than keepDays, and reading it as keepDays' worth would keep many
 * times the target (measured in bench:scale's simulated week: 43 h and 1.9 GiB kept
 * against a 512 MiB target).
 */
export function compactionKeepMs(compaction: CompactionSettings, history: HistoryExtent, now: number): number {
  const keep = compaction.keepDays * DAY_MS;
  const target = compaction.targetMiB * MIB;
  const size = history.bytes;
  if (size <= target || size <= 0) return keep;
  const span = history.oldestMs === null ? keep : Math.max(MIN_KEEP_MS, now - history.oldestMs);
  return Math.min(keep, Math.max(MIN_KEEP_MS, Math.floor((span * target) / size)));
}

export interface ScheduledCompaction {
  sizeMiB: number;
  keepMs: number;
  result: CompactResult;
}

/**
 * One scheduled compaction: measure the history, choose how much to keep, fold the rest
 * (compactHistory: same content, a leased rewrite that other writers survive).
 */
export async function runScheduledCompaction(store: Store, compaction: CompactionSettings, now: number, logger?: Logger): Promise<ScheduledCompaction> {
  const history = await historyExtent(store);
  const keepMs = compactionKeepMs(compaction, history, now);
  const result = await compactHistory(store, { before: new Date(now - keepMs), logger });
  return { sizeMiB: Math.round((history.bytes / MIB) * 100) / 100, keepMs, result };
}
