import { ChangeSet } from '../store/ChangeSet.js';
import { decide, type Plan } from '../store/Plan.js';
import type { ServerStatus } from '../schema/types.js';
import { pickUpMessages, type Pickup } from '../messages/pickUpMessages.js';
import { readFleetSeen, type FleetSeen } from './fleetSeen.js';

/** What the status transaction found beside what it wrote. */
export interface StatusFindings {
  /** What the snapshot says about the fleet (settings, size). */
  fleet: FleetSeen;
  /** The messages picked up on the same commit (only with `inbox`). */
  pickup?: Pickup;
  /** The seq of this server's status the snapshot held (behind a relay: what has reached the fleet repository). */
  heldSeq?: number;
}

export interface StatusPlanOptions {
  /** Write only if the repository holds an older report (a report replayed from the outbox). */
  onlyIfNewer?: boolean;
  /** Pick up this server's new messages and record their delivery in the same commit. */
  inbox?: { labels: string[]; watermark: string | null; now?: number };
}

/**
 * The transaction that publishes a status. seq, not the server's clock, orders a
 * server's reports: a live report always wins (seq continues past what the repository
 * holds, even if local state was lost), while a report replayed from the outbox yields
 * to a newer one already published. What the snapshot says about the fleet, and the
 * messages picked up, are the plan's value: `transact` hands back those of the attempt
 * that landed.
 */
export function statusPlan(status: ServerStatus, options: StatusPlanOptions = {}): Plan<StatusFindings> {
  return async (snapshot, context) => {
    const now = options.inbox?.now ?? context.now.getTime();
    // This server's own status is the one record a plan replaces even when it is invalid:
    // it has one writer, who regenerates all of it, and refusing would silence the server.
    const [fleet, existing] = await Promise.all([readFleetSeen(snapshot, now), snapshot.get('status', status.server)]);
    const found: StatusFindings = existing ? { fleet, heldSeq: existing.seq } : { fleet };
    if (options.onlyIfNewer && existing && existing.seq >= status.seq) return decide(null, found);
    const seq = Math.max(status.seq, (existing?.seq ?? 0) + 1);
    const changes = new ChangeSet().put('status', { ...status, seq });
    // New messages ride on the same commit: their delivery costs no extra push.
    if (options.inbox) {
      found.pickup = await pickUpMessages(snapshot, status.server, options.inbox.labels, options.inbox.watermark, now);
      if (found.pickup.receipts) changes.put('receipts', found.pickup.receipts);
    }
    return decide(changes, found);
  };
}
