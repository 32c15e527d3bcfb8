import type { ReadReceipts } from '../schema/types.js';
import { ChangeSet } from '../store/ChangeSet.js';
import { abort } from '../store/Plan.js';
import type { Plan } from '../store/Store.js';
import { UNREADABLE_RECORD } from '../settings/readFleetRecord.js';
import { liveRecordId, recordPath } from '../store/recordPaths.js';

export type ReceiptKind = 'delivered' | 'read' | 'acked';

/**
 * Marks messages delivered, read or acknowledged by one reader (a server, or an operator
 * as op:<name>), in that reader's own receipts file (one writer per file, so marking
 * never conflicts with anyone). A server that has never reported is refused, as a
 * message to it is (sendMessagePlan): its receipts file would be a phantom reader.
 * Entries of messages that are no longer live (archived) are dropped, which keeps the
 * file bounded. Reading implies delivery; acknowledging implies reading.
 */
export function receiptsPlan(reader: string, ids: readonly string[], kind: ReceiptKind, now = new Date()): Plan {
  return async (snapshot) => {
    const [parsed, live, reported] = await Promise.all([
      snapshot.inspect('receipts', reader),
      snapshot.paths('messages'),
      // Decided on the head, so a server that is removed meanwhile is refused too.
      reader.startsWith('op:') ? true : snapshot.has('status', reader),
    ]);
    // Never replace a receipts file that could not be read: what was read and acknowledged would be lost.
    const path = recordPath('receipts', reader);
    if (parsed && !parsed.ok)
      return abort(UNREADABLE_RECORD, `${path} is invalid (${parsed.reason}); refusing to rewrite it: fix or delete it (gitfleet validate) first`, { path });
    if (!reported) {
      return abort('unknown-recipient', `unknown server ${reader}: no server with that id has reported`, { server: reader });
    }
    const current = parsed?.ok ? parsed.value : undefined;
    const liveIds = new Set(live.map((p) => liveRecordId(p, 'message')).filter((id): id is string => id !== undefined));
    const missing = ids.filter((id) => !liveIds.has(id));
    if (missing.length === ids.length && ids.length > 0) return abort('unknown-message', `no such message: ${missing.join(', ')}`);
    const at = now.toISOString();
    const next: ReadReceipts = { schemaVersion: 1, server: reader, read: {}, delivered: {}, acked: {} };
    for (const field of ['delivered', 'read', 'acked'] as const) {
      for (const [id, when] of Object.entries(current?.[field] ?? {})) if (liveIds.has(id)) next[field]![id] = when;
    }
    const implied: ReceiptKind[] = kind === 'acked' ? ['delivered', 'read', 'acked'] : kind === 'read' ? ['delivered', 'read'] : ['delivered'];
    for (const id of ids) {
      if (!liveIds.has(id)) continue;
      for (const field of implied) next[field]![id] ??= at;
    }
    if (Object.keys(next.delivered!).length === 0) delete next.delivered;
    if (Object.keys(next.acked!).length === 0) delete next.acked;
    return new ChangeSet().put('receipts', next);
  };
}
