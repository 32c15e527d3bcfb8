import type { Message, ReadReceipts, ServerStatus } from '../schema/types.js';
import { isAddressedTo } from './addressing.js';

/** One reader's mark on a message: a server id or op:<name>, and when. */
export interface ReceiptMark {
  by: string;
  at: string;
}

/** Who has had a message delivered, read and acknowledged, and which recipients have had nothing yet. */
export interface MessageReceipts {
  delivered: ReceiptMark[];
  read: ReceiptMark[];
  acked: ReceiptMark[];
  /** Recipients (servers that have reported, or the operator addressed) with no receipt at all. */
  waiting: string[];
}

/**
 * The receipts of one message, gathered from every reader's receipts file (servers and
 * operators alike), earliest first. Pure.
 */
export function messageReceipts(
  message: Message,
  receipts: readonly ReadReceipts[],
  servers: readonly Pick<ServerStatus, 'server' | 'labels'>[],
): MessageReceipts {
  const marks = (field: 'delivered' | 'read' | 'acked') =>
    receipts
      .flatMap((r) => {
        const at = r[field]?.[message.id];
        return at === undefined ? [] : [{ by: r.server, at }];
      })
      .sort((a, b) => a.at.localeCompare(b.at) || a.by.localeCompare(b.by));
  const delivered = marks('delivered');
  const read = marks('read');
  const acked = marks('acked');
  const seen = new Set([...delivered, ...read, ...acked].map((m) => m.by));
  const recipients = message.to.startsWith('op:') ? [message.to] : servers.filter((s) => isAddressedTo(message, s.server, s.labels ?? [])).map((s) => s.server);
  // A sender does not receive its own message (agents skip their own, see pickUpMessages).
  const waiting = recipients.filter((r) => r !== message.from && !seen.has(r)).sort();
  return { delivered, read, acked, waiting };
}
