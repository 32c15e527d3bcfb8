import { ChangeSet } from '../store/ChangeSet.js';
import { decide, type Plan } from '../store/Plan.js';
import { pickUpMessages, type Pickup } from './pickUpMessages.js';

/**
 * Picks up a server's new messages and records their delivery, in a transaction of its
 * own: what an agent behind a relay runs against the fleet repository when the relay's
 * mirror shows something new (its heartbeat, which carries the receipts otherwise, goes
 * to the relay). Runs on the upstream head, so the receipts it writes extend the latest
 * ones, never a copy one period old.
 */
export function pickupPlan(server: string, labels: readonly string[], watermark: string | null, now: number): Plan<Pickup> {
  return async (snapshot) => {
    const pickup = await pickUpMessages(snapshot, server, labels, watermark, now);
    return decide(pickup.receipts ? new ChangeSet().put('receipts', pickup.receipts) : null, pickup);
  };
}
