import { ChangeSet } from '../store/ChangeSet.js';
import type { FleetSettings, ServerStatus } from '../schema/types.js';
import type { ParsedFile } from '../store/parseRecordFile.js';
import type { Snapshot } from '../store/Snapshot.js';
import { pickUpMessages, type Pickup } from '../messages/pickUpMessages.js';

/**
 * The transaction that publishes a status. seq, not the server's clock, orders a
 * server's reports: a live report always wins (seq continues past what the repository
 * holds, even if local state was lost), while a report replayed from the outbox yields
 * to a newer one already published. What the snapshot says about the fleet (settings,
 * size) is handed back to the agent.
 */
export function statusPlan(
  status: ServerStatus,
  onFleet: (fleet: FleetSeen) => void,
  options: { onlyIfNewer?: boolean; inbox?: { labels: string[]; watermark: string | null; now?: number; onPickup: (pickup: Pickup) => void } } = {},
) {
  return async (snapshot: Snapshot) => {
    // This server's own status is the one record a plan replaces even when it is invalid:
    // it has one writer, who regenerates all of it, and refusing would silence the server.
    const [fleet, paths, existing] = await Promise.all([snapshot.inspect('fleet'), snapshot.paths('status'), snapshot.get('status', status.server)]);
    onFleet(fleetSeenOf(fleet, paths, options.inbox?.now ?? Date.now()));
    if (options.onlyIfNewer && existing && existing.seq >= status.seq) return null;
    const seq = Math.max(status.seq, (existing?.seq ?? 0) + 1);
    const changes = new ChangeSet().put('status', { ...status, seq });
    // New messages ride on the same commit: their delivery costs no extra push.
    if (options.inbox) {
      const pickup = await pickUpMessages(snapshot, status.server, options.inbox.labels, options.inbox.watermark, options.inbox.now);
      options.inbox.onPickup(pickup);
      if (pickup.receipts) changes.put('receipts', pickup.receipts);
    }
    return changes;
  };
}

/** What a transaction saw of the fleet: fleet.json (or why it is invalid) and the number of status files. */
export interface FleetSeen {
  settings: FleetSettings | null;
  invalid?: string;
  size: number;
  seenAt: number;
}

export function fleetSeenOf(fleet: ParsedFile<'fleet'> | undefined, statusPaths: readonly string[], now: number): FleetSeen {
  const size = statusPaths.filter((p) => p.endsWith('.json')).length;
  if (fleet && !fleet.ok) return { settings: null, invalid: fleet.reason, size, seenAt: now };
  return { settings: fleet?.ok ? fleet.value : null, size, seenAt: now };
}
