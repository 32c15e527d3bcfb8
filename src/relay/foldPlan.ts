import type { ServerStatus } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { decide, type Plan } from '../store/Plan.js';
import { FUTURE_SLACK_MS, parseTime } from '../util/clockBounds.js';

/** What one fold wrote upstream and what it left, per server. */
export interface FoldOutcome {
  /** Servers whose status this commit writes. */
  written: string[];
  /** Servers left out, with why (upstream already holds as new a report, a future time). */
  skipped: { server: string; reason: string }[];
}

/**
 * The relay's one upstream transaction per period: each server's newest heartbeat from
 * the inbox, written only where it is newer than what the upstream holds. seq orders a
 * server's reports (as in statusPlan): an agent that fell back to the upstream directly,
 * or a relay restarted with an old inbox, never puts an older report over a newer one.
 * An updatedAt beyond the clock's slack is not believed. The records were validated by
 * the caller (schema, size, server id equals the ref's); the store validates them again.
 */
export function foldPlan(statuses: readonly ServerStatus[]): Plan<FoldOutcome> {
  return async (snapshot, context) => {
    const now = context.now.getTime();
    const changes = new ChangeSet();
    const outcome: FoldOutcome = { written: [], skipped: [] };
    for (const status of statuses) {
      const updated = parseTime(status.updatedAt);
      if (updated === null || updated > now + FUTURE_SLACK_MS) {
        outcome.skipped.push({ server: status.server, reason: `updatedAt ${JSON.stringify(status.updatedAt)} is in the future` });
        continue;
      }
      // A status the upstream holds but cannot parse is replaced, as its own agent would.
      const existing = await snapshot.get('status', status.server);
      if (existing && existing.seq >= status.seq) {
        outcome.skipped.push({ server: status.server, reason: `the upstream holds seq ${existing.seq} already` });
        continue;
      }
      changes.put('status', status);
      outcome.written.push(status.server);
    }
    return decide(outcome.written.length > 0 ? changes : null, outcome);
  };
}
