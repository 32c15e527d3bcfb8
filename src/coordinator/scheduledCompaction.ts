import { compactHistory, type CompactResult } from '../fleet/compactHistory.js';
import { historySizeBytes } from '../fleet/historySize.js';
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
 * size target; then less, in proportion (a steady fleet's history grows about linearly
 * with time), never under MIN_KEEP_MS unless keepDays itself asks for less.
 */
export function compactionKeepMs(compaction: CompactionSettings, sizeBytes: number): number {
  const keep = compaction.keepDays * DAY_MS;
  const target = compaction.targetMiB * MIB;
  if (sizeBytes <= target || sizeBytes <= 0) return keep;
  return Math.min(keep, Math.max(MIN_KEEP_MS, Math.floor((keep * target) / sizeBytes)));
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
  const size = await historySizeBytes(store);
  const keepMs = compactionKeepMs(compaction, size);
  const result = await compactHistory(store, { before: new Date(now - keepMs), logger });
  return { sizeMiB: Math.round((size / MIB) * 100) / 100, keepMs, result };
}
