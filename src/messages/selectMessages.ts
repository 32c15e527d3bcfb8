import type { Message, Priority, ReadReceipts } from '../schema/types.js';
import { byPriorityThenTime, isAddressedTo, isExpired } from './addressing.js';

export interface MessageFilter {
  /** The inbox of this reader: a server (messages to it, to one of its labels, or to all), or op:<name>. */
  server?: string;
  /** The server's labels (from its status record). */
  labels?: string[];
  /** Only messages this server has not read (needs `server`). */
  unread?: boolean;
  from?: string;
  to?: string;
  priority?: Priority;
  type?: Message['type'];
  tag?: string;
  since?: Date;
  /** Case-insensitive text in the subject or body. */
  text?: string;
  includeExpired?: boolean;
  /** Unread messages (by the receipts) before read ones, as an inbox shows them. */
  unreadFirst?: boolean;
  limit?: number;
}

/**
 * The messages matching a filter, critical first and newest first within a priority.
 * Pure; one pass over the messages (10,000 take a few milliseconds).
 */
export function selectMessages(messages: readonly Message[], filter: MessageFilter, receipts: ReadReceipts | undefined, now = Date.now()): Message[] {
  const needle = filter.text?.toLowerCase();
  const since = filter.since?.getTime();
  const read = receipts?.read ?? {};
  const out = messages.filter((m) => {
    if (filter.server && !isAddressedTo(m, filter.server, filter.labels ?? [])) return false;
    if (filter.unread && read[m.id] !== undefined) return false;
    if (filter.from && m.from !== filter.from) return false;
    if (filter.to && m.to !== filter.to) return false;
    if (filter.priority && m.priority !== filter.priority) return false;
    if (filter.type && m.type !== filter.type) return false;
    if (filter.tag && !m.tags?.includes(filter.tag)) return false;
    if (since !== undefined && Date.parse(m.createdAt) < since) return false;
    if (!filter.includeExpired && isExpired(m, now)) return false;
    if (needle && !m.subject.toLowerCase().includes(needle) && !(m.body ?? '').toLowerCase().includes(needle)) return false;
    return true;
  });
  const isRead = (m: Message) => (read[m.id] === undefined ? 0 : 1);
  out.sort(filter.unreadFirst ? (a, b) => isRead(a) - isRead(b) || byPriorityThenTime(a, b) : byPriorityThenTime);
  return filter.limit ? out.slice(0, filter.limit) : out;
}
